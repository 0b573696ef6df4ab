package main

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

// Two drains of one account, to different files, that list the same page at once: both finish
// with exit 0 and no error, one deletes the page and the other finds it already gone, and
// every report is in both files (at-least-once: the duplicates of overlapping drains).
func TestTwoDrainsOfOneAccountLoseNothing(t *testing.T) {
	s, g, env := gatedRegion(t, 5)
	first, second := g.hold("GET", 1), g.hold("GET", 2)
	dir := t.TempDir()
	outs := []string{filepath.Join(dir, "a.ndjson"), filepath.Join(dir, "b.ndjson")}
	drains := []*backgroundDrain{startDrain(t, env, "--json", "--out", outs[0]), startDrain(t, env, "--json", "--out", outs[1])}
	received(t, first.arrived, "first drain's listing")
	received(t, second.arrived, "second drain's listing") // both have the same page coming
	first.release()
	second.release()

	var total drainSummary
	for i, d := range drains {
		code := d.wait()
		var counts drainSummary
		if err := json.Unmarshal(d.stdout.Bytes(), &counts); err != nil || code != exitOK || d.stderr.String() != "" || !counts.Complete {
			t.Fatalf("drain %d: exit %d, stdout %q, stderr %q", i, code, d.stdout, d.stderr)
		}
		total.Deleted += counts.Deleted
		total.Gone += counts.Gone
		if seen := countLines(t, outs[i]); len(seen) != 5 {
			t.Fatalf("drain %d wrote %d jobs, want the page both listed", i, len(seen))
		}
	}
	if s.Count() != 0 || total.Deleted != 5 || total.Gone != 5 {
		t.Fatalf("%d left in the fake; %d deleted, %d gone in all: want each report deleted once, and gone for the other", s.Count(), total.Deleted, total.Gone)
	}
}
