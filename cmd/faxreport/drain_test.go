package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

// countLines counts how often each job ID is in the NDJSON file at path.
func countLines(t *testing.T, path string) map[string]int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, id := range jobIDsOfLines(t, string(data)) {
		seen[id]++
	}
	return seen
}

// Without faults, the file ends with every report exactly once, the fake ends empty, and the
// counts say so: 2,500 reports over two data centers, two pages each.
func TestDrainWritesEveryReportOnceThenDeletesIt(t *testing.T) {
	s, ids, env := seededEnv(t, 2500)
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	inv := runCLI(t, env, "", "drain", "--out", out)
	if inv.code != exitOK || inv.stderr != "" { // stderr is no terminal: no progress
		t.Fatalf("exit %d %q", inv.code, inv.stderr)
	}
	if want := "drained 2500 reports in 4 pages written to " + out + "; 2500 deleted, 0 already gone\n"; inv.stdout != want {
		t.Errorf("stdout %q, want %q", inv.stdout, want)
	}
	seen := countLines(t, out)
	for _, id := range ids {
		if seen[id] != 1 {
			t.Fatalf("job %s is %d times in the file", id, seen[id])
		}
	}
	if len(seen) != len(ids) || s.Count() != 0 {
		t.Fatalf("%d jobs in the file, %d left in the fake", len(seen), s.Count())
	}
	if info, err := os.Stat(out); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("file mode: %v %v", info.Mode(), err)
	}

	inv = runCLI(t, env, "", "drain", "--json", "--out", out) // nothing left: nothing appended
	var counts drainSummary
	if err := json.Unmarshal([]byte(inv.stdout), &counts); inv.code != exitOK || err != nil || counts != (drainSummary{Complete: true}) {
		t.Fatalf("second drain: exit %d %q %q", inv.code, inv.stdout, inv.stderr)
	}
	if len(countLines(t, out)) != len(ids) {
		t.Fatal("the second drain changed the file")
	}
}

// A file that cannot be opened deletes nothing: the drain stops before it lists anything.
// (A write that fails, as on a full disk, is cut off again: TestSinkRollbackKeepsLinesAppendedByOthers.)
func TestDrainDeletesNothingItCouldNotWrite(t *testing.T) {
	s, _, env := seededEnv(t, 6)
	inv := runCLI(t, env, "", "drain", "--out", filepath.Join(t.TempDir(), "missing", "reports.ndjson"))
	if inv.code != exitUsage || !strings.HasPrefix(inv.stderr, "faxreport: --out: open ") || s.Count() != 6 {
		t.Fatalf("unopenable file: exit %d %q, %d reports left", inv.code, inv.stderr, s.Count())
	}
	if n := len(s.Requests()); n != 0 {
		t.Fatalf("unopenable file: %d requests sent", n)
	}
	if inv := runCLI(t, env, "", "drain"); inv.code != exitUsage || !strings.Contains(inv.stderr, "--out FILE is required") {
		t.Fatalf("no --out: exit %d %q", inv.code, inv.stderr)
	}
}

// A drain stopped between writing a page and deleting it (here a data center refuses the
// deletion) loses nothing: run again, it writes that page again (at least once) and ends with
// every report in the file and the fake empty.
func TestDrainRerunAfterAnInterruptionLosesNothing(t *testing.T) {
	s, ids, env := seededEnv(t, 6) // 0, 2, 4 in the first data center
	// The first data center lists its page (a fault that only delays it by 1ns), then refuses
	// the deletion with a Retry-After too long to wait for: the drain fails there at once.
	s.DataCenter(0).Inject(faxtest.Fault{Latency: 1, Times: 1})
	s.DataCenter(0).Inject(faxtest.Fault{Status: 503, RetryAfter: "3600", Times: 1})
	out := filepath.Join(t.TempDir(), "reports.ndjson")

	inv := runCLI(t, env, "", "drain", "--out", out)
	if inv.code != exitUnavailable || !strings.HasPrefix(inv.stdout, "drain stopped, not complete (run it again): 6 reports in 2 pages written") ||
		!strings.Contains(inv.stderr, s.Endpoints()[0]) {
		t.Fatalf("first drain: exit %d %q %q", inv.code, inv.stdout, inv.stderr)
	}
	if left := s.DataCenter(0).Listed(); !slices.Equal(left, []string{ids[0], ids[2], ids[4]}) || s.Count() != 3 {
		t.Fatalf("after the first drain the fake lists %q, holds %d", left, s.Count())
	}

	inv = runCLI(t, env, "", "drain", "--out", out)
	if inv.code != exitOK || s.Count() != 0 {
		t.Fatalf("second drain: exit %d %q, %d left", inv.code, inv.stderr, s.Count())
	}
	seen := countLines(t, out)
	for i, id := range ids {
		if want := 1 + (i+1)%2; seen[id] != want { // the first data center's page twice
			t.Errorf("job %s is %d times in the file, want %d", id, seen[id], want)
		}
	}
}

// list --json and drain print the reports as the API sent them, as get --json does: unknown
// fields and nulls kept, only insignificant whitespace removed.
func TestListAndDrainPrintTheAPIsBytes(t *testing.T) {
	s, _, env := seededEnv(t, 0)
	body := `{"jobId":"FJEXTRA","recipientStatus":[{"number":"+49 1","properties":null,"status":"OK","reason":"OK","durationInSecs":3,"vendorKey":[1,null]}],"pages":1,"topExtra":{"a":true}}`
	s.PutJSON([]byte(strings.ReplaceAll(body, ",", ", "))) // with insignificant whitespace
	inv := runCLI(t, env, "", "list", "--json")
	if inv.code != exitOK || inv.stdout != body+"\n" {
		t.Fatalf("list --json: exit %d, %q, want %q", inv.code, inv.stdout, body)
	}
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	if inv := runCLI(t, env, "", "drain", "--out", out); inv.code != exitOK {
		t.Fatalf("drain: exit %d %q", inv.code, inv.stderr)
	}
	if data, _ := os.ReadFile(out); string(data) != body+"\n" {
		t.Fatalf("drained %q, want %q", data, body)
	}
}

// pageGate is a proxy in front of a one-data-center fake region that can hold the nth request
// of a method until released: GET lists a page, POST deletes one (the bulk DELETE).
type pageGate struct {
	proxy *httputil.ReverseProxy
	mu    sync.Mutex
	seen  map[string]int
	holds map[string]*heldRequest
}

// heldRequest is a request the gate holds: arrived is closed when it arrives.
type heldRequest struct {
	arrived, released chan struct{}
	once              sync.Once
}

func (h *heldRequest) release() { h.once.Do(func() { close(h.released) }) }

// gatedRegion seeds a one-data-center fake region with n reports and returns it, its gate and
// the environment that points the command at the gate.
func gatedRegion(t *testing.T, n int) (*faxtest.Server, *pageGate, map[string]string) {
	t.Helper()
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1})
	s.SeedReports(n)
	target, err := url.Parse(s.Endpoints()[0])
	if err != nil {
		t.Fatal(err)
	}
	g := &pageGate{
		proxy: httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host}),
		seen:  map[string]int{},
		holds: map[string]*heldRequest{},
	}
	g.proxy.ErrorLog = log.New(io.Discard, "", 0) // a request abandoned by the client
	front := httptest.NewServer(g)
	t.Cleanup(front.Close)
	t.Cleanup(func() { // before front.Close, which waits for the requests it holds
		g.mu.Lock()
		defer g.mu.Unlock()
		for _, h := range g.holds {
			h.release()
		}
	})
	return s, g, map[string]string{
		"FAXREPORT_CUSTNR":    s.CustomerNumber,
		"FAXREPORT_USERNAME":  s.Username,
		"FAXREPORT_PASSWORD":  s.Password,
		"FAXREPORT_ENDPOINTS": front.URL + target.Path,
	}
}

// hold makes the gate hold the nth request (from 1) of method.
func (g *pageGate) hold(method string, nth int) *heldRequest {
	g.mu.Lock()
	defer g.mu.Unlock()
	h := &heldRequest{arrived: make(chan struct{}), released: make(chan struct{})}
	g.holds[fmt.Sprint(method, nth)] = h
	return h
}

func (g *pageGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	g.seen[r.Method]++
	h := g.holds[fmt.Sprint(r.Method, g.seen[r.Method])]
	g.mu.Unlock()
	if h != nil {
		body, err := io.ReadAll(r.Body) // read to its end: the server then notices a client that hangs up
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		close(h.arrived)
		select {
		case <-h.released:
		case <-r.Context().Done(): // the client gave up: the data center never sees it
			return
		}
	}
	g.proxy.ServeHTTP(w, r)
}

// requests returns how many requests of method the gate has seen.
func (g *pageGate) requests(method string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.seen[method]
}

// backgroundDrain is a drain running in the background, to which the test sends signals.
type backgroundDrain struct {
	signals chan os.Signal
	cancel  context.CancelFunc // what main's signal.NotifyContext does on the first signal
	stdout  *bytes.Buffer
	stderr  *noteWatch
	done    chan int
}

// startDrain runs "drain args..." with env in the background.
func startDrain(t *testing.T, env map[string]string, args ...string) *backgroundDrain {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	d := &backgroundDrain{
		signals: make(chan os.Signal, 2), // as main's
		cancel:  cancel,
		stdout:  new(bytes.Buffer),
		stderr:  &noteWatch{note: "stopping once the pages in progress", seen: make(chan struct{})},
		done:    make(chan int, 1),
	}
	go func() {
		d.done <- runWithSignals(ctx, d.signals, append([]string{"drain"}, args...), func(k string) string { return env[k] }, strings.NewReader(""), d.stdout, d.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case d.signals <- syscall.SIGTERM:
		default:
		}
	})
	return d
}

// signal sends sig as the process would receive it: main's context is cancelled too.
func (d *backgroundDrain) signal(sig os.Signal) {
	d.cancel()
	d.signals <- sig
}

// awaitStopping returns once the drain has said that a signal is stopping it, and fails the
// test if it ends first.
func (d *backgroundDrain) awaitStopping(t *testing.T) {
	t.Helper()
	select {
	case <-d.stderr.seen:
	case code := <-d.done:
		d.done <- code
		t.Fatalf("the drain ended (exit %d) without saying a signal stops it: %s", code, d.stderr)
	}
}

// wait returns the exit code once the drain has ended; stdout is complete then.
func (d *backgroundDrain) wait() int { return <-d.done }

// noteWatch is a stderr that closes seen once a line holding note is written.
type noteWatch struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	note string
	seen chan struct{}
}

func (w *noteWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.buf.String(), w.note)
	w.buf.Write(p)
	if !had && strings.Contains(w.buf.String(), w.note) {
		close(w.seen)
	}
	return len(p), nil
}

func (w *noteWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
