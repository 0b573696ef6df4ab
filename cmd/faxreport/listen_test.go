package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
)

const pushUser, pushPassword = "push-user", "push-secret-4711"

// stderrWatch is the stderr of a listen run: it keeps everything and announces the lines the
// tests wait for on channels, so that no test sleeps.
type stderrWatch struct {
	mu       sync.Mutex
	buf      bytes.Buffer
	seen     int // bytes of buf already scanned for lines
	url      chan string
	stopping chan struct{}
}

var listeningLine = regexp.MustCompile(`^faxreport: listening on (https?://\S+/)$`)

func (w *stderrWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for {
		rest := w.buf.Bytes()[w.seen:]
		end := bytes.IndexByte(rest, '\n')
		if end < 0 {
			return len(p), nil
		}
		line := string(rest[:end])
		w.seen += end + 1
		if m := listeningLine.FindStringSubmatch(line); m != nil {
			w.url <- m[1]
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

// listening is a listen command running in the background.
type listening struct {
	url    string // where it listens, from its stderr
	stdout *bytes.Buffer
	stderr *stderrWatch
	cancel context.CancelFunc // SIGINT
	done   chan int           // its exit code
}

// startListen runs "listen args..." with env until it prints where it listens, or fails the
// test if it exits first. The test's cleanup stops it.
func startListen(t *testing.T, env map[string]string, args ...string) *listening {
	t.Helper()
	l := &listening{
		stdout: new(bytes.Buffer),
		stderr: &stderrWatch{url: make(chan string, 1), stopping: make(chan struct{})},
		done:   make(chan int, 1),
	}
	ctx, cancel := context.WithCancel(context.Background())
	l.cancel = cancel
	go func() {
		l.done <- run(ctx, append([]string{"listen"}, args...), func(k string) string { return env[k] }, strings.NewReader(""), l.stdout, l.stderr)
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

// Every push answered 2xx has its report, as the API sent it, in --out; and the run ends with
// exit code 0 on an interrupt.
func TestListenWritesEveryPushedReport(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	ids := append(putJobs(s, 20), exampleJob)
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	l := startListen(t, listenEnv(s), "--addr", "127.0.0.1:0", "--out", out)

	for id, code := range pushAll(s, l.url, ids, faxtest.PushBasicAuth(pushUser, pushPassword)) {
		if code != http.StatusNoContent {
			t.Errorf("push of %s answered %d", id, code)
		}
	}
	// Synced before the answer: the file has every line while the command still runs.
	written, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	reports := reportLines(t, written)
	client, err := faxreport.New(s.Config())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids[:20] {
		want, err := client.GetStatusReport(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := reports[id]
		if !ok || got.RecipientStatus[0].Number != want.RecipientStatus[0].Number || got.RecipientStatus[0].DurationInSecs != want.RecipientStatus[0].DurationInSecs {
			t.Errorf("job %s: wrote %+v, want %+v", id, got, want)
		}
	}
	if len(reports) != len(ids) {
		t.Errorf("%d lines for %d jobs", len(reports), len(ids))
	}
	if want := compact(t, api.Example(api.ReportExample)); !strings.Contains(string(written), want) {
		t.Errorf("the example's line is not the API's bytes, compact:\n%s\nwant\n%s", written, want)
	}
	if code := l.stop(); code != exitOK {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
	if l.stdout.Len() != 0 || strings.Contains(l.stderr.String(), pushPassword) {
		t.Fatalf("stdout %q, stderr %q", l.stdout, l.stderr)
	}
}

// Without --out, the reports go to stdout, one per line.
func TestListenPrintsToStdoutWithoutOut(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	l := startListen(t, listenEnv(s), "--addr", "localhost:0")
	status := pushAll(s, l.url, []string{exampleJob, "FJ0MINIMAL0REPORT00001"}, faxtest.PushBasicAuth(pushUser, pushPassword), faxtest.PushInSOAPEnvelope())
	if code := l.stop(); code != exitOK || status[exampleJob] != http.StatusNoContent {
		t.Fatalf("exit %d, pushes %v: %s", code, status, l.stderr)
	}
	if reports := reportLines(t, l.stdout.Bytes()); len(reports) != 2 {
		t.Fatalf("stdout:\n%s", l.stdout)
	}
}

// Wrong or missing credentials are answered 401, and nothing is fetched or written.
func TestListenRefusesWrongCredentials(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	l := startListen(t, listenEnv(s), "--addr", "127.0.0.1:0", "--out", out)
	for name, opts := range map[string][]faxtest.PushOption{
		"wrong password": {faxtest.PushBasicAuth(pushUser, "wrong")},
		"wrong user":     {faxtest.PushBasicAuth("someone", pushPassword)},
		"none":           nil,
	} {
		if status := pushAll(s, l.url, []string{exampleJob}, opts...); status[exampleJob] != http.StatusUnauthorized {
			t.Errorf("%s: answered %d, want 401", name, status[exampleJob])
		}
	}
	if code := l.stop(); code != exitOK {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
	if written, _ := os.ReadFile(out); len(written) != 0 || len(s.Requests()) != 0 {
		t.Fatalf("wrote %q, sent %d requests", written, len(s.Requests()))
	}
	// A refused push is logged without --verbose: a receiver that refuses everything shows it.
	if n := strings.Count(l.stderr.String(), "level=WARN msg=\"faxreport push\" status=401"); n != 3 {
		t.Errorf("%d warnings of refused pushes on stderr, want 3:\n%s", n, l.stderr.String())
	}
	if strings.Contains(l.stderr.String(), pushPassword) {
		t.Error("stderr shows the push password")
	}
}

// listen refuses to start insecurely unless told to, and then warns.
func TestListenRefusesInsecureSetups(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	env := listenEnv(s)
	noPush := listenEnv(s)
	delete(noPush, "FAXREPORT_PUSH_USERNAME")
	delete(noPush, "FAXREPORT_PUSH_PASSWORD")
	onlyUser := listenEnv(s)
	delete(onlyUser, "FAXREPORT_PUSH_PASSWORD")
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"plain http on every interface", env, []string{"--addr", ":0"}, "not a loopback address"},
		{"plain http on a public address", env, []string{"--addr", "192.0.2.1:8080"}, "not a loopback address"},
		{"no push credentials", noPush, []string{"--addr", "127.0.0.1:0"}, "FAXREPORT_PUSH_USERNAME and FAXREPORT_PUSH_PASSWORD"},
		{"push user without password", onlyUser, []string{"--addr", "127.0.0.1:0"}, "missing FAXREPORT_PUSH_PASSWORD"},
		{"unauthenticated with credentials", env, []string{"--addr", "127.0.0.1:0", "--allow-unauthenticated"}, "does not go with"},
		{"cert without key", env, []string{"--addr", ":0", "--tls-cert", "cert.pem"}, "go together"},
		{"missing cert files", env, []string{"--addr", ":0", "--tls-cert", "nope.pem", "--tls-key", "nope.key"}, "nope.pem"},
		{"bad address", env, []string{"--addr", "8080"}, "want host:port"},
		{"arguments", env, []string{"--addr", "127.0.0.1:0", exampleJob}, "takes no arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := runCLI(t, tc.env, "", append([]string{"listen"}, tc.args...)...)
			if inv.code != exitUsage || !strings.Contains(inv.stderr, tc.want) || strings.Contains(inv.stderr, "listening on") {
				t.Fatalf("exit %d, stderr %q; want exit 2 saying %q", inv.code, inv.stderr, tc.want)
			}
		})
	}

	l := startListen(t, env, "--addr", ":0", "--allow-insecure-http")
	if !strings.Contains(l.stderr.String(), "faxreport: warning: --allow-insecure-http") {
		t.Errorf("no warning: %s", l.stderr)
	}
	if code := l.stop(); code != exitOK {
		t.Errorf("exit %d", code)
	}

	l = startListen(t, noPush, "--addr", "127.0.0.1:0", "--allow-unauthenticated")
	s.LoadExamples()
	status := pushAll(s, l.url, []string{exampleJob})
	if code := l.stop(); code != exitOK || status[exampleJob] != http.StatusNoContent ||
		!strings.Contains(l.stderr.String(), "faxreport: warning: --allow-unauthenticated") {
		t.Errorf("--allow-unauthenticated: exit %d, push %d, stderr %s", code, status[exampleJob], l.stderr)
	}
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

// An interrupt in the middle of a burst of pushes finishes the pushes in progress: each is
// answered 204 with its report in --out, and the run exits 0. No push answered 2xx is lost.
func TestListenShutdownMidBurstLosesNothing(t *testing.T) {
	s, ids, g, out, l := gatedListen(t, 12)

	answers := make(chan map[string]int, 1)
	go func() { answers <- pushAll(s, l.url, ids, faxtest.PushBasicAuth(pushUser, pushPassword)) }()
	const inFlight = 4
	for range inFlight { // four pushes are fetching their reports, held at the gate
		<-g.arrived
	}
	l.cancel()          // SIGINT
	<-l.stderr.stopping // the command has begun to shut down
	g.release()
	status := <-answers
	if code := l.stop(); code != exitOK {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}

	written, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	reports := reportLines(t, written)
	answered := 0
	for id, code := range status {
		if code/100 == 2 {
			answered++
			if _, ok := reports[id]; !ok {
				t.Errorf("push of %s answered %d, but its report is not in --out", id, code)
			}
		}
	}
	if answered < inFlight {
		t.Errorf("%d pushes answered 2xx, want at least the %d in progress at the interrupt: %v", answered, inFlight, status)
	}
	if len(reports) != answered {
		t.Errorf("%d reports written, %d pushes answered 2xx", len(reports), answered)
	}
}

// A push still in progress when --shutdown-timeout expires is abandoned unanswered, nothing is
// written for it, and the run exits 1 saying so.
func TestListenShutdownTimeoutAbandonsUnansweredPushes(t *testing.T) {
	s, ids, g, out, l := gatedListen(t, 1, "--shutdown-timeout", "50ms")

	answers := make(chan map[string]int, 1)
	go func() { answers <- pushAll(s, l.url, ids, faxtest.PushBasicAuth(pushUser, pushPassword)) }()
	<-g.arrived // held at the gate until the command has given up on it
	code := l.stop()
	g.release()
	status := <-answers
	if code != exitFailure || !strings.Contains(l.stderr.String(), "abandoned") {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
	if status[ids[0]]/100 == 2 {
		t.Fatalf("the abandoned push was answered %d", status[ids[0]])
	}
	if written, _ := os.ReadFile(out); len(written) != 0 {
		t.Fatalf("wrote %q after the output was closed", written)
	}
}

// With --tls-cert and --tls-key, listen serves HTTPS, on any address.
func TestListenServesHTTPS(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	certFile, keyFile, roots := selfSignedCert(t)
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	l := startListen(t, listenEnv(s), "--addr", ":0", "--tls-cert", certFile, "--tls-key", keyFile, "--out", out)
	if !strings.HasPrefix(l.url, "https://") || strings.Contains(l.stderr.String(), "warning") {
		t.Fatalf("listening on %s: %s", l.url, l.stderr)
	}
	u, err := url.Parse(l.url)
	if err != nil {
		t.Fatal(err)
	}
	port := u.Port() // listening on every interface: push to loopback, the certificate's address
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	push := func(user, password string) int {
		body := `<faxJobReport xmlns="` + faxtest.PushNamespace + `"><jobId>` + exampleJob + `</jobId></faxJobReport>`
		req, _ := http.NewRequest(http.MethodPost, "https://127.0.0.1:"+port+"/", strings.NewReader(body))
		req.Header.Set("Content-Type", "text/xml")
		req.SetBasicAuth(user, password)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := push(pushUser, "wrong"); got != http.StatusUnauthorized {
		t.Errorf("wrong password over HTTPS: %d", got)
	}
	if got := push(pushUser, pushPassword); got != http.StatusNoContent {
		t.Errorf("push over HTTPS: %d", got)
	}
	if code := l.stop(); code != exitOK {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
	if written, _ := os.ReadFile(out); string(written) != compact(t, api.Example(api.ReportExample)) {
		t.Fatalf("wrote %q", written)
	}
}

// selfSignedCert writes a certificate for 127.0.0.1 and its key as PEM files, and returns them
// with a pool that trusts the certificate.
func selfSignedCert(t *testing.T) (certFile, keyFile string, roots *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "faxreport listen test"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600)
	roots = x509.NewCertPool()
	roots.AddCert(cert)
	return certFile, keyFile, roots
}
