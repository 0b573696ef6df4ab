package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

// reportBody is a final report of job; with sentTs, a value that breaks the contract (a space
// for the T of ISO 8601) in its place.
func reportBody(job, sentTs string) string {
	return `{"jobId":"` + job + `","recipientStatus":[{"number":"+49 89 1234567","status":"OK","reason":"OK","sentTs":"` + sentTs + `","durationInSecs":12}],"pages":1}`
}

// invalidListingRegion is a one-data-center fake region holding a valid report, whose first
// listing also lists an invalid one (the fake stores only valid reports, so it answers that
// listing as a fault). It returns the region, its environment and the two bodies.
func invalidListingRegion(t *testing.T) (s *faxtest.Server, env map[string]string, valid, invalid string) {
	t.Helper()
	s = faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1})
	valid, invalid = reportBody("FJVALID", "2017-08-10T13:05:09Z"), reportBody("FJBROKEN", "2017-08-10 13:05:09Z")
	s.DataCenter(0).PutJSON([]byte(valid))
	s.DataCenter(0).Inject(faxtest.Fault{Malformed: []byte(`{"reports":[` + valid + `,` + invalid + `]}`), Times: 1})
	return s, map[string]string{
		"FAXREPORT_CUSTNR":    s.CustomerNumber,
		"FAXREPORT_USERNAME":  s.Username,
		"FAXREPORT_PASSWORD":  s.Password,
		"FAXREPORT_ENDPOINTS": s.Endpoints()[0],
	}, valid, invalid
}

// A listed report that breaks the contract is kept as the API sent it in --invalid (by default
// --out with .invalid appended), one JSON object per line with its job, data center and error,
// synced before it is deleted; it does not hold up the valid one beside it, and the drain
// exits 5, saying how many.
func TestDrainQuarantinesInvalidReports(t *testing.T) {
	s, env, valid, invalid := invalidListingRegion(t)
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	inv := runCLI(t, env, "", "drain", "--out", out)
	if inv.code != exitInvalid || !strings.Contains(inv.stdout, "; 1 invalid report quarantined") ||
		inv.stderr != "faxreport: 1 report broke the API contract: they are in "+out+".invalid, as the API sent them\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", inv.code, inv.stdout, inv.stderr)
	}
	if data, _ := os.ReadFile(out); string(data) != valid+"\n" {
		t.Fatalf("--out holds %q, want the valid report", data)
	}
	data, err := os.ReadFile(out + ".invalid")
	if err != nil {
		t.Fatal(err)
	}
	var line struct {
		JobID, DataCenter, Error string
		Report                   json.RawMessage
	}
	if err := json.Unmarshal(data, &line); err != nil || strings.Count(string(data), "\n") != 1 {
		t.Fatalf("--invalid holds %q: %v", data, err)
	}
	if line.JobID != "FJBROKEN" || line.DataCenter != s.Endpoints()[0] || !strings.Contains(line.Error, "sentTs") || string(line.Report) != invalid {
		t.Fatalf("quarantined %+v, want job FJBROKEN of %s, its error and %s", line, s.Endpoints()[0], invalid)
	}
	if s.Count() != 0 {
		t.Fatalf("%d reports left in the fake", s.Count())
	}
}

// --invalid names another file; "-" and --out's own path are refused before anything is listed.
func TestDrainInvalidFlag(t *testing.T) {
	_, env, _, _ := invalidListingRegion(t)
	dir := t.TempDir()
	out, quarantine := filepath.Join(dir, "reports.ndjson"), filepath.Join(dir, "refused.ndjson")
	for _, bad := range []string{"-", out} {
		if inv := runCLI(t, env, "", "drain", "--out", out, "--invalid", bad); inv.code != exitUsage || !strings.HasPrefix(inv.stderr, "faxreport: --invalid ") {
			t.Errorf("--invalid %s: exit %d %q", bad, inv.code, inv.stderr)
		}
	}
	inv := runCLI(t, env, "", "drain", "--json", "--out", out, "--invalid", quarantine)
	errs := errorLines(t, inv.stderr)
	if inv.code != exitInvalid || len(errs) != 1 || errs[0].Kind != "invalid_response" || !strings.Contains(inv.stdout, `"quarantined":1`) {
		t.Fatalf("exit %d, stdout %q, stderr %q", inv.code, inv.stdout, inv.stderr)
	}
	if data, _ := os.ReadFile(quarantine); !strings.Contains(string(data), `"jobId":"FJBROKEN"`) {
		t.Fatalf("--invalid holds %q", data)
	}
}
