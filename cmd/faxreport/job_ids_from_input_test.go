package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

// get reads job IDs from standard input ("-") after those of the arguments, in order, and
// reads several jobs in bulk: one bulk GET per data center, and the single-report call only to
// confirm the job no data center returned.
func TestGetReadsJobIDsFromStdinInBulk(t *testing.T) {
	s, ids, env := seededEnv(t, 4)
	inv := runCLI(t, env, ids[3]+"\n\n  "+ids[1]+" FJNOSUCHJOB\n"+ids[2]+"\n", "get", ids[0], "-")
	if inv.code != exitNotFound || !strings.HasPrefix(inv.stderr, `faxreport: get job "FJNOSUCHJOB": not found`) {
		t.Fatalf("exit %d %q", inv.code, inv.stderr)
	}
	last := -1
	for _, id := range []string{ids[0], ids[3], ids[1], ids[2]} {
		at := strings.Index(inv.stdout, "Job "+id+",")
		if at < last {
			t.Fatalf("%s missing or out of order:\n%s", id, inv.stdout)
		}
		last = at
	}
	bulk := 0
	for _, r := range s.Requests() {
		switch {
		case r.Method == http.MethodPost && len(r.JobIDs) == 5:
			bulk++
		case r.Method == http.MethodGet && r.JobID == "FJNOSUCHJOB":
		default:
			t.Errorf("unexpected request %+v", r)
		}
	}
	if bulk != 2 {
		t.Errorf("%d bulk requests, want one per data center", bulk)
	}

	file := filepath.Join(t.TempDir(), "ids")
	os.WriteFile(file, []byte(ids[2]+"\n"+ids[0]+"\n"), 0o600)
	inv = runCLI(t, env, "", "get", "--ids-file", file)
	if inv.code != exitOK || strings.Index(inv.stdout, ids[2]) > strings.Index(inv.stdout, ids[0]) {
		t.Fatalf("--ids-file: exit %d\n%s%s", inv.code, inv.stdout, inv.stderr)
	}
}

// delete reads job IDs from standard input and deletes several jobs with bulk DELETE only.
func TestDeleteReadsJobIDsFromStdinInBulk(t *testing.T) {
	s, ids, env := seededEnv(t, 4)
	inv := runCLI(t, env, ids[2]+"\n"+ids[0]+"\n"+ids[1]+"\n", "delete", "--ids-file", "-")
	if want := ids[2] + " deleted\n" + ids[0] + " deleted\n" + ids[1] + " deleted\n"; inv.code != exitOK || inv.stdout != want {
		t.Fatalf("exit %d %q %q", inv.code, inv.stdout, inv.stderr)
	}
	if s.Count() != 1 || !s.DataCenter(1).Has(ids[3]) { // seeded round robin: 3 is in the second
		t.Fatalf("%d reports left", s.Count())
	}
	for _, r := range s.Requests() {
		if r.Method != http.MethodPost || len(r.JobIDs) != 3 {
			t.Errorf("not a bulk deletion of the three jobs: %+v", r)
		}
	}
	inv = runCLI(t, env, ids[3]+"\n"+ids[0]+"\n", "delete", "-")
	if inv.code != exitNotFound || inv.stdout != ids[3]+" deleted\n" || !strings.Contains(inv.stderr, ids[0]) {
		t.Fatalf("again: exit %d %q %q", inv.code, inv.stdout, inv.stderr)
	}
}

// Standard input is read once, and input without a job ID is an invalid input.
func TestJobIDInputErrors(t *testing.T) {
	_, _, env := seededEnv(t, 1)
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"get", "-"}, "faxreport: no job ID given: the input was empty\n"},
		{"\n \n", []string{"delete", "--ids-file", "-"}, "faxreport: no job ID given: the input was empty\n"},
		{"FJ1", []string{"get", "-", "--ids-file", "-"}, "faxreport: standard input can be read once"},
		{"FJ1", []string{"get", "-", "-"}, "faxreport: standard input can be read once"},
		{"FJ1", []string{"delete", "-", "--password-file", "-"}, "faxreport: standard input can be read once"},
		{"", []string{"get", "--ids-file", filepath.Join(t.TempDir(), "missing")}, "faxreport: --ids-file: open "},
	} {
		inv := runCLI(t, env, tc.stdin, tc.args...)
		if inv.code != exitUsage || !strings.HasPrefix(inv.stderr, tc.want) {
			t.Errorf("%q: exit %d %q", tc.args, inv.code, inv.stderr)
		}
	}
}

// A bulk deletion whose answer was lost is reported as unconfirmed, never as not found, and the
// other jobs' outcomes are kept.
func TestDeleteInBulkLostAnswerIsUnconfirmed(t *testing.T) {
	s, ids, env := seededEnv(t, 2) // one job in each data center
	// The second data center deletes its job, but its answer is lost: asked again, it says
	// NOT_FOUND for both jobs, which may be its own earlier deletion.
	s.DataCenter(1).Inject(faxtest.Fault{DropAnswer: true, Times: 1})
	inv := runCLI(t, env, "", "delete", "--json", ids[0], ids[1])
	if inv.code == exitOK || inv.code == exitNotFound || inv.stdout != `{"deleted":true,"jobId":"`+ids[0]+`"}`+"\n" {
		t.Fatalf("exit %d %q %q", inv.code, inv.stdout, inv.stderr)
	}
	errs := errorLines(t, inv.stderr)
	if len(errs) != 1 || errs[0].JobID == nil || *errs[0].JobID != ids[1] || errs[0].Kind == "not_found" ||
		!strings.Contains(errs[0].Message, "unconfirmed") {
		t.Fatalf("stderr %q", inv.stderr)
	}
	if s.Count() != 0 {
		t.Fatalf("%d left", s.Count())
	}
}
