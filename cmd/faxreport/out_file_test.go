package main

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

// tornFile writes content to a new file and returns its path.
func tornFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "reports.ndjson")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const wholeLine = `{"jobId":"FJBEFORE","recipientStatus":[],"pages":1}` + "\n"

// A drain appending to a file whose last line a killed run left unterminated first ends that
// line (a whole JSON value) or cuts it off (a torn write), says which on stderr, and then every
// line of the file is one report: none is appended onto the torn line.
func TestDrainMendsATornLastLine(t *testing.T) {
	for _, tc := range []struct {
		name, tail, said string
		kept             []string
	}{
		{"torn write", `{"jobId":"FJTORN","recipientSt`, "cut it off", nil},
		{"unterminated whole value", `{"jobId":"FJWHOLE"}`, "ended it with a newline", []string{"FJWHOLE"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ids, env := seededEnv(t, 3)
			out := tornFile(t, wholeLine+tc.tail)
			inv := runCLI(t, env, "", "drain", "--out", out)
			if inv.code != exitOK || !strings.HasPrefix(inv.stderr, "faxreport: warning: --out "+out+" ended with an unterminated line") || !strings.Contains(inv.stderr, tc.said) {
				t.Fatalf("exit %d, stderr %q", inv.code, inv.stderr)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			got := jobIDsOfLines(t, string(data)) // every line a whole report
			want := append(append([]string{"FJBEFORE"}, tc.kept...), ids...)
			slices.Sort(got[1:])
			slices.Sort(want[1:])
			if !slices.Equal(got, want) || s.Count() != 0 {
				t.Fatalf("jobs in the file %q, want %q; %d left in the fake", got, want, s.Count())
			}
		})
	}
}

// listen mends a torn last line the same way before it answers any push: the pushed report's
// line is whole, and so is every other.
func TestListenMendsATornLastLine(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	ids := putJobs(s, 1)
	out := tornFile(t, wholeLine+`{"jobId":"FJTO`)
	l := startListen(t, listenEnv(s), "--addr", "127.0.0.1:0", "--out", out)
	if status := pushAll(s, l.url, ids, faxtest.PushBasicAuth(pushUser, pushPassword)); status[ids[0]] != http.StatusNoContent {
		t.Fatalf("push answered %d: %s", status[ids[0]], l.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := jobIDsOfLines(t, string(data)); !slices.Equal(got, []string{"FJBEFORE", ids[0]}) {
		t.Fatalf("jobs in the file %q", got)
	}
	if code := l.stop(); code != exitOK || !strings.Contains(l.stderr.String(), "cut it off") {
		t.Fatalf("exit %d, stderr %s", code, l.stderr)
	}
}

// drain --out must be a regular file, which it can sync: standard output ("-", which means
// standard input for --ids-file), a device, a directory or a named pipe is refused with exit 2
// before anything is listed, and no file named "-" is made.
func TestDrainRefusesAnOutThatIsNoRegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{"-", os.DevNull, dir, fifo} {
		s, _, env := seededEnv(t, 3)
		inv := runCLI(t, env, "", "drain", "--out", out)
		if inv.code != exitUsage || !strings.HasPrefix(inv.stderr, "faxreport: --out ") || len(s.Requests()) != 0 || s.Count() != 3 {
			t.Errorf("--out %s: exit %d %q, %d requests sent", out, inv.code, inv.stderr, len(s.Requests()))
		}
	}
	if _, err := os.Stat("-"); err == nil {
		t.Error(`drain --out - made a file named "-"`)
	}
}

// A second drain to a file that a running drain holds fails at once with exit 1 and says so,
// having sent no request; the first goes on undisturbed.
func TestDrainRefusesAFileAnotherDrainHolds(t *testing.T) {
	s, g, env := gatedRegion(t, 3)
	listing := g.hold("GET", 1)
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	first := startDrain(t, env, "--out", out)
	received(t, listing.arrived, "listing") // the first drain has opened and locked the file

	inv := runCLI(t, env, "", "drain", "--out", out)
	if inv.code != exitFailure || !strings.Contains(inv.stderr, "--out "+out+": another faxreport drain or listen holds this file") {
		t.Fatalf("second drain: exit %d %q", inv.code, inv.stderr)
	}
	if n := g.requests("GET") + g.requests("POST"); n != 1 {
		t.Fatalf("%d requests sent, want the first drain's listing only", n)
	}
	listing.release()
	if code := first.wait(); code != exitOK || s.Count() != 0 || len(countLines(t, out)) != 3 {
		t.Fatalf("first drain: exit %d %s, %d left", code, first.stderr, s.Count())
	}
}

// --out renamed away and replaced (as logrotate does) while a page is listed: that page is
// written to the file that was opened, then found no longer to be --out, so it is not deleted,
// and the drain stops with exit 1.
func TestDrainStopsWhenOutIsReplaced(t *testing.T) {
	s, g, env := gatedRegion(t, 3)
	listing := g.hold("GET", 1)
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	d := startDrain(t, env, "--out", out)
	received(t, listing.arrived, "listing")
	if err := os.Rename(out, out+".1"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	listing.release()
	if code := d.wait(); code != exitFailure || !strings.Contains(d.stderr.String(), "--out "+out+" no longer names the file this run writes") {
		t.Fatalf("exit %d, stderr %s", code, d.stderr)
	}
	if s.Count() != 3 || g.requests("POST") != 0 {
		t.Fatalf("%d left in the fake, %d deletions sent: want nothing deleted", s.Count(), g.requests("POST"))
	}
	if n := len(countLines(t, out+".1")); n != 3 {
		t.Fatalf("%d jobs in the renamed file, want the page", n)
	}
}
