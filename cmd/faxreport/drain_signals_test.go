package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The first SIGINT, while a page's bulk DELETE is in flight, lets that deletion finish (the
// page is done: written, synced, deleted), then stops before the next page: exit 130, with the
// counts. main cancels its context on that signal too; the deletion must not see it.
func TestDrainFirstSignalFinishesThePageBeingDeleted(t *testing.T) {
	s, g, env := gatedRegion(t, 1001) // two pages: 1000, then 1
	deletion := g.hold("POST", 1)
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	d := startDrain(t, env, "--out", out)

	received(t, deletion.arrived, "bulk DELETE")
	d.signal(syscall.SIGINT)
	d.awaitStopping(t)
	deletion.release()
	if code := d.wait(); code != exitInterrupted {
		t.Fatalf("exit %d, want %d: %s", code, exitInterrupted, d.stderr)
	}
	if want := "drain stopped, not complete (run it again): 1000 reports in 1 page written to " + out + "; 1000 deleted, 0 already gone\n"; d.stdout.String() != want {
		t.Errorf("stdout %q, want %q", d.stdout, want)
	}
	if !strings.HasSuffix(d.stderr.String(), "\nfaxreport: drain stopped by SIGINT: the pages begun were finished (written, synced and their deletions answered); the rest is left for the next run\n") {
		t.Errorf("stderr %q", d.stderr)
	}
	if n := len(countLines(t, out)); n != 1000 || s.Count() != 1 || g.requests("POST") != 1 {
		t.Fatalf("%d jobs in the file, %d left in the fake, %d deletions sent: want the first page done, the second untouched", n, s.Count(), g.requests("POST"))
	}
}

// A SIGTERM while a page is being listed leaves that page as it is, not written and not
// deleted: exit 143.
func TestDrainSignalWhileAPageIsListedLeavesItAsItIs(t *testing.T) {
	s, g, env := gatedRegion(t, 3)
	listing := g.hold("GET", 1)
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	d := startDrain(t, env, "--out", out, "--json")

	received(t, listing.arrived, "listing")
	d.signal(syscall.SIGTERM)
	d.awaitStopping(t)
	listing.release()
	if code := d.wait(); code != exitTerminated {
		t.Fatalf("exit %d, want %d: %s", code, exitTerminated, d.stderr)
	}
	if d.stdout.String() != `{"complete":false,"pages":0,"reports":0,"deleted":0,"gone":0,"quarantined":0}`+"\n" {
		t.Errorf("stdout %q", d.stdout)
	}
	errs := errorLines(t, withoutLogRecords(d.stderr.String()))
	if len(errs) != 1 || errs[0].Kind != "terminated" || errs[0].ExitCode != exitTerminated {
		t.Errorf("stderr %q", d.stderr)
	}
	if n := len(countLines(t, out)); n != 0 || s.Count() != 3 || g.requests("POST") != 0 {
		t.Fatalf("%d jobs in the file, %d left in the fake, %d deletions sent: want nothing done", n, s.Count(), g.requests("POST"))
	}
}

// A second signal stops the drain at once: the bulk DELETE in flight is abandoned (the data
// center never gets it), and since the page's lines were synced before it was sent, nothing is
// lost: a rerun writes that page again and deletes everything.
func TestDrainSecondSignalStopsAtOnceAndLosesNothing(t *testing.T) {
	s, g, env := gatedRegion(t, 3)
	deletion := g.hold("POST", 1)
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	d := startDrain(t, env, "--out", out)

	received(t, deletion.arrived, "bulk DELETE")
	d.signal(syscall.SIGINT)
	d.awaitStopping(t)
	d.signal(syscall.SIGINT) // the deletion stays held: only the second signal can end it
	if code := d.wait(); code != exitInterrupted {
		t.Fatalf("exit %d, want %d: %s", code, exitInterrupted, d.stderr)
	}
	if !strings.HasPrefix(d.stdout.String(), "drain stopped, not complete (run it again): 3 reports in 1 page written") {
		t.Errorf("stdout %q", d.stdout)
	}
	if !strings.Contains(d.stderr.String(), "faxreport: drain stopped at once by a second SIGINT: what was in flight was abandoned") {
		t.Errorf("stderr %q does not say the second signal abandoned what was in flight", d.stderr)
	}
	if n := len(countLines(t, out)); n != 3 || s.Count() != 3 {
		t.Fatalf("%d jobs in the file, %d left in the fake: want the page written, nothing deleted", n, s.Count())
	}

	if inv := runCLI(t, env, "", "drain", "--out", out); inv.code != exitOK || s.Count() != 0 {
		t.Fatalf("rerun: exit %d %q, %d left", inv.code, inv.stderr, s.Count())
	}
	for id, n := range countLines(t, out) {
		if n != 2 {
			t.Errorf("job %s is %d times in the file, want twice (at least once, and the page was written twice)", id, n)
		}
	}
}

// withoutLogRecords is stderr of a --json run without its log records: its error lines.
func withoutLogRecords(stderr string) string {
	var errs strings.Builder
	for line := range strings.Lines(stderr) {
		if !strings.Contains(line, `"level":`) {
			errs.WriteString(line)
		}
	}
	return errs.String()
}

// A second signal stops the drain at once even while the write of a page to --out blocks (a
// hung NFS mount, say): the drain does not wait for the write, and deletes nothing of the page.
func TestDrainSecondSignalStopsAtOnceWhileTheWriteBlocks(t *testing.T) {
	s, g, env := gatedRegion(t, 3)
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	stuck := newStuckStdout()
	t.Cleanup(func() { close(stuck.release) }) // after the drain has returned: the write then ends
	writeThroughFile := fileWriter
	fileWriter = func(f *os.File) io.Writer {
		if f.Name() == out {
			return stuck
		}
		return f
	}
	t.Cleanup(func() { fileWriter = writeThroughFile })
	d := startDrain(t, env, "--out", out)

	select {
	case <-stuck.entered:
	case code := <-d.done:
		t.Fatalf("the drain ended (exit %d) without writing: %s", code, d.stderr)
	}
	d.signal(syscall.SIGINT)
	d.awaitStopping(t)
	d.signal(syscall.SIGINT) // the write stays blocked: only the second signal can end it
	select {
	case code := <-d.done:
		if code != exitInterrupted {
			t.Fatalf("exit %d, want %d: %s", code, exitInterrupted, d.stderr)
		}
	case <-time.After(time.Minute):
		t.Fatalf("still running a minute after the second signal, its write blocked: %s", d.stderr)
	}
	if s.Count() != 3 || g.requests("POST") != 0 {
		t.Errorf("%d left in the fake, %d deletions sent: want nothing of the page deleted", s.Count(), g.requests("POST"))
	}
}
