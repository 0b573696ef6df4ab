package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

// countLines counts how often each job ID is in the NDJSON file at path.
func countLines(t *testing.T, path string) map[string]int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, id := range jobIDsOfLines(t, string(data)) {
		seen[id]++
	}
	return seen
}

// Without faults, the file ends with every report exactly once, the fake ends empty, and the
// counts say so: 2,500 reports over two data centers, two pages each.
func TestDrainWritesEveryReportOnceThenDeletesIt(t *testing.T) {
	s, ids, env := seededEnv(t, 2500)
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	inv := runCLI(t, env, "", "drain", "--out", out)
	if inv.code != exitOK || inv.stderr != "" { // stderr is no terminal: no progress
		t.Fatalf("exit %d %q", inv.code, inv.stderr)
	}
	if want := "drained 2500 reports in 4 pages written to " + out + "; 2500 deleted, 0 already gone\n"; inv.stdout != want {
		t.Errorf("stdout %q, want %q", inv.stdout, want)
	}
	seen := countLines(t, out)
	for _, id := range ids {
		if seen[id] != 1 {
			t.Fatalf("job %s is %d times in the file", id, seen[id])
		}
	}
	if len(seen) != len(ids) || s.Count() != 0 {
		t.Fatalf("%d jobs in the file, %d left in the fake", len(seen), s.Count())
	}
	if info, err := os.Stat(out); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("file mode: %v %v", info.Mode(), err)
	}

	inv = runCLI(t, env, "", "drain", "--json", "--out", out) // nothing left: nothing appended
	var counts drainSummary
	if err := json.Unmarshal([]byte(inv.stdout), &counts); inv.code != exitOK || err != nil || counts != (drainSummary{Complete: true}) {
		t.Fatalf("second drain: exit %d %q %q", inv.code, inv.stdout, inv.stderr)
	}
	if len(countLines(t, out)) != len(ids) {
		t.Fatal("the second drain changed the file")
	}
}

// A file that cannot be written deletes nothing: one that cannot be opened stops the drain
// before it lists anything; one whose writes fail (a full disk) stops it before the page is
// deleted.
func TestDrainDeletesNothingItCouldNotWrite(t *testing.T) {
	s, _, env := seededEnv(t, 6)
	inv := runCLI(t, env, "", "drain", "--out", filepath.Join(t.TempDir(), "missing", "reports.ndjson"))
	if inv.code != exitUsage || !strings.HasPrefix(inv.stderr, "faxreport: --out: open ") || s.Count() != 6 {
		t.Fatalf("unopenable file: exit %d %q, %d reports left", inv.code, inv.stderr, s.Count())
	}
	if n := len(s.Requests()); n != 0 {
		t.Fatalf("unopenable file: %d requests sent", n)
	}
	if inv := runCLI(t, env, "", "drain"); inv.code != exitUsage || !strings.Contains(inv.stderr, "--out FILE is required") {
		t.Fatalf("no --out: exit %d %q", inv.code, inv.stderr)
	}

	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full to fail the writes")
	}
	inv = runCLI(t, env, "", "drain", "--json", "--out", "/dev/full")
	var counts drainSummary
	if err := json.Unmarshal([]byte(inv.stdout), &counts); err != nil || inv.code != exitFailure || counts != (drainSummary{}) {
		t.Fatalf("full disk: exit %d %q %q", inv.code, inv.stdout, inv.stderr)
	}
	if errs := errorLines(t, inv.stderr); len(errs) != 1 || !strings.Contains(errs[0].Message, "no space left on device") {
		t.Fatalf("full disk: stderr %q", inv.stderr)
	}
	for _, r := range s.Requests() {
		if r.Method != "GET" {
			t.Fatalf("full disk: a %s request was sent: %+v", r.Method, r)
		}
	}
	if s.Count() != 6 {
		t.Fatalf("full disk: %d reports left of 6", s.Count())
	}
}

// A drain stopped between writing a page and deleting it (here a data center refuses the
// deletion) loses nothing: run again, it writes that page again (at least once) and ends with
// every report in the file and the fake empty.
func TestDrainRerunAfterAnInterruptionLosesNothing(t *testing.T) {
	s, ids, env := seededEnv(t, 6) // 0, 2, 4 in the first data center
	// The first data center lists its page (a fault that only delays it by 1ns), then refuses
	// the deletion with a Retry-After too long to wait for: the drain fails there at once.
	s.DataCenter(0).Inject(faxtest.Fault{Latency: 1, Times: 1})
	s.DataCenter(0).Inject(faxtest.Fault{Status: 503, RetryAfter: "3600", Times: 1})
	out := filepath.Join(t.TempDir(), "reports.ndjson")

	inv := runCLI(t, env, "", "drain", "--out", out)
	if inv.code != exitUnavailable || !strings.HasPrefix(inv.stdout, "drain stopped, not complete (run it again): 6 reports in 2 pages written") ||
		!strings.Contains(inv.stderr, s.Endpoints()[0]) {
		t.Fatalf("first drain: exit %d %q %q", inv.code, inv.stdout, inv.stderr)
	}
	if left := s.DataCenter(0).Listed(); !slices.Equal(left, []string{ids[0], ids[2], ids[4]}) || s.Count() != 3 {
		t.Fatalf("after the first drain the fake lists %q, holds %d", left, s.Count())
	}

	inv = runCLI(t, env, "", "drain", "--out", out)
	if inv.code != exitOK || s.Count() != 0 {
		t.Fatalf("second drain: exit %d %q, %d left", inv.code, inv.stderr, s.Count())
	}
	seen := countLines(t, out)
	for i, id := range ids {
		if want := 1 + (i+1)%2; seen[id] != want { // the first data center's page twice
			t.Errorf("job %s is %d times in the file, want %d", id, seen[id], want)
		}
	}
}

// list --json and drain print the reports as the API sent them, as get --json does: unknown
// fields and nulls kept, only insignificant whitespace removed.
func TestListAndDrainPrintTheAPIsBytes(t *testing.T) {
	s, _, env := seededEnv(t, 0)
	body := `{"jobId":"FJEXTRA","recipientStatus":[{"number":"+49 1","properties":null,"status":"OK","reason":"OK","durationInSecs":3,"vendorKey":[1,null]}],"pages":1,"topExtra":{"a":true}}`
	s.PutJSON([]byte(strings.ReplaceAll(body, ",", ", "))) // with insignificant whitespace
	inv := runCLI(t, env, "", "list", "--json")
	if inv.code != exitOK || inv.stdout != body+"\n" {
		t.Fatalf("list --json: exit %d, %q, want %q", inv.code, inv.stdout, body)
	}
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	if inv := runCLI(t, env, "", "drain", "--out", out); inv.code != exitOK {
		t.Fatalf("drain: exit %d %q", inv.code, inv.stderr)
	}
	if data, _ := os.ReadFile(out); string(data) != body+"\n" {
		t.Fatalf("drained %q, want %q", data, body)
	}
}
