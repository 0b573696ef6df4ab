package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// --max-fetches bounds the jobs fetched at once across pushes: with 1, and one fetch held by
// the data center, a second push is answered 503 with Retry-After at once, and the metrics'
// help gives the limit; once the fetch is released its push is answered 204.
func TestListenMaxFetchesRefusesAPushBeyondIt(t *testing.T) {
	s, ids, g, out, l := gatedListen(t, 2, "--max-fetches", "1", "--metrics-addr", "127.0.0.1:0")
	metrics := <-l.stderr.metrics
	auth := faxtest.PushBasicAuth(pushUser, pushPassword)

	first := make(chan int, 1)
	go func() { first <- pushAll(s, l.url, ids[:1], auth)[ids[0]] }()
	select {
	case <-g.arrived: // the first job's fetch is held: it has the only place
	case <-time.After(time.Minute):
		t.Fatal("the first push's fetch never reached the data center")
	}
	resp, err := s.Push(l.url, ids[1], auth)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("the push beyond --max-fetches 1 was answered %d, Retry-After %q: want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if len(g.arrived) != 0 {
		t.Errorf("the push beyond --max-fetches 1 fetched %s: want no fetch", <-g.arrived)
	}
	if _, body := get(t, metrics); !strings.Contains(body, "# HELP faxreport_fetches_in_flight Jobs whose report is being fetched and written, across pushes (at most 1, --max-fetches,") {
		t.Errorf("the help of faxreport_fetches_in_flight does not give --max-fetches 1:\n%s", body)
	}

	g.release()
	if code := <-first; code != http.StatusNoContent {
		t.Errorf("the held push was answered %d, want 204", code)
	}
	if code := stopWithin(t, l); code != exitOK {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
	if n := len(countLines(t, out)); n != 1 {
		t.Errorf("%d reports in --out, want the first push's alone", n)
	}
}

// Without --max-fetches, the limit is the library's default, which the metrics' help gives; a
// negative one is a usage error.
func TestListenMaxFetchesDefaultAndNegative(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	l := startListen(t, listenEnv(s), "--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0")
	if _, body := get(t, <-l.stderr.metrics); !strings.Contains(body, fmt.Sprintf("(at most %d, --max-fetches,", faxreport.DefaultMaxPushFetches)) {
		t.Errorf("the help of faxreport_fetches_in_flight does not give the default, %d:\n%s", faxreport.DefaultMaxPushFetches, body)
	}
	if inv := runCLI(t, listenEnv(s), "", "listen", "--addr", "127.0.0.1:0", "--max-fetches", "-1"); inv.code != exitUsage || !strings.Contains(inv.stderr, "--max-fetches -1") {
		t.Errorf("exit %d %q, want %d", inv.code, inv.stderr, exitUsage)
	}
}
