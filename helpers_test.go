package faxreport_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
)

const (
	testCustNr   = "12345"
	testUser     = "fax-user"
	testPassword = "s3cr3t-Pa55w0rd"
	testJobID    = "FJJ66GHGX105ZZBIELVCN1"
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

// serveReportForPath answers every GET with the example report for the job ID of the path,
// and a bulk GET with the example report for each job asked.
func serveReportForPath(t *testing.T) http.HandlerFunc { return serveReportForPathWith(t, nil) }

// serveReportForPathWith is serveReportForPath, but a job in bodies gets that body as its
// report, in a single answer and a bulk one alike.
func serveReportForPathWith(t *testing.T, bodies map[string][]byte) http.HandlerFunc {
	report := func(jobID string) []byte {
		if body, ok := bodies[jobID]; ok {
			return body
		}
		return withField(t, jobID, "jobId")
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			var bulk struct {
				JobIDs []string `json:"jobIds"`
			}
			if err := json.NewDecoder(r.Body).Decode(&bulk); err != nil {
				t.Error(err)
			}
			items := make([]json.RawMessage, len(bulk.JobIDs))
			for i, id := range bulk.JobIDs {
				items[i] = report(id)
			}
			body, _ := json.Marshal(map[string]any{"reports": items})
			serveJSON(200, body)(w, r)
			return
		}
		serveJSON(200, report(path.Base(r.URL.Path)))(w, r)
	}
}

// unknownDeleteReadings are the three answers faxtest can give to the deletion of a job a data
// center does not hold; the client's delete tests run under each.
var unknownDeleteReadings = []struct {
	name    string
	reading faxtest.UnknownDelete
}{
	{"200 NOT_FOUND", faxtest.UnknownDeleteNotFoundItem},
	{"400", faxtest.UnknownDelete400},
	{"404", faxtest.UnknownDelete404},
}

// forEachUnknownDeleteReading runs test once per reading of unknownDeleteReadings, as a subtest
// with Options that select it.
func forEachUnknownDeleteReading(t *testing.T, test func(t *testing.T, opts faxtest.Options)) {
	for _, r := range unknownDeleteReadings {
		t.Run(r.name, func(t *testing.T) { test(t, faxtest.Options{UnknownDelete: r.reading}) })
	}
}
