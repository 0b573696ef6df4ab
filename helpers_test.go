package faxreport_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
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
		return newReport(jobID).json()
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

// testReport is the tests' one report builder: the API's example report (api.ReportExample)
// with fields changed, given as JSON (json, or sent for bytes laid out as a data center may lay
// them out) or as a model (model).
type testReport struct{ doc map[string]any }

// newReport is the example report of jobID. With statuses, it is a minimal report instead: the
// job ID, one page, and one recipient per status (number "+49 89 i", the status as reason, 10 s).
func newReport(jobID string, statuses ...string) *testReport {
	r := &testReport{}
	if err := json.Unmarshal(api.Example(api.ReportExample), &r.doc); err != nil {
		panic(err) // the project's own example
	}
	r.doc["jobId"] = jobID
	if len(statuses) > 0 {
		recipients := make([]any, len(statuses))
		for i, st := range statuses {
			recipients[i] = map[string]any{"number": fmt.Sprintf("+49 89 %d", i), "status": st, "reason": st, "durationInSecs": 10}
		}
		r.doc["recipientStatus"] = recipients
		delete(r.doc, "reference")
	}
	return r
}

// with sets the field at path (keys and indexes) to value, or removes it when value is nil.
func (r *testReport) with(value any, path ...any) *testReport {
	var node any = r.doc
	for _, step := range path[:len(path)-1] {
		switch s := step.(type) {
		case string:
			node = node.(map[string]any)[s]
		case int:
			node = node.([]any)[s]
		}
	}
	last := path[len(path)-1].(string)
	if value == nil {
		delete(node.(map[string]any), last)
	} else {
		node.(map[string]any)[last] = value
	}
	return r
}

// json is the report as compact JSON.
func (r *testReport) json() []byte {
	b, err := json.Marshal(r.doc)
	if err != nil {
		panic(err) // the values given are JSON's
	}
	return b
}

// sent is the report as a data center may send it, which a client that returns the bytes it got
// must keep: with an unknown field (and a null in it), indented, its fields in an order that is
// not the spec's.
func (r *testReport) sent() []byte {
	r.doc["vendorExtra"] = map[string]any{"a": []any{1, nil}}
	defer delete(r.doc, "vendorExtra")
	b, err := json.MarshalIndent(r.doc, " ", "   ")
	if err != nil {
		panic(err)
	}
	return b
}

// model is the report as the client's model.
func (r *testReport) model() *faxreport.Report {
	var m faxreport.Report
	if err := json.Unmarshal(r.json(), &m); err != nil {
		panic(err)
	}
	return &m
}

// fakeClient starts a faxtest region for the test and a client of it with fast retries.
func fakeClient(t *testing.T, opts faxtest.Options) (*faxtest.Server, *faxreport.Client) {
	t.Helper()
	opts.T = t
	s := faxtest.NewServer(opts)
	cfg := s.Config()
	cfg.Retry = fastRetry
	c, err := faxreport.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// fastPolls polls every few milliseconds.
var fastPolls = fastPolling(faxreport.WaitOptions{})

// fastPolling is opts with polls every few milliseconds.
func fastPolling(opts faxreport.WaitOptions) faxreport.WaitOptions {
	opts.MinPollInterval, opts.MaxPollInterval = time.Millisecond, 5*time.Millisecond
	return opts
}

// assertEachJobAskedAtMostOncePerDataCenter checks the fake's log: every one of the jobs distinct
// job IDs was asked for, and no data center was asked twice for the same one. (Once a data
// center has answered, the others may not be asked at all.)
func assertEachJobAskedAtMostOncePerDataCenter(t *testing.T, s *faxtest.Server, jobs int) {
	t.Helper()
	asked := map[string]bool{}
	for _, dc := range s.DataCenters() {
		seen := map[string]bool{}
		for _, r := range dc.Requests() {
			// At most once in bulk and once alone: a job that no bulk answer returned is
			// confirmed with the single-report call.
			for _, id := range r.JobIDs {
				if seen["bulk "+id] {
					t.Fatalf("%s was asked twice in bulk for %s", dc.URL(), id)
				}
				seen["bulk "+id], asked[id] = true, true
			}
			if id := r.JobID; id != "" {
				if seen[id] {
					t.Fatalf("%s was asked twice for %s", dc.URL(), id)
				}
				seen[id], asked[id] = true, true
			}
		}
	}
	if len(asked) != jobs {
		t.Fatalf("%d distinct jobs asked for, want %d", len(asked), jobs)
	}
}

// bulkReads are the bulk reads: GetStatusReports gives each report and its JSON as the API sent
// it.
var bulkReads = []struct {
	name string
	read func(*faxreport.Client, context.Context, []string, faxreport.BatchOptions) []faxreport.ReportResult
}{
	{"reports", (*faxreport.Client).GetStatusReports},
}

// bulkPosts returns the job IDs of dc's bulk requests (both actions), request by request.
func bulkPosts(dc *faxtest.DataCenter) [][]string {
	var posts [][]string
	for _, r := range dc.Requests() {
		if r.Method == "POST" {
			posts = append(posts, r.JobIDs)
		}
	}
	return posts
}

// bulkRequests counts the bulk requests in a request log, and the job IDs they carried in all.
func bulkRequests(log []faxtest.Request) (requests, ids int) {
	for _, r := range log {
		if r.Method == http.MethodPost {
			requests++
			ids += len(r.JobIDs)
		}
	}
	return requests, ids
}

// chunksOf is how many bulk requests n jobs take.
func chunksOf(n int) int { return (n + faxreport.ListLimit - 1) / faxreport.ListLimit }

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

// heapObjects returns the bytes of live and not yet swept heap objects.
func heapObjects() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

// sampleHeapPeak samples heapObjects every millisecond until the returned function is called,
// which returns the highest sample.
func sampleHeapPeak() func() uint64 {
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		peak := heapObjects()
		for {
			select {
			case <-tick.C:
				peak = max(peak, heapObjects())
			case <-done:
				result <- max(peak, heapObjects())
				return
			}
		}
	}()
	return func() uint64 { close(done); return <-result }
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

// hostileLister is a data center whose n-th listing (from 1) is listing(n), given as report
// bodies, and whose bulk DELETE answers each job with answer(jobID). It records the IDs each
// bulk request carried.
type hostileLister struct {
	*dataCenter
	mu      sync.Mutex
	deletes [][]string
}

func newHostileLister(t *testing.T, listing func(n int) [][]byte, answer func(jobID string) string) *hostileLister {
	h := &hostileLister{}
	var lists atomic.Int64
	h.dataCenter = newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			var req struct {
				JobIDs []string `json:"jobIds"`
			}
			json.NewDecoder(r.Body).Decode(&req)
			h.mu.Lock()
			h.deletes = append(h.deletes, req.JobIDs)
			h.mu.Unlock()
			items := make([]string, len(req.JobIDs))
			for i, id := range req.JobIDs {
				items[i] = answer(id)
			}
			serveJSON(200, []byte(`{"reports":[`+strings.Join(items, ",")+`]}`))(w, r)
			return
		}
		reports := listing(int(lists.Add(1)))
		serveJSON(200, append(append([]byte(`{"reports":[`), bytes.Join(reports, []byte(","))...), "]}"...))(w, r)
	})
	return h
}

func deletedAnswer(id string) string { return fmt.Sprintf(`{"jobId":%q,"deleted":true}`, id) }

func notFoundAnswer(id string) string {
	return fmt.Sprintf(`{"jobId":%q,"deleted":false,"reason":"NOT_FOUND"}`, id)
}

// shelf is a data center's stored reports, oldest first, served by a hostileLister: it lists the
// oldest ListLimit, whatever they hold, and deletes the jobs a bulk DELETE names. Unlike
// faxtest, it stores reports that break the contract.
type shelf struct {
	mu     sync.Mutex
	order  []string
	bodies map[string][]byte
}

func newShelf() *shelf { return &shelf{bodies: map[string][]byte{}} }

func (s *shelf) put(id string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.order = append(s.order, id)
	s.bodies[id] = body
}

func (s *shelf) list(int) [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	var listed [][]byte
	for _, id := range s.order {
		if len(listed) == faxreport.ListLimit {
			break
		}
		listed = append(listed, s.bodies[id])
	}
	return listed
}

func (s *shelf) remove(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.bodies[id]; !ok {
		return notFoundAnswer(id)
	}
	delete(s.bodies, id)
	s.order = slices.DeleteFunc(s.order, func(o string) bool { return o == id })
	return deletedAnswer(id)
}

func (s *shelf) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

// fill puts invalid reports, then valid ones, on a new shelf served by a new data center, and
// returns the shelf, the data center and every report's bytes by job.
func fill(t *testing.T, invalid, valid int) (*shelf, *hostileLister, map[string][]byte) {
	sh := newShelf()
	stored := map[string][]byte{}
	for i := range invalid {
		id := fmt.Sprintf("FJBAD%05d", i)
		stored[id] = newReport(id).with("2017-08-10 13:05:09Z", "recipientStatus", 0, "sentTs").json()
		sh.put(id, stored[id])
	}
	for i := range valid {
		id := fmt.Sprintf("FJGOOD%05d", i)
		stored[id] = newReport(id).json()
		sh.put(id, stored[id])
	}
	return sh, newHostileLister(t, sh.list, sh.remove), stored
}

// quarantine records what a drain's two handlers were given.
type quarantine struct {
	mu      sync.Mutex
	valid   map[string][]byte
	invalid map[string][]byte
	errs    []error
	dcs     map[string]bool
}

func newQuarantine() *quarantine {
	return &quarantine{valid: map[string][]byte{}, invalid: map[string][]byte{}, dcs: map[string]bool{}}
}

func (q *quarantine) config() faxreport.DrainConfig {
	return faxreport.DrainConfig{
		HandleJSON: func(_ context.Context, page []faxreport.RawReport) error {
			q.mu.Lock()
			defer q.mu.Unlock()
			for _, r := range page {
				q.valid[r.JobID] = r.JSON
				q.dcs[r.DataCenter] = true
			}
			return nil
		},
		HandleInvalid: func(_ context.Context, page []faxreport.InvalidReport) error {
			q.mu.Lock()
			defer q.mu.Unlock()
			for _, r := range page {
				q.invalid[r.JobID] = r.JSON
				q.errs = append(q.errs, r.Err)
				q.dcs[r.DataCenter] = true
			}
			return nil
		},
	}
}

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
