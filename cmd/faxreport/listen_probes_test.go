package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

// /healthz and /readyz answer 200 without credentials on --addr and --metrics-addr, and are not
// logged; while the pushes in progress finish after an interrupt, /readyz on --metrics-addr
// answers 503 and /healthz still 200.
func TestListenProbes(t *testing.T) {
	s, ids, g, _, l := gatedListen(t, 1, "--metrics-addr", "127.0.0.1:0")
	metrics := origin(t, <-l.stderr.metrics)
	for _, base := range []string{origin(t, l.url), metrics} {
		for _, path := range []string{healthPath, readyPath} {
			if code, body := get(t, base+path); code != http.StatusOK {
				t.Errorf("GET %s%s: %d %q", base, path, code, body)
			}
		}
	}

	answers := make(chan map[string]int, 1)
	go func() { answers <- pushAll(s, l.url, ids, faxtest.PushBasicAuth(pushUser, pushPassword)) }()
	received(t, g.arrived, "fetch") // the push is in progress, held at the gate
	l.cancel()
	<-l.stderr.stopping
	if code, body := get(t, metrics+readyPath); code != http.StatusServiceUnavailable {
		t.Errorf("readyz while shutting down: %d %q", code, body)
	}
	if code, body := get(t, metrics+healthPath); code != http.StatusOK {
		t.Errorf("healthz while shutting down: %d %q", code, body)
	}
	g.release()
	if status := <-answers; status[ids[0]] != http.StatusNoContent {
		t.Errorf("the push in progress was answered %d", status[ids[0]])
	}
	if code := stopWithin(t, l); code != exitOK {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
	if out := l.stderr.String(); strings.Contains(out, "WARN") || strings.Contains(out, "warning") {
		t.Errorf("a probe was logged as a warning:\n%s", out)
	}
}
