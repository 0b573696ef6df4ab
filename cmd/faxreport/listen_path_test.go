package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

// --path is the one path pushes are taken on; any other is answered 404, with or without
// credentials, and nothing is fetched for it. The default is /.
func TestListenTakesPushesOnPathOnly(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	l := startListen(t, listenEnv(s), "--addr", "127.0.0.1:0", "--path", "/retarus/push", "--out", out)
	if !strings.HasSuffix(l.url, "/retarus/push") {
		t.Fatalf("listening on %s, want the push path", l.url)
	}
	auth := faxtest.PushBasicAuth(pushUser, pushPassword)
	base := origin(t, l.url)
	for _, path := range []string{"/", "/retarus", "/retarus/push/", "/retarus/push/x", "/metrics"} {
		for _, opts := range [][]faxtest.PushOption{{auth}, nil} {
			if code := pushWithin(t, s, base+path, exampleJob, opts...); code != http.StatusNotFound {
				t.Errorf("push to %s answered %d, want 404", path, code)
			}
		}
	}
	if len(s.Requests()) != 0 {
		t.Errorf("%d requests to the API for pushes to other paths", len(s.Requests()))
	}
	if code := pushWithin(t, s, l.url, exampleJob, auth); code != http.StatusNoContent {
		t.Errorf("push to --path answered %d", code)
	}
	if code := stopWithin(t, l); code != exitOK {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
	if written, _ := os.ReadFile(out); strings.Count(string(written), "\n") != 1 {
		t.Errorf("wrote %q, want the one report pushed to --path", written)
	}

	l = startListen(t, listenEnv(s), "--addr", "127.0.0.1:0")
	if code := pushWithin(t, s, origin(t, l.url)+"/elsewhere", exampleJob, auth); code != http.StatusNotFound {
		t.Errorf("default --path: push to /elsewhere answered %d, want 404", code)
	}
}

// A --path that is not absolute, or is a probe's, is invalid input.
func TestListenRefusesBadPath(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	for path, want := range map[string]string{"push": "absolute path", "/healthz": "probes", "/readyz": "probes", "": "absolute path"} {
		inv := runCLI(t, listenEnv(s), "", "listen", "--addr", "127.0.0.1:0", "--path", path)
		if inv.code != exitUsage || !strings.Contains(inv.stderr, want) {
			t.Errorf("--path %q: exit %d, stderr %q; want exit 2 saying %q", path, inv.code, inv.stderr, want)
		}
	}
}
