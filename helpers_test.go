package faxreport_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
)

const (
	testCustNr   = "12345"
	testUser     = "fax-user"
	testPassword = "s3cr3t-Pa55w0rd"
	testJobID    = "FJJ66GHGX105ZZBIELVCN1" // the job of api.ReportExample
	pushUser     = "push-user"              // the credentials a push receiver under test takes
	pushPassword = "push-Pa55w0rd-secret"
)

// dataCenter is an httptest server standing in for one Retarus data center. It counts the
// requests it receives.
type dataCenter struct {
	*httptest.Server
	requests atomic.Int64
}

// URL returns the data center's base URL, as configured in Config.Endpoints.
func (dc *dataCenter) BaseURL() string { return dc.URL + "/rest/v1" }

func newDataCenter(t *testing.T, h http.HandlerFunc) *dataCenter {
	t.Helper()
	dc := &dataCenter{}
	dc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dc.requests.Add(1)
		h(w, r)
	}))
	t.Cleanup(dc.Close)
	return dc
}

// serveJSON answers with status and body as application/json.
func serveJSON(status int, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(body)
	}
}

func serveReport() http.HandlerFunc { return serveJSON(200, api.Example(api.ReportExample)) }

func serveStatus(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(status) }
}

// fastRetry keeps retry delays short in tests.
var fastRetry = faxreport.RetryPolicy{MaxAttempts: 3, MinDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

// newClient returns a client of the given data centers with test credentials and fast retries.
func newClient(t *testing.T, dcs ...*dataCenter) *faxreport.Client {
	t.Helper()
	return newClientWith(t, func(*faxreport.Config) {}, dcs...)
}

func newClientWith(t *testing.T, edit func(*faxreport.Config), dcs ...*dataCenter) *faxreport.Client {
	t.Helper()
	cfg := faxreport.Config{CustomerNumber: testCustNr, Username: testUser, Password: testPassword, Retry: fastRetry}
	for _, dc := range dcs {
		cfg.Endpoints = append(cfg.Endpoints, dc.BaseURL())
	}
	edit(&cfg)
	c, err := faxreport.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// testContext is the context of one test call: bounded, so that a hang fails instead of
// blocking the suite.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// testToken is the basic-auth token of the test credentials, as the Authorization header has it.
var testToken = base64.StdEncoding.EncodeToString([]byte(testUser + ":" + testPassword))

// assertNoSecret fails if err's message shows the password or the Authorization header's token.
func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range []string{testPassword, testToken} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error leaks %q: %v", s, err)
		}
	}
}

// mustFail asserts that err is an error matching want and not matching any of notWant.
func mustFail(t *testing.T, err error, want error, notWant ...error) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", want)
	}
	if !errors.Is(err, want) {
		t.Errorf("error %q does not match %v", err, want)
	}
	for _, nw := range notWant {
		if errors.Is(err, nw) {
			t.Errorf("error %q must not match %v", err, nw)
		}
	}
	assertNoSecret(t, err)
}

// within runs call and fails the test if it has not returned after d.
func within(t *testing.T, d time.Duration, call func()) {
	t.Helper()
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		call()
	}()
	select {
	case <-returned:
	case <-time.After(d):
		t.Fatalf("still blocked after %v", d)
	}
}

// lockedBuffer is a log sink safe for the client's and the test's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written.
func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// take returns what was written and forgets it.
func (b *lockedBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}

// echoes reports whether the response carried s, so that an error quoting the response may show
// it: in the content type, the raw body, or any string of the body decoded as JSON.
func echoes(contentType string, body []byte, s string) bool {
	if strings.Contains(contentType, s) || bytes.Contains(body, []byte(s)) {
		return true
	}
	found := false
	dec := json.NewDecoder(bytes.NewReader(body))
	for !found {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if str, ok := tok.(string); ok && strings.Contains(str, s) {
			found = true
		}
	}
	return found
}
