package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// seededEnv starts a fake region of two data centers holding n seeded reports (no examples)
// and returns the environment that points the command at it.
func seededEnv(t *testing.T, n int) (*faxtest.Server, []string, map[string]string) {
	t.Helper()
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 2})
	ids := s.SeedReports(n)
	return s, ids, map[string]string{
		"FAXREPORT_CUSTNR":    s.CustomerNumber,
		"FAXREPORT_USERNAME":  s.Username,
		"FAXREPORT_PASSWORD":  s.Password,
		"FAXREPORT_ENDPOINTS": strings.Join(s.Endpoints(), ","),
	}
}

// jobIDsOfLines decodes NDJSON reports and returns their job IDs, in order.
func jobIDsOfLines(t *testing.T, ndjson string) []string {
	t.Helper()
	var ids []string
	for line := range strings.Lines(ndjson) {
		var r faxreport.Report
		if err := json.Unmarshal([]byte(line), &r); err != nil || r.JobID == "" || !strings.HasSuffix(line, "}\n") {
			t.Fatalf("line %q is not one report: %v", line, err)
		}
		ids = append(ids, r.JobID)
	}
	return ids
}

func TestListTableCountsEachDataCenter(t *testing.T) {
	s, ids, env := seededEnv(t, 5)
	inv := runCLI(t, env, "", "list")
	if inv.code != exitOK || inv.stderr != "" {
		t.Fatalf("exit %d %q", inv.code, inv.stderr)
	}
	for _, want := range append(ids,
		"JOB", "PAGES", "RECIPIENTS", "STATUS", "DATA CENTER",
		s.Endpoints()[0]+": 3 reports\n", s.Endpoints()[1]+": 2 reports\n") {
		if !strings.Contains(inv.stdout, want) {
			t.Errorf("list lacks %q:\n%s", want, inv.stdout)
		}
	}
	if s.Count() != 5 {
		t.Fatalf("list changed the fake: %d reports left", s.Count())
	}
}

func TestListJSONIsOneReportPerLine(t *testing.T) {
	_, ids, env := seededEnv(t, 5)
	inv := runCLI(t, env, "", "list", "--json")
	if inv.code != exitOK || inv.stderr != "" {
		t.Fatalf("exit %d %q", inv.code, inv.stderr)
	}
	got := jobIDsOfLines(t, inv.stdout)
	slices.Sort(got)
	if !slices.Equal(got, ids) {
		t.Fatalf("--json listed %q, want %q", got, ids)
	}
}

// A data center that lists the most it may says that it may hold more; one under the limit
// does not.
func TestListSaysWhenADataCenterHitTheLimit(t *testing.T) {
	s, _, env := seededEnv(t, 2*faxreport.ListLimit-2) // 999 in each
	s.DataCenter(0).Put(&faxreport.Report{JobID: "FJONEMORE", Pages: 1, RecipientStatus: []faxreport.RecipientStatus{}})
	inv := runCLI(t, env, "", "list")
	if inv.code != exitOK {
		t.Fatalf("exit %d %q", inv.code, inv.stderr)
	}
	for _, want := range []string{
		s.Endpoints()[0] + ": 1000 reports, the most a data center lists: it may hold more (drain reads them all)\n",
		s.Endpoints()[1] + ": 999 reports\n",
	} {
		if !strings.Contains(inv.stdout, want) {
			t.Errorf("list lacks %q", want)
		}
	}
}

// A data center that fails is named, the others' reports are printed, and the exit code is
// the failure's: a partial listing is never presented as complete.
func TestListNamesAFailedDataCenter(t *testing.T) {
	s, ids, env := seededEnv(t, 4) // 0 and 2 in the first data center, 1 and 3 in the second
	// A Retry-After too long to wait for: the data center fails at once, without retries.
	s.DataCenter(1).Inject(faxtest.Fault{Status: 503, RetryAfter: "3600"})
	failed := s.Endpoints()[1]

	inv := runCLI(t, env, "", "list")
	if inv.code != exitUnavailable {
		t.Fatalf("exit %d, want %d; %q", inv.code, exitUnavailable, inv.stderr)
	}
	if !strings.Contains(inv.stdout, ids[0]) || !strings.Contains(inv.stdout, ids[2]) || strings.Contains(inv.stdout, ids[1]) ||
		!strings.Contains(inv.stdout, failed+": failed") || !strings.Contains(inv.stdout, s.Endpoints()[0]+": 2 reports") {
		t.Errorf("stdout:\n%s", inv.stdout)
	}
	if !strings.HasPrefix(inv.stderr, "faxreport: list: 1 of 2 data centers failed: ") || !strings.Contains(inv.stderr, failed) ||
		strings.Count(inv.stderr, "\n") != 1 {
		t.Errorf("stderr %q does not name %s on one line", inv.stderr, failed)
	}

	inv = runCLI(t, env, "", "list", "--json")
	if got := jobIDsOfLines(t, inv.stdout); inv.code != exitUnavailable || !slices.Equal(got, []string{ids[0], ids[2]}) {
		t.Fatalf("--json: exit %d, listed %q", inv.code, got)
	}
	errs := errorLines(t, inv.stderr)
	if len(errs) != 1 || errs[0].JobID != nil || errs[0].Kind != "unavailable" || !strings.Contains(errs[0].Message, failed) {
		t.Fatalf("--json errors %q", inv.stderr)
	}
}
