package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

// /metrics on --metrics-addr, in the Prometheus text format, follows the pushes: pushes and
// fetches in flight while one is held, then by answer, the jobs fetched, the reports written,
// the fetch failures by kind and the pushes' durations.
func TestListenMetricsFollowPushes(t *testing.T) {
	s, ids, g, _, l := gatedListen(t, 1, "--metrics-addr", "127.0.0.1:0")
	metrics := <-l.stderr.metrics
	scrape := func() string {
		t.Helper()
		code, body := get(t, metrics)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d %q", metrics, code, body)
		}
		return body
	}
	expect := func(body string, lines ...string) {
		t.Helper()
		for _, line := range lines {
			if !strings.Contains(body, "\n"+line+"\n") {
				t.Errorf("no line %q in /metrics:\n%s", line, body)
			}
		}
	}
	expect(scrape(),
		"faxreport_pushes_in_flight 0",
		"faxreport_fetches_in_flight 0",
		"faxreport_jobs_fetched_total 0",
		"faxreport_reports_written_total 0",
		`faxreport_fetch_failures_total{kind="not_found"} 0`)

	auth := faxtest.PushBasicAuth(pushUser, pushPassword)
	answer := make(chan int, 1)
	go func() { answer <- pushAll(s, l.url, ids, auth)[ids[0]] }()
	received(t, g.arrived, "fetch")
	expect(scrape(), "faxreport_pushes_in_flight 1", "faxreport_fetches_in_flight 1")
	g.release()
	if code := <-answer; code != http.StatusNoContent {
		t.Fatalf("push answered %d", code)
	}
	expect(scrape(), "faxreport_fetches_in_flight 0") // its place freed before the answer
	if code := pushWithin(t, s, l.url, "FJNOSUCHJOB", auth); code != http.StatusServiceUnavailable {
		t.Fatalf("push of an unknown job answered %d", code)
	}
	if code := pushWithin(t, s, l.url, ids[0], faxtest.PushBasicAuth(pushUser, "wrong")); code != http.StatusUnauthorized {
		t.Fatalf("push with a wrong password answered %d", code)
	}
	expect(scrape(),
		`faxreport_pushes_total{code="204"} 1`,
		`faxreport_pushes_total{code="503"} 1`,
		`faxreport_pushes_total{code="401"} 1`,
		"faxreport_jobs_fetched_total 1",
		"faxreport_reports_written_total 1",
		`faxreport_fetch_failures_total{kind="not_found"} 1`,
		`faxreport_fetch_failures_total{kind="unavailable"} 0`,
		"faxreport_push_duration_seconds_count 3")
	if code := stopWithin(t, l); code != exitOK {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
}

// A --metrics-addr that is neither a port nor host:port is invalid input.
func TestListenRefusesBadMetricsAddr(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	for _, addr := range []string{"127.0.0.1:", "a:b:c", "localhost:"} {
		inv := runCLI(t, listenEnv(s), "", "listen", "--addr", "127.0.0.1:0", "--metrics-addr", addr)
		if inv.code != exitUsage || !strings.Contains(inv.stderr, "--metrics-addr") {
			t.Errorf("--metrics-addr %q: exit %d, stderr %q; want exit 2", addr, inv.code, inv.stderr)
		}
	}
}
