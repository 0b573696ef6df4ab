package faxreport_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

func TestPushBadRequests(t *testing.T) {
	for name, tc := range map[string]struct {
		method, contentType, body string
		want                      int
	}{
		"GET":                        {http.MethodGet, "", "", http.StatusMethodNotAllowed},
		"PUT":                        {http.MethodPut, "text/xml", "<faxJobReport><jobId>FJ1</jobId></faxJobReport>", http.StatusMethodNotAllowed},
		"no job ID":                  {http.MethodPost, "text/xml", `<faxJobReport xmlns="` + faxtest.PushNamespace + `"><pages>1</pages></faxJobReport>`, http.StatusBadRequest},
		"empty ReportResponse":       {http.MethodPost, "text/xml", `<ReportResponse/>`, http.StatusBadRequest},
		"empty body":                 {http.MethodPost, "text/xml", ``, http.StatusBadRequest},
		"XML that does not parse":    {http.MethodPost, "text/xml", `<faxJobReport><jobId>FJ1</faxJobReport>`, http.StatusBadRequest},
		"JSON without jobId":         {http.MethodPost, "application/json", `{"reports":[{"id":"FJ1"}]}`, http.StatusBadRequest},
		"a job ID changing the path": {http.MethodPost, "application/json", `{"jobId":".."}`, http.StatusBadRequest},
		"neither XML nor JSON":       {http.MethodPost, "text/plain", `jobId=FJ1`, http.StatusBadRequest},
		"too many jobs":              {http.MethodPost, "application/json", manyJobs(faxreport.MaxPushJobs + 1), http.StatusBadRequest},
	} {
		t.Run(name, func(t *testing.T) {
			env := newPushEnv(t, nil)
			resp := env.post(t, tc.method, tc.contentType, []byte(tc.body))
			wantStatus(t, resp, tc.want)
			if tc.want == http.StatusMethodNotAllowed && resp.Header.Get("Allow") != http.MethodPost {
				t.Errorf("Allow %q", resp.Header.Get("Allow"))
			}
			if n := len(env.fake.Requests()); n != 0 {
				t.Fatalf("%d requests to the API", n)
			}
		})
	}
}

func TestPushBodyCap(t *testing.T) {
	// A valid push padded past the cap: refused before anything is parsed or fetched. JSON, not
	// XML: encoding/xml takes about a CPU-second for a MiB under -race, which on a loaded machine
	// ran past testContext's deadline; the JSON reader takes a fifth of that.
	padded := func(size int) []byte {
		head := `{"jobId":"` + testJobID + `","documentName":"`
		tail := `"}`
		return []byte(head + strings.Repeat("x", size-len(head)-len(tail)) + tail)
	}
	// Each 413 closes its connection, which net/http lingers over for 500 ms: in parallel.
	t.Run("default 1 MiB", func(t *testing.T) {
		t.Parallel()
		env := newPushEnv(t, nil)
		env.fake.LoadExamples()
		wantStatus(t, env.post(t, http.MethodPost, "application/json", padded(faxreport.DefaultMaxPushBytes+1)), http.StatusRequestEntityTooLarge)
		wantStatus(t, env.post(t, http.MethodPost, "application/json", padded(faxreport.DefaultMaxPushBytes)), http.StatusNoContent)
	})
	t.Run("MaxBodyBytes", func(t *testing.T) {
		t.Parallel()
		env := newPushEnv(t, func(c *faxreport.PushConfig) { c.MaxBodyBytes = 1000 })
		env.fake.LoadExamples()
		wantStatus(t, env.post(t, http.MethodPost, "application/json", padded(1001)), http.StatusRequestEntityTooLarge)
		if n := env.fetches(testJobID); n != 0 {
			t.Fatalf("%d fetches after a 413", n)
		}
		wantStatus(t, env.post(t, http.MethodPost, "application/json", padded(1000)), http.StatusNoContent)
	})
}

// manyJobs is a JSON push naming n jobs.
func manyJobs(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"jobId":"FJMANY%04d"}`, i)
	}
	return `{"reports":[` + strings.Join(items, ",") + `]}`
}
