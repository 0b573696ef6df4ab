package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// lastSuccessMetric is the gauge that a failed run carries over from the file's previous
// content, so that an alert on its age fires after failures rather than on its absence.
const lastSuccessMetric = "faxreport_drain_last_success_timestamp_seconds"

// checkMetricsFile refuses, before the drain starts, a --metrics-file whose directory does not
// exist or that is a directory itself.
func checkMetricsFile(path string) error {
	if path == "" {
		return nil
	}
	if info, err := os.Stat(filepath.Dir(path)); err != nil || !info.IsDir() {
		return usagef("--metrics-file %s: its directory %s does not exist", path, filepath.Dir(path))
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return usagef("--metrics-file %s is a directory: give a file name, such as faxreport.prom", path)
	}
	return nil
}

// writeDrainMetrics writes the run's counts and outcome to path in the Prometheus text format,
// for node_exporter's textfile collector: to a temporary file in the same directory, synced,
// then renamed over path, so that a reader never sees half a file.
func writeDrainMetrics(path string, s drainSummary, code int, started time.Time) error {
	now := time.Now()
	var b bytes.Buffer
	gauge := func(name, help string, value any) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n%s %v\n", name, help, name, name, value)
	}
	gauge("faxreport_drain_pages", "Pages of reports the last drain wrote to --out.", s.Pages)
	fmt.Fprintf(&b, "# HELP faxreport_drain_reports Reports of the last drain, by outcome: written to --out, deleted, already gone, quarantined to --invalid.\n# TYPE faxreport_drain_reports gauge\n")
	fmt.Fprintf(&b, "faxreport_drain_reports{outcome=\"written\"} %d\n", s.Reports)
	fmt.Fprintf(&b, "faxreport_drain_reports{outcome=\"deleted\"} %d\n", s.Deleted)
	fmt.Fprintf(&b, "faxreport_drain_reports{outcome=\"gone\"} %d\n", s.Gone)
	fmt.Fprintf(&b, "faxreport_drain_reports{outcome=\"quarantined\"} %d\n", s.Quarantined)
	gauge("faxreport_drain_complete", "1 if the last drain emptied every data center, else 0.", boolMetric(s.Complete))
	gauge("faxreport_drain_exit_code", "The exit code of the last drain.", code)
	gauge("faxreport_drain_duration_seconds", "How long the last drain ran.", now.Sub(started).Seconds())
	gauge("faxreport_drain_last_run_timestamp_seconds", "When the last drain ended, in seconds since the epoch.", now.Unix())
	lastSuccess := previousLastSuccess(path)
	if code == exitOK {
		lastSuccess = fmt.Sprint(now.Unix())
	}
	if lastSuccess != "" {
		gauge(lastSuccessMetric, "When a drain last ended with exit code 0, in seconds since the epoch.", lastSuccess)
	}

	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("--metrics-file: %w", err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // after the rename there is nothing left to remove
	_, err = tmp.Write(b.Bytes())
	if err == nil {
		err = tmp.Chmod(0o644) // node_exporter reads it as another user; it holds no secret
	}
	if err == nil {
		err = tmp.Sync()
	}
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("--metrics-file: %w", err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// previousLastSuccess returns the value of the last-success gauge in the file at path, if any.
func previousLastSuccess(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		if value, ok := strings.CutPrefix(lines.Text(), lastSuccessMetric+" "); ok {
			if _, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil {
				return strings.TrimSpace(value)
			}
		}
	}
	return ""
}

// boolMetric is 1 for true and 0 for false.
func boolMetric(b bool) int {
	if b {
		return 1
	}
	return 0
}
