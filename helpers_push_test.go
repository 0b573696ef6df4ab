package faxreport_test

import (
	"bytes"
	"context"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// pushEnv is a push receiver under test: a faxtest region as the API, a client of it, and the
// push handler mounted on an httptest server.
type pushEnv struct {
	fake      *faxtest.Server
	url       string
	log       *lockedBuffer
	mu        sync.Mutex
	handled   []*faxreport.Report
	handleErr error // what record returns, when set before a push
}

// newPushEnv starts a receiver whose Handle records each report; edit may change the config
// (a nil Handle is replaced by the recording one).
func newPushEnv(t *testing.T, edit func(*faxreport.PushConfig)) *pushEnv {
	t.Helper()
	env := &pushEnv{fake: faxtest.NewServer(faxtest.Options{T: t}), log: &lockedBuffer{}}
	cfg := env.fake.Config()
	cfg.Retry = fastRetry
	cfg.Logger = slog.New(slog.NewTextHandler(env.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	client, err := faxreport.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	pushCfg := faxreport.PushConfig{Username: pushUser, Password: pushPassword}
	if edit != nil {
		edit(&pushCfg)
	}
	if pushCfg.Handle == nil && pushCfg.HandleJSON == nil {
		pushCfg.Handle = env.record
	}
	h, err := faxreport.NewPushHandler(client, pushCfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the panic test's panic
	srv.Start()
	t.Cleanup(srv.Close)
	env.url = srv.URL + "/push"
	return env
}

func (env *pushEnv) record(_ context.Context, r *faxreport.Report) error {
	env.mu.Lock()
	defer env.mu.Unlock()
	if env.handleErr != nil {
		return env.handleErr
	}
	env.handled = append(env.handled, r)
	return nil
}

func (env *pushEnv) reports() []*faxreport.Report {
	env.mu.Lock()
	defer env.mu.Unlock()
	return append([]*faxreport.Report(nil), env.handled...)
}

// push sends a push for jobID with the right credentials and the given variants.
func (env *pushEnv) push(t *testing.T, jobID string, opts ...faxtest.PushOption) *http.Response {
	t.Helper()
	opts = append([]faxtest.PushOption{faxtest.PushBasicAuth(pushUser, pushPassword)}, opts...)
	resp, err := env.fake.Push(env.url, jobID, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// post sends body as a push with the right credentials.
func (env *pushEnv) post(t *testing.T, method, contentType string, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(testContext(t), method, env.url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.SetBasicAuth(pushUser, pushPassword)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(answer))
	return resp
}

// fetches counts the GETs of jobID that reached its home data center: one per fetch, as no
// fault is injected where it is used.
func (env *pushEnv) fetches(jobID string) int {
	n := 0
	for _, r := range env.fake.Home(jobID).Requests() {
		if r.JobID == jobID && r.Method == http.MethodGet {
			n++
		}
	}
	return n
}

func wantStatus(t *testing.T, resp *http.Response, want int) {
	t.Helper()
	if resp.StatusCode != want {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("push answered %d (%q), want %d", resp.StatusCode, body, want)
	}
	if want == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "" {
		t.Errorf("503 without Retry-After")
	}
}

// received waits for what ch delivers, failing the test if it takes longer than a hang would.
func received[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("no %s within 10 s", what)
		panic("unreachable")
	}
}

// outcomeRecorder is a PushConfig.OnPush that keeps every outcome.
type outcomeRecorder struct {
	mu       sync.Mutex
	outcomes []faxreport.PushOutcome
}

func (o *outcomeRecorder) record(out faxreport.PushOutcome) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.outcomes = append(o.outcomes, out)
}

// only returns the one outcome recorded, failing the test unless there is exactly one, and
// forgets it.
func (o *outcomeRecorder) only(t *testing.T) faxreport.PushOutcome {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.outcomes) != 1 {
		t.Fatalf("%d outcomes reported, want 1: %+v", len(o.outcomes), o.outcomes)
	}
	out := o.outcomes[0]
	o.outcomes = nil
	return out
}
