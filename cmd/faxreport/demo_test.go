package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/faxreport/faxreport/api"
)

const pendingDemoJob = "FJ0PENDING0REPORT00001"

// --demo refuses the flags that choose a real service, rather than ignore them.
func TestDemoRefusesConnectionFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--region", "america"}, {"--custnr", "1"}, {"--username", "u"}, {"--password-file", "-"},
		{"--endpoints", "https://example.com/rest/v1"},
	} {
		inv := runCLI(t, nil, "", append([]string{"get", "--demo", exampleJob}, args...)...)
		if inv.code != exitUsage || !strings.HasPrefix(inv.stderr, "faxreport: --demo serves a built-in fake region and takes no "+args[0]+"\n") {
			t.Errorf("%q: exit %d %q", args, inv.code, inv.stderr)
		}
	}
}

// --demo honours --timeout and the poll flags: with a poll interval of an hour, a wait for the
// pending job polls once, then once more halfway to the deadline, and times out.
func TestDemoHonoursTimeoutAndPollFlags(t *testing.T) {
	inv := runCLI(t, nil, "", "wait", "--demo", "--timeout", "300ms", "--poll-min", "1h", "--poll-max", "1h", pendingDemoJob)
	if inv.code != exitPending || !strings.Contains(inv.stderr, " and 2 polls (last seen 1 of 2 recipients pending)") {
		t.Fatalf("exit %d %q", inv.code, inv.stderr)
	}
	inv = runCLI(t, nil, "", "wait", "--demo", "--poll-min", "1s", "--poll-max", "500ms", pendingDemoJob)
	if inv.code != exitUsage {
		t.Fatalf("poll flags in conflict: exit %d %q", inv.code, inv.stderr)
	}
}

// The demo's pending job is believable: while it is pending, the recipient already delivered
// in the example shows as delivered; once final, every recipient has a sent time.
func TestDemoPendingJobIsBelievable(t *testing.T) {
	inv := runCLI(t, nil, "", "get", "--demo", pendingDemoJob)
	for _, want := range []string{
		"+1 212 5550100  PENDING  In progress  -                     0s",
		"+1 212 5550101  OK       OK           2024-03-01T09:30:00Z  42s       0012125550101",
	} {
		if inv.code != exitOK || !strings.Contains(inv.stdout, want) {
			t.Fatalf("pending: exit %d, lacks %q:\n%s%s", inv.code, want, inv.stdout, inv.stderr)
		}
	}
	inv = runCLI(t, nil, "", "wait", "--demo", pendingDemoJob)
	for _, want := range []string{
		"+1 212 5550100  OK      OK      2024-03-01T09:31:05Z  47s       0012125550100",
		"+1 212 5550101  OK      OK      2024-03-01T09:30:00Z  42s       0012125550101",
	} {
		if inv.code != exitOK || !strings.Contains(inv.stdout, want) {
			t.Fatalf("final: exit %d, lacks %q:\n%s%s", inv.code, want, inv.stdout, inv.stderr)
		}
	}
}

// The help names every job of the demo, the pending one included.
func TestHelpNamesTheDemoJobs(t *testing.T) {
	inv := runCLI(t, nil, "", "help")
	for _, id := range []string{exampleJob, "FJ0MINIMAL0REPORT00001", pendingDemoJob} {
		if !strings.Contains(inv.stdout, "--demo "+id) {
			t.Errorf("help lacks the demo job %s:\n%s", id, inv.stdout)
		}
		if inv := runCLI(t, nil, "", "get", "--demo", id); inv.code != exitOK {
			t.Errorf("get --demo %s: exit %d %s", id, inv.code, inv.stderr)
		}
	}
}

// Every demo job prints in the API's shape with --json, the pending one once final too: the
// example's field order and its nulls, not a re-encoding.
func TestDemoJobsPrintTheAPIShape(t *testing.T) {
	for _, name := range api.Reports() {
		example := api.Example(name)
		var id struct{ JobID string }
		if err := json.Unmarshal(example, &id); err != nil {
			t.Fatal(err)
		}
		inv := runCLI(t, nil, "", "wait", "--json", "--demo", id.JobID)
		if inv.code != exitOK {
			t.Fatalf("%s: exit %d %s", id.JobID, inv.code, inv.stderr)
		}
		if id.JobID != pendingDemoJob {
			if want := compact(t, example); inv.stdout != want {
				t.Errorf("%s: %s, want %s", id.JobID, inv.stdout, want)
			}
			continue
		}
		delivered := `{"number":"+1 212 5550101","properties":null,"status":"OK","reason":"OK","sentTs":"2024-03-01T09:30:00Z","durationInSecs":42,"sentToNumber":"0012125550101","remoteCsid":""}`
		if !strings.HasPrefix(inv.stdout, `{"jobId":"FJ0PENDING0REPORT00001","recipientStatus":[{"number":"+1 212 5550100","properties":[`) ||
			!strings.Contains(inv.stdout, `"status":"OK","reason":"OK","sentTs":"2024-03-01T09:31:05Z","durationInSecs":47,"sentToNumber":"0012125550100"},`+delivered+`],"pages":3,`) {
			t.Errorf("the final pending job is not in the example's shape: %s", inv.stdout)
		}
	}
}
