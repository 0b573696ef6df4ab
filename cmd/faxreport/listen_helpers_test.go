package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

const pushUser, pushPassword = "push-user", "push-secret-4711"

// stderrWatch is the stderr of a listen run: it keeps everything and announces the lines the
// tests wait for on channels, so that no test sleeps. It reads the lines of --json too.
type stderrWatch struct {
	mu       sync.Mutex
	buf      bytes.Buffer
	seen     int           // bytes of buf already scanned for lines
	changed  chan struct{} // closed, and replaced, on each write
	url      chan string   // where pushes go
	metrics  chan string   // the metrics URL
	stopping chan struct{}
}

func newStderrWatch() *stderrWatch {
	return &stderrWatch{changed: make(chan struct{}), url: make(chan string, 1), metrics: make(chan string, 1), stopping: make(chan struct{})}
}

var (
	listeningLine = regexp.MustCompile(`^faxreport: listening on (https?://\S+)$`)
	metricsLine   = regexp.MustCompile(`^faxreport: serving metrics on (http://\S+)$`)
)

func (w *stderrWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	close(w.changed)
	w.changed = make(chan struct{})
	for {
		rest := w.buf.Bytes()[w.seen:]
		end := bytes.IndexByte(rest, '\n')
		if end < 0 {
			return len(p), nil
		}
		line := string(rest[:end])
		w.seen += end + 1
		var record struct{ Msg, URL string }
		if json.Unmarshal([]byte(line), &record) == nil && record.Msg != "" { // --json
			line = "faxreport: " + record.Msg
		}
		if m := listeningLine.FindStringSubmatch(line); m != nil {
			w.url <- m[1]
		}
		if m := metricsLine.FindStringSubmatch(line); m != nil {
			w.metrics <- m[1]
		}
		if strings.HasPrefix(line, "faxreport: shutting down") {
			close(w.stopping)
		}
	}
}

func (w *stderrWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// await returns once stderr holds text, or fails the test after a while.
func (w *stderrWatch) await(t *testing.T, text string) {
	t.Helper()
	timeout := time.After(time.Minute)
	for {
		w.mu.Lock()
		found, changed := strings.Contains(w.buf.String(), text), w.changed
		w.mu.Unlock()
		if found {
			return
		}
		select {
		case <-changed:
		case <-timeout:
			t.Fatalf("stderr never said %q: %s", text, w)
		}
	}
}

// listening is a listen command running in the background.
type listening struct {
	url    string        // where it takes pushes, from its stderr
	stdout *bytes.Buffer // nil for startListenTo
	stderr *stderrWatch
	cancel context.CancelFunc // SIGINT
	done   chan int           // its exit code
}

// startListen runs "listen args..." with env until it prints where it listens, or fails the
// test if it exits first. The test's cleanup stops it.
func startListen(t *testing.T, env map[string]string, args ...string) *listening {
	t.Helper()
	stdout := new(bytes.Buffer)
	l := startListenTo(t, stdout, env, args...)
	l.stdout = stdout // read once the command has returned
	return l
}

// startListenTo is startListen with stdout.
func startListenTo(t *testing.T, stdout io.Writer, env map[string]string, args ...string) *listening {
	t.Helper()
	l := &listening{stderr: newStderrWatch(), done: make(chan int, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	go func() {
		l.done <- run(ctx, append([]string{"listen"}, args...), func(k string) string { return env[k] }, strings.NewReader(""), stdout, l.stderr)
	}()
	select {
	case l.url = <-l.stderr.url:
	case code := <-l.done:
		cancel()
		t.Fatalf("listen exited %d before listening: %s", code, l.stderr)
	}
	t.Cleanup(func() {
		cancel()
		if code, ok := <-l.done; ok {
			l.done <- code // for a stop still to come
		}
	})
	return l
}

// stop interrupts the command, as SIGINT does, and returns its exit code.
func (l *listening) stop() int {
	l.cancel()
	code := <-l.done
	l.done <- code
	return code
}

// listenEnv is the environment of a listen run against s, with the push's credentials.
func listenEnv(s *faxtest.Server) map[string]string {
	return map[string]string{
		"FAXREPORT_CUSTNR":        s.CustomerNumber,
		"FAXREPORT_USERNAME":      s.Username,
		"FAXREPORT_PASSWORD":      s.Password,
		"FAXREPORT_ENDPOINTS":     strings.Join(s.Endpoints(), ","),
		"FAXREPORT_PUSH_USERNAME": pushUser,
		"FAXREPORT_PUSH_PASSWORD": pushPassword,
	}
}

// putJobs stores n final reports, FJLISTEN000 and on, and returns their job IDs.
func putJobs(s *faxtest.Server, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("FJLISTEN%03d", i)
		s.Put(&faxreport.Report{JobID: ids[i], Pages: 1, RecipientStatus: []faxreport.RecipientStatus{
			{Number: fmt.Sprintf("+49 89 555%03d", i), Status: faxreport.StatusOK, Reason: "OK", DurationInSecs: i},
		}})
	}
	return ids
}

// reportLines decodes NDJSON strictly: one report per line, keyed by job ID; a job written
// twice fails the test (each job is pushed once).
func reportLines(t *testing.T, ndjson []byte) map[string]faxreport.Report {
	t.Helper()
	reports := map[string]faxreport.Report{}
	sc := bufio.NewScanner(bytes.NewReader(ndjson))
	for sc.Scan() {
		var r faxreport.Report
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q is not a report: %v", sc.Text(), err)
		}
		if _, dup := reports[r.JobID]; dup {
			t.Fatalf("job %s written twice", r.JobID)
		}
		reports[r.JobID] = r
	}
	return reports
}

// pushAll pushes every job at once and returns the answers' status codes by job ID (0: no
// answer).
func pushAll(s *faxtest.Server, target string, ids []string, opts ...faxtest.PushOption) map[string]int {
	var (
		mu     sync.Mutex
		status = map[string]int{}
		wg     sync.WaitGroup
	)
	for _, id := range ids {
		wg.Go(func() {
			code := 0
			if resp, err := s.Push(target, id, opts...); err == nil {
				code = resp.StatusCode
			}
			mu.Lock()
			status[id] = code
			mu.Unlock()
		})
	}
	wg.Wait()
	return status
}

// gate is a proxy in front of a data center that holds every request until it is opened, and
// says when one arrives.
type gate struct {
	arrived chan string // the request's path, as it arrives
	open    chan struct{}
	once    sync.Once
}

// newGate returns the endpoint, in front of the data center at endpoint, that g guards.
func newGate(t *testing.T, endpoint string) (*gate, string) {
	target, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{arrived: make(chan string, 100), open: make(chan struct{})}
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.arrived <- r.URL.Path
		<-g.open
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	t.Cleanup(g.release) // before front.Close, which waits for the requests it holds
	return g, front.URL + target.Path
}

func (g *gate) release() { g.once.Do(func() { close(g.open) }) }

// gatedListen runs listen against a one-data-center region holding n jobs, whose fetches a gate
// holds until released, writing to a new file: for tests of a shutdown while pushes are in
// progress.
func gatedListen(t *testing.T, n int, args ...string) (*faxtest.Server, []string, *gate, string, *listening) {
	t.Helper()
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1})
	ids := putJobs(s, n)
	g, endpoint := newGate(t, s.Endpoints()[0])
	env := listenEnv(s)
	env["FAXREPORT_ENDPOINTS"] = endpoint
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	l := startListen(t, env, append([]string{"--addr", "127.0.0.1:0", "--out", out}, args...)...)
	return s, ids, g, out, l
}

// pushWithin pushes jobID and returns the answer's status code (0: no answer), or fails the
// test when no answer comes within a minute, as when the push hangs.
func pushWithin(t *testing.T, s *faxtest.Server, target, jobID string, opts ...faxtest.PushOption) int {
	t.Helper()
	answer := make(chan int, 1)
	go func() { answer <- pushAll(s, target, []string{jobID}, opts...)[jobID] }()
	select {
	case code := <-answer:
		return code
	case <-time.After(time.Minute):
		t.Fatalf("the push of %s had no answer after a minute", jobID)
		return 0
	}
}

// stopWithin interrupts the command, as SIGINT does, and returns its exit code, or fails the
// test when it has not exited within a minute.
func stopWithin(t *testing.T, l *listening) int {
	t.Helper()
	l.cancel()
	select {
	case code := <-l.done:
		l.done <- code
		return code
	case <-time.After(time.Minute):
		t.Fatalf("still running a minute after the interrupt: %s", l.stderr)
		return 0
	}
}

// get sends a GET without credentials and returns the answer's status code and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	client := &http.Client{Timeout: time.Minute}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// origin is the scheme and host of a URL, such as http://127.0.0.1:8080.
func origin(t *testing.T, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Scheme + "://" + u.Host
}
