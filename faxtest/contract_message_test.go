package faxtest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

// A request that breaks the contract is answered with a message that names the failing field
// and the rule, in at most about 200 bytes, not kin-openapi's dump of the schema and the value;
// the test's failure keeps the whole account.
func TestContractViolationMessageNamesFieldAndRule(t *testing.T) {
	rec := &recordingTB{TB: t}
	s := faxtest.NewServer(faxtest.Options{T: rec, DataCenters: 1})
	tooMany := tooManyJobs()
	for _, tc := range []struct{ body, want string }{
		{string(tooMany), "request body: /jobIds: maximum number of items is 1000"},
		{`{"action":"PURGE","jobIds":["FJ1"]}`, `request body: /action: string doesn't match the regular expression`},
		{`{"action":"GET","jobIds":[1]}`, "request body: /jobIds/0: value must be a string"},
		{`{"action":"GET"}`, `request body: /jobIds: property "jobIds" is missing`},
		{`nope`, "request body: failed to decode request body"},
	} {
		status, body := sendReports(t, s, s.DataCenter(0), http.MethodPost, tc.body)
		var answer struct{ Message string }
		if err := json.Unmarshal(body, &answer); err != nil || status != http.StatusBadRequest {
			t.Fatalf("%d %s (%v)", status, body, err)
		}
		if !strings.HasPrefix(answer.Message, tc.want) || len(answer.Message) > 200 || strings.Contains(answer.Message, "\n") {
			t.Errorf("message %q (%d bytes), want it to start with %q, on one line, within 200 bytes", answer.Message, len(answer.Message), tc.want)
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.errors) != 5 || !strings.Contains(rec.errors[0], "maximum number of items is 1000") ||
		!strings.Contains(rec.errors[0], "Schema:") || !strings.Contains(rec.errors[0], "FJ1000") {
		t.Fatalf("the test's failures lost the validator's account: %q", rec.errors)
	}
}
