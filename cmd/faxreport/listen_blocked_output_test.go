package main

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faxreport/faxreport/faxtest"
)

// stuckStdout is a stdout that nobody reads: each write says that it has begun, then blocks
// until released.
type stuckStdout struct {
	entered chan struct{}
	release chan struct{}
}

func newStuckStdout() *stuckStdout {
	return &stuckStdout{entered: make(chan struct{}, 10), release: make(chan struct{})}
}

func (w *stuckStdout) Write(p []byte) (int, error) {
	w.entered <- struct{}{}
	<-w.release
	return len(p), nil
}

// awaitWrite returns once a write has begun, or fails the test after a while: no write comes
// when the fetch before it took longer than --timeout.
func (w *stuckStdout) awaitWrite(t *testing.T) {
	t.Helper()
	select {
	case <-w.entered:
	case <-time.After(time.Minute):
		t.Fatal("no report was written to stdout: its fetch failed, or took longer than --timeout")
	}
}

// blockedWriteTimeout is the --timeout of the tests whose write blocks: a push is answered only
// when it runs out, so it is short, but the fetch before the write (loopback, an in-process
// fake) must end within it even under -race on a loaded machine, or no write begins.
const blockedWriteTimeout = "2s"

// Without --out, a stdout that nobody reads holds a push no longer than --timeout: it is
// answered 503, never 2xx, and so is the next; readiness says the output is blocked; the
// shutdown gives up on the blocked write within --shutdown-timeout, and exits 1 saying so.
func TestListenBlockedStdoutIsBoundedByTimeout(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	stdout := newStuckStdout()
	l := startListenTo(t, stdout, listenEnv(s), "--addr", "127.0.0.1:0", "--timeout", blockedWriteTimeout, "--shutdown-timeout", "300ms")
	t.Cleanup(func() { close(stdout.release) }) // before the run's cleanup, which waits for it

	auth := faxtest.PushBasicAuth(pushUser, pushPassword)
	if code := pushWithin(t, s, l.url, exampleJob, auth); code != http.StatusServiceUnavailable {
		t.Fatalf("the push whose write blocked was answered %d, want 503", code)
	}
	stdout.awaitWrite(t)
	if code, body := get(t, origin(t, l.url)+readyPath); code != http.StatusServiceUnavailable || !strings.Contains(body, "blocked") {
		t.Errorf("readyz with a blocked output: %d %q", code, body)
	}
	if code := pushWithin(t, s, l.url, "FJ0MINIMAL0REPORT00001", auth); code != http.StatusServiceUnavailable {
		t.Errorf("the push behind the blocked write was answered %d, want 503", code)
	}
	start := time.Now()
	if code := stopWithin(t, l); code != exitFailure || !strings.Contains(l.stderr.String(), "output blocked") {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("stopped %v after the interrupt, with --shutdown-timeout 300ms", elapsed)
	}
}

// A push whose write blocks past --shutdown-timeout (--timeout being longer) does not hold the
// shutdown: it is abandoned unanswered, and the run exits 1.
func TestListenShutdownDoesNotWaitForABlockedWrite(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	stdout := newStuckStdout()
	l := startListenTo(t, stdout, listenEnv(s), "--addr", "127.0.0.1:0", "--timeout", "1h", "--shutdown-timeout", "200ms")
	t.Cleanup(func() { close(stdout.release) })

	answer := make(chan int, 1)
	go func() {
		answer <- pushAll(s, l.url, []string{exampleJob}, faxtest.PushBasicAuth(pushUser, pushPassword))[exampleJob]
	}()
	stdout.awaitWrite(t)
	start := time.Now()
	if code := stopWithin(t, l); code != exitFailure || !strings.Contains(l.stderr.String(), "abandoned") {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("stopped %v after the interrupt, with --shutdown-timeout 200ms", elapsed)
	}
	if code := <-answer; code/100 == 2 {
		t.Errorf("the push whose write never returned was answered %d", code)
	}
}

// halfStdout takes half of its first line and fails, as a pipe closed mid-write does; it takes
// every later write whole.
type halfStdout struct {
	mu      sync.Mutex
	written strings.Builder
	failed  bool
}

func (w *halfStdout) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.failed {
		w.failed = true
		w.written.Write(p[:len(p)/2])
		return len(p) / 2, errors.New("broken pipe")
	}
	return w.written.Write(p)
}

// A line written in part to stdout is never followed by another glued to it: the pushes that
// follow are answered 503, and readiness says why.
func TestListenStdoutLineWrittenInPartIsNotFollowed(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	stdout := &halfStdout{}
	l := startListenTo(t, stdout, listenEnv(s), "--addr", "127.0.0.1:0")
	auth := faxtest.PushBasicAuth(pushUser, pushPassword)
	for _, job := range []string{exampleJob, "FJ0MINIMAL0REPORT00001"} {
		if code := pushWithin(t, s, l.url, job, auth); code != http.StatusServiceUnavailable {
			t.Errorf("push of %s answered %d, want 503", job, code)
		}
	}
	if code, body := get(t, origin(t, l.url)+readyPath); code != http.StatusServiceUnavailable || !strings.Contains(body, "in part") {
		t.Errorf("readyz after a line written in part: %d %q", code, body)
	}
	stopWithin(t, l)
	stdout.mu.Lock()
	defer stdout.mu.Unlock()
	if got := stdout.written.String(); strings.Contains(got, "\n") || strings.Contains(got, "FJ0MINIMAL") {
		t.Errorf("stdout %q: a line follows the one written in part", got)
	}
}

// A write that returns after its push was answered 503 frees the output: readiness is back,
// the next push is answered 204, and each line stands on its own.
func TestListenOutputRecoversWhenABlockedWriteReturns(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	stdout := newStuckStdout()
	var lines strings.Builder // what stdout took, read once the command has returned
	l := startListenTo(t, writerFunc(func(p []byte) (int, error) {
		stdout.Write(p)
		return lines.Write(p)
	}), listenEnv(s), "--addr", "127.0.0.1:0", "--timeout", blockedWriteTimeout)
	auth := faxtest.PushBasicAuth(pushUser, pushPassword)
	if code := pushWithin(t, s, l.url, exampleJob, auth); code != http.StatusServiceUnavailable {
		t.Fatalf("the push whose write blocked was answered %d, want 503", code)
	}
	stdout.awaitWrite(t)
	close(stdout.release)
	if code := pushWithin(t, s, l.url, "FJ0MINIMAL0REPORT00001", auth); code != http.StatusNoContent {
		t.Errorf("the push after the blocked write returned was answered %d, want 204", code)
	}
	if code, body := get(t, origin(t, l.url)+readyPath); code != http.StatusOK {
		t.Errorf("readyz once the write returned: %d %q", code, body)
	}
	if code := stopWithin(t, l); code != exitOK {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
	if reports := reportLines(t, []byte(lines.String())); len(reports) != 2 {
		t.Errorf("stdout %q, want both reports, a line each", lines.String())
	}
}

// writerFunc is an io.Writer made of a function.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
