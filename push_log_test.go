package faxreport_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

func TestPushLogsJobIDsAndOutcomeWithoutSecrets(t *testing.T) {
	env := newPushEnv(t, nil)
	env.fake.LoadExamples()
	wantStatus(t, env.push(t, testJobID), http.StatusNoContent)
	resp, _ := env.fake.Push(env.url, testJobID, faxtest.PushBasicAuth(pushUser, pushPassword+"x"))
	wantStatus(t, resp, http.StatusUnauthorized)
	const secretTail = "SECRET-TAIL-OF-THE-BODY"
	unparsable := "<faxJobReport>" + strings.Repeat("y", 500) + secretTail
	wantStatus(t, env.post(t, http.MethodPost, "text/xml", []byte(unparsable)), http.StatusBadRequest)

	logged := env.log.String()
	for _, want := range []string{"faxreport push", testJobID, "level=DEBUG msg=\"faxreport push\" status=204", "level=WARN msg=\"faxreport push\" status=401", "level=WARN msg=\"faxreport push\" status=400", "body_excerpt"} {
		if !strings.Contains(logged, want) {
			t.Errorf("log lacks %q:\n%s", want, logged)
		}
	}
	for _, secret := range []string{pushPassword, pushUser, "Basic ", secretTail} {
		if strings.Contains(logged, secret) {
			t.Errorf("log shows %q:\n%s", secret, logged)
		}
	}
}

// A job ID of 20 KB (one of 300 KB made a 307 KB record) is quoted in the push's record by its
// first 64 bytes, as errors do.
func TestPushLogQuotesAtMost64BytesOfAJobID(t *testing.T) {
	env := newPushEnv(t, nil)
	hugeID := "FJ" + strings.Repeat("X", 62) + strings.Repeat("Y", 20<<10)
	env.post(t, http.MethodPost, "application/json", []byte(`{"jobId":"`+hugeID+`"}`))
	logged := env.log.String()
	if !strings.Contains(logged, "faxreport push") || !strings.Contains(logged, hugeID[:64]) {
		t.Fatalf("no record of the push, or without the job ID's first 64 bytes:\n%.2000s", logged)
	}
	if len(logged) > 4<<10 { // the records of the push and its fetches; a data center's echo is an excerpt

		t.Fatalf("the log quotes more than 64 bytes of the job ID (%d bytes logged):\n%.2000s", len(logged), logged)
	}
}
