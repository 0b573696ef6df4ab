package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// A wait that runs out of time while the report exists but is still PENDING exits 7
// (kind "pending" with --json), not 6: the job is there, only not done yet.
func TestWaitTimeoutWhilePendingExitsPending(t *testing.T) {
	s, env := fakeEnv(t)
	s.PutPending(&faxreport.Report{JobID: "FJSLOW", Pages: 1, RecipientStatus: []faxreport.RecipientStatus{
		{Number: "+1 555 0100", Status: faxreport.StatusOK, Reason: "OK"},
	}}, faxtest.Pending{For: time.Hour})
	args := []string{"wait", "--timeout", "200ms", "--poll-min", "10ms", "--poll-max", "20ms", "FJSLOW"}
	inv := runCLI(t, env, "", args...)
	if inv.code != exitPending || !strings.Contains(inv.stderr, "1 of 1 recipients pending") {
		t.Fatalf("exit %d: %q", inv.code, inv.stderr)
	}
	inv = runCLI(t, env, "", append(args, "--json")...)
	var failure struct {
		JobID, Kind string
		ExitCode    int
	}
	if err := json.Unmarshal([]byte(inv.stderr), &failure); err != nil || inv.code != exitPending ||
		failure != (struct {
			JobID, Kind string
			ExitCode    int
		}{"FJSLOW", "pending", exitPending}) {
		t.Fatalf("--json: exit %d %v %q", inv.code, err, inv.stderr)
	}
}

// A wait that runs out of time without ever seeing the report is not pending: nothing says the
// job exists.
func TestWaitTimeoutWithNoReportIsNotPending(t *testing.T) {
	_, env := fakeEnv(t)
	inv := runCLI(t, env, "", "wait", "--timeout", "200ms", "--poll-min", "10ms", "--poll-max", "20ms", "--not-found-limit", "1000", "FJNOTYET")
	if inv.code == exitPending || inv.code == exitOK || !strings.Contains(inv.stderr, "no report seen") {
		t.Fatalf("exit %d: %q", inv.code, inv.stderr)
	}
}
