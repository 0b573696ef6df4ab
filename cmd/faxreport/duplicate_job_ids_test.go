package main

import (
	"strings"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

// singleGets counts the single-report GETs of jobID that s's data centers received.
func singleGets(s *faxtest.Server, jobID string) int {
	n := 0
	for _, dc := range s.DataCenters() {
		for _, r := range dc.Requests() {
			if r.Method == "GET" && r.JobID == jobID {
				n++
			}
		}
	}
	return n
}

// A job ID given twice to delete is deleted once, and "deleted" printed for each time, not
// "deleted" then "not found".
func TestDeleteDuplicateIDDeletedOnce(t *testing.T) {
	s, env := fakeEnv(t)
	inv := runCLI(t, env, "", "delete", exampleJob, exampleJob)
	if want := exampleJob + " deleted\n" + exampleJob + " deleted\n"; inv.code != exitOK || inv.stdout != want || inv.stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", inv.code, inv.stdout, inv.stderr)
	}
	for _, dc := range s.DataCenters() {
		if dc.Has(exampleJob) {
			t.Fatal("the job is still there")
		}
	}
	inv = runCLI(t, env, "", "--json", "delete", "FJ0MINIMAL0REPORT00001", "FJ0MINIMAL0REPORT00001")
	if want := `{"deleted":true,"jobId":"FJ0MINIMAL0REPORT00001"}` + "\n"; inv.code != exitOK || inv.stdout != want+want {
		t.Fatalf("--json: exit %d, stdout %q, stderr %q", inv.code, inv.stdout, inv.stderr)
	}
}

// get with a job ID given twice prints its report twice, reading it once: in bulk for the
// table, with one single-report GET for --json.
func TestGetDuplicateIDReadOnce(t *testing.T) {
	s, env := fakeEnv(t)
	inv := runCLI(t, env, "", "get", exampleJob, exampleJob)
	if inv.code != exitOK || strings.Count(inv.stdout, "Job "+exampleJob) != 2 || singleGets(s, exampleJob) != 0 {
		t.Errorf("table: exit %d, %d single GETs, stdout %q, stderr %q", inv.code, singleGets(s, exampleJob), inv.stdout, inv.stderr)
	}
	inv = runCLI(t, env, "", "--json", "get", exampleJob, "FJ0MINIMAL0REPORT00001", exampleJob)
	lines := strings.Split(strings.TrimSuffix(inv.stdout, "\n"), "\n")
	if inv.code != exitOK || len(lines) != 3 || lines[0] != lines[2] || !strings.Contains(lines[0], exampleJob) {
		t.Fatalf("--json: exit %d, stdout %q, stderr %q", inv.code, inv.stdout, inv.stderr)
	}
	// The example is in one data center: one GET there, one 404 at most from the other.
	if n := singleGets(s, exampleJob); n > 2 {
		t.Errorf("--json read the job with %d GETs, want it read once", n)
	}
}
