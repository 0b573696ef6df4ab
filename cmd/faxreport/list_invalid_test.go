package main

import (
	"strings"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

// list shows a listed report that breaks the contract as such: a row marked INVALID in the
// table, and with --json an error line of its own, with its jobId, on stderr (not a line on
// stdout), besides the line of a data center that failed otherwise. Exit code 5.
func TestListShowsInvalidReports(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	valid, invalid := reportBody("FJVALID", "2017-08-10T13:05:09Z"), reportBody("FJBROKEN", "2017-08-10 13:05:09Z")
	env := map[string]string{
		"FAXREPORT_CUSTNR":    s.CustomerNumber,
		"FAXREPORT_USERNAME":  s.Username,
		"FAXREPORT_PASSWORD":  s.Password,
		"FAXREPORT_ENDPOINTS": strings.Join(s.Endpoints(), ","),
	}
	listing := faxtest.Fault{Malformed: []byte(`{"reports":[` + valid + `,` + invalid + `]}`), Times: 1}

	s.DataCenter(0).Inject(listing)
	inv := runCLI(t, env, "", "list")
	if inv.code != exitInvalid || !strings.Contains(inv.stderr, "FJBROKEN") {
		t.Fatalf("exit %d, stderr %q", inv.code, inv.stderr)
	}
	var row string
	for line := range strings.Lines(inv.stdout) {
		if strings.HasPrefix(line, "FJBROKEN ") {
			row = line
		}
	}
	if !strings.Contains(row, "INVALID") || !strings.Contains(row, hostOf(s.Endpoints()[0])) || !strings.Contains(inv.stdout, "FJVALID ") {
		t.Fatalf("table:\n%s", inv.stdout)
	}

	s.DataCenter(0).Inject(listing)
	s.DataCenter(1).Inject(faxtest.Fault{Status: 503, RetryAfter: "3600", Times: 1})
	inv = runCLI(t, env, "", "list", "--json")
	if inv.code != exitInvalid || inv.stdout != valid+"\n" {
		t.Fatalf("--json: exit %d, stdout %q", inv.code, inv.stdout)
	}
	errs := errorLines(t, inv.stderr)
	if len(errs) != 2 || errs[0].JobID == nil || *errs[0].JobID != "FJBROKEN" || errs[0].Kind != "invalid_response" || !strings.Contains(errs[0].Message, "sentTs") ||
		errs[1].JobID != nil || errs[1].Kind != "unavailable" || !strings.Contains(errs[1].Message, s.Endpoints()[1]) || strings.Contains(errs[1].Message, "FJBROKEN") {
		t.Fatalf("--json errors %q", inv.stderr)
	}
}
