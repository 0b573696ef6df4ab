package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

// metricValue returns the value of the sample named name (with its labels) in a text-format
// metrics file, or "" if there is none.
func metricValue(t *testing.T, text, name string) string {
	t.Helper()
	for line := range strings.Lines(text) {
		if value, ok := strings.CutPrefix(line, name+" "); ok {
			return strings.TrimSpace(value)
		}
	}
	return ""
}

// --metrics-file writes the run's counts and outcome in the Prometheus text format, replacing
// the file whole (no temporary file left beside it), readable by node_exporter; a failed run
// says so, and keeps the last success's timestamp from the file before.
func TestDrainMetricsFile(t *testing.T) {
	s, _, env := seededEnv(t, 3)
	dir := t.TempDir()
	metrics := filepath.Join(dir, "faxreport.prom")
	out := filepath.Join(dir, "reports.ndjson")
	if inv := runCLI(t, env, "", "drain", "--out", out, "--metrics-file", metrics); inv.code != exitOK {
		t.Fatalf("exit %d %q", inv.code, inv.stderr)
	}
	data, err := os.ReadFile(metrics)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for name, want := range map[string]string{
		"faxreport_drain_pages":                      "2",
		`faxreport_drain_reports{outcome="written"}`: "3",
		`faxreport_drain_reports{outcome="deleted"}`: "3",
		`faxreport_drain_reports{outcome="gone"}`:    "0",
		"faxreport_drain_complete":                   "1",
		"faxreport_drain_exit_code":                  "0",
	} {
		if got := metricValue(t, text, name); got != want {
			t.Errorf("%s is %q, want %s:\n%s", name, got, want, text)
		}
	}
	success := metricValue(t, text, "faxreport_drain_last_success_timestamp_seconds")
	if !regexp.MustCompile(`^[0-9]{10}$`).MatchString(success) {
		t.Fatalf("last success %q:\n%s", success, text)
	}
	sample := regexp.MustCompile(`^[a-z_]+(\{[a-z]+="[a-z]+"\})? [0-9.e+-]+$`)
	for line := range strings.Lines(text) {
		line = strings.TrimSuffix(line, "\n")
		if !strings.HasPrefix(line, "# HELP faxreport_drain_") && !strings.HasPrefix(line, "# TYPE faxreport_drain_") && !sample.MatchString(line) {
			t.Errorf("line %q is not in the text format", line)
		}
	}
	if info, err := os.Stat(metrics); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v %v, want 0644", info.Mode(), err)
	}

	s.SeedReports(1)
	s.DataCenter(0).Inject(faxtest.Fault{Status: 503, RetryAfter: "3600"})
	s.DataCenter(1).Inject(faxtest.Fault{Status: 503, RetryAfter: "3600"})
	if inv := runCLI(t, env, "", "drain", "--out", out, "--metrics-file", metrics); inv.code != exitUnavailable {
		t.Fatalf("failed run: exit %d %q", inv.code, inv.stderr)
	}
	data, _ = os.ReadFile(metrics)
	text = string(data)
	if metricValue(t, text, "faxreport_drain_exit_code") != "6" || metricValue(t, text, "faxreport_drain_complete") != "0" ||
		metricValue(t, text, "faxreport_drain_last_success_timestamp_seconds") != success {
		t.Fatalf("after a failed run:\n%s", text)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 { // --out, its .invalid and the metrics
		t.Fatalf("files left in the directory: %v", entries)
	}
}

// A --metrics-file that cannot be written is refused before anything is listed.
func TestDrainRefusesAMetricsFileItCannotWrite(t *testing.T) {
	s, _, env := seededEnv(t, 3)
	dir := t.TempDir()
	for _, metrics := range []string{filepath.Join(dir, "missing", "faxreport.prom"), dir} {
		inv := runCLI(t, env, "", "drain", "--out", filepath.Join(dir, "reports.ndjson"), "--metrics-file", metrics)
		if inv.code != exitUsage || !strings.HasPrefix(inv.stderr, "faxreport: --metrics-file ") || len(s.Requests()) != 0 {
			t.Errorf("--metrics-file %s: exit %d %q", metrics, inv.code, inv.stderr)
		}
	}
}
