package faxtest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
	"github.com/faxreport/faxreport/internal/validate"
)

const exampleJob = "FJJ66GHGX105ZZBIELVCN1"

// get sends a GET for jobID to dc with the server's credentials (or none when auth is false),
// checks the response against openapi.yaml, and returns its status, headers and body.
func get(t *testing.T, s *faxtest.Server, dc *faxtest.DataCenter, custNr, jobID string, auth bool) (int, http.Header, []byte) {
	t.Helper()
	return send(t, s, dc, http.MethodGet, custNr, jobID, auth)
}

// send is get for any method.
func send(t *testing.T, s *faxtest.Server, dc *faxtest.DataCenter, method, custNr, jobID string, auth bool) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, dc.URL()+"/"+custNr+"/fax/reports/"+jobID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth {
		req.SetBasicAuth(s.Username, s.Password)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(body) > 0 || resp.StatusCode < 400 {
		// The vendor documents error bodies as "No Content" (openapi.yaml says so in prose):
		// the empty ones, which Fault.EmptyBody makes on purpose, have no schema to check.
		checkResponse(t, req, resp, body, validate.ReportPath)
	}
	return resp.StatusCode, resp.Header, body
}

// checkResponse validates a response of the fake to a request for the spec's path against
// openapi.yaml with kin-openapi.
func checkResponse(t *testing.T, req *http.Request, resp *http.Response, body []byte, path string) {
	t.Helper()
	doc, err := validate.Spec()
	if err != nil {
		t.Fatal(err)
	}
	item := doc.Paths.Value(path)
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req,
			Route:   &routers.Route{Spec: doc, Path: path, PathItem: item, Method: req.Method, Operation: item.GetOperation(req.Method)},
		},
		Status: resp.StatusCode,
		Header: resp.Header,
		Body:   io.NopCloser(bytes.NewReader(body)),
	}
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		t.Errorf("response %d %s does not match openapi.yaml: %v", resp.StatusCode, body, err)
	}
}

func TestAuth(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	dc := s.Put(report(exampleJob))
	for _, tc := range []struct {
		name   string
		custNr string
		user   string
		auth   bool
		want   int
	}{
		{"right", s.CustomerNumber, s.Username, true, 200},
		{"no Authorization header", s.CustomerNumber, s.Username, false, 400},
		{"other customer", "999", s.Username, true, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if status, _, body := get(t, s, dc, tc.custNr, exampleJob, tc.auth); status != tc.want {
				t.Fatalf("status %d %s, want %d", status, body, tc.want)
			}
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		cfg := s.Config()
		cfg.Password = "wrong"
		c, _ := faxreport.New(cfg)
		_, err := c.GetStatusReport(context.Background(), exampleJob)
		if !errors.Is(err, faxreport.ErrUnauthorized) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestNotFoundAndHome(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 3})
	home := s.Put(report(exampleJob))
	for _, dc := range s.DataCenters() {
		want := 404
		if dc == home {
			want = 200
		}
		if status, _, _ := get(t, s, dc, s.CustomerNumber, exampleJob, true); status != want {
			t.Errorf("%s: status %d, want %d", dc.URL(), status, want)
		}
	}
	if s.Home(exampleJob) != home || !home.Has(exampleJob) {
		t.Fatal("Home is not where Put stored the job")
	}
	if status, _, _ := get(t, s, home, s.CustomerNumber, "FJUNKNOWN", true); status != 404 {
		t.Fatalf("unknown job: %d", status)
	}
}

func TestSeeding(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	c, err := faxreport.New(s.Config())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range api.Reports() {
		want := api.Example(name)
		id := jobID(t, want)
		if _, err := c.GetStatusReport(context.Background(), id); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		_, _, body := get(t, s, s.Home(id), s.CustomerNumber, id, true)
		if !bytes.Equal(body, want) {
			t.Errorf("%s served as %s, not byte for byte", name, body)
		}
	}
	// A chosen data center.
	s.DataCenter(0).Put(report("FJCHOSEN"))
	if status, _, _ := get(t, s, s.DataCenter(0), s.CustomerNumber, "FJCHOSEN", true); status != 200 {
		t.Fatal("report not in the chosen data center")
	}
}

func TestPendingThenFinal(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	dc := s.PutPending(report(exampleJob), faxtest.Pending{NotFoundReads: 1, Reads: 2})
	var statuses []string
	for range 4 {
		status, _, body := get(t, s, dc, s.CustomerNumber, exampleJob, true)
		switch {
		case status == 404:
			statuses = append(statuses, "404")
		case bytes.Contains(body, []byte(`"PENDING"`)):
			statuses = append(statuses, "PENDING")
		default:
			statuses = append(statuses, "final")
		}
	}
	if got := strings.Join(statuses, " "); got != "404 PENDING PENDING final" {
		t.Fatalf("reads: %s", got)
	}

	s.PutPending(report("FJTIMED"), faxtest.Pending{For: time.Hour})
	if _, _, body := get(t, s, s.Home("FJTIMED"), s.CustomerNumber, "FJTIMED", true); !bytes.Contains(body, []byte("PENDING")) {
		t.Fatalf("pending for an hour, served %s", body)
	}
}

func TestFaults(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1})
	dc := s.Put(report(exampleJob))
	get1 := func() (int, http.Header, []byte) { return get(t, s, dc, s.CustomerNumber, exampleJob, true) }

	dc.Inject(faxtest.Fault{Status: 503, RetryAfter: "2", Times: 2})
	for range 2 {
		if status, h, _ := get1(); status != 503 || h.Get("Retry-After") != "2" {
			t.Fatalf("status %d Retry-After %q", status, h.Get("Retry-After"))
		}
	}
	if status, _, _ := get1(); status != 200 {
		t.Fatalf("after the fault's 2 uses: %d", status)
	}

	dc.Inject(faxtest.Fault{Status: 520, EmptyBody: true, Times: 1})
	if status, _, body := get1(); status != 520 || len(body) != 0 {
		t.Fatalf("520 empty: %d %q", status, body)
	}

	dc.Inject(faxtest.Fault{Malformed: []byte(`{"jobId":`), Times: 1})
	req, _ := http.NewRequest(http.MethodGet, dc.URL()+"/"+s.CustomerNumber+"/fax/reports/"+exampleJob, nil)
	req.SetBasicAuth(s.Username, s.Password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != `{"jobId":` {
		t.Fatalf("malformed: %q", body)
	}

	dc.Inject(faxtest.Fault{Oversize: 5 << 20, Times: 1})
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if n != 5<<20 {
		t.Fatalf("oversize body of %d bytes", n)
	}

	dc.Inject(faxtest.Fault{Drop: true, Times: 1})
	// A fresh connection: on a reused one, net/http itself would retry the GET.
	if _, err := (&http.Transport{DisableKeepAlives: true}).RoundTrip(req); err == nil {
		t.Fatal("dropped connection answered")
	}

	dc.Inject(faxtest.Fault{Latency: time.Hour, Times: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := http.DefaultClient.Do(req.WithContext(ctx)); err == nil {
		t.Fatal("an hour's latency answered")
	}

	if err := dc.WaitIdle(context.Background()); err != nil { // the cut request may still be ending
		t.Fatal(err)
	}
	statuses := fmt.Sprint(statusesOf(dc.Requests()))
	if statuses != "[503 503 200 520 200 200 0 0]" {
		t.Fatalf("request log statuses %s", statuses)
	}
}

func TestFaultLatencyIsCutShortByTheClient(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1})
	dc := s.Put(report(exampleJob))
	dc.SetLatency(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	cfg := s.Config()
	c, _ := faxreport.New(cfg)
	if _, err := c.GetStatusReport(ctx, exampleJob); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	dc.ClearFaults()
	if _, err := c.GetStatusReport(context.Background(), exampleJob); err != nil {
		t.Fatal(err)
	}
}

func TestRequestLogAndCounters(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.Put(report(exampleJob))
	c, _ := faxreport.New(s.Config())
	for range 20 {
		if _, err := c.GetStatusReport(context.Background(), exampleJob); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { c.GetStatusReport(context.Background(), exampleJob) })
	}
	wg.Wait()
	// The home data center answered every call, so it logged all 28 before the calls returned;
	// the other one may still be answering the last stragglers, which the log shows only once
	// answered: every entry is complete.
	home := s.Home(exampleJob)
	if n := home.RequestCount(); n != 28 {
		t.Fatalf("home data center logged %d requests, want 28", n)
	}
	assertLogged := func(reqs []faxtest.Request) {
		t.Helper()
		if len(reqs) > 2*28 {
			t.Fatalf("%d requests logged, want at most %d", len(reqs), 2*28)
		}
		for _, r := range reqs {
			if r.Method != http.MethodGet || r.JobID != exampleJob || !r.Authorized || r.Status != http.StatusOK && r.Status != http.StatusNotFound {
				t.Fatalf("logged %+v", r)
			}
		}
	}
	assertLogged(s.Requests())
	if err := s.WaitIdle(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertLogged(s.Requests())
	if n := s.Connections(); n < 2 || n > 2*9 {
		t.Fatalf("%d connections for 28 calls over 2 data centers", n)
	}
	if m := s.DataCenter(0).MaxInFlight(); m < 1 || m > 8 {
		t.Fatalf("max in flight %d", m)
	}
}

// recordingTB captures the failures that the fake reports.
type recordingTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestRequestsOutsideTheSpecFailTheTest(t *testing.T) {
	rec := &recordingTB{TB: t}
	s := faxtest.NewServer(faxtest.Options{T: rec})
	for _, path := range []string{"/12345//fax/reports/x", "/12345/fax/report/x", "/12345/fax/reports/a/b"} {
		req, _ := http.NewRequest(http.MethodGet, s.DataCenter(0).URL()+path, nil)
		req.SetBasicAuth(s.Username, s.Password)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	req, _ := http.NewRequest(http.MethodPut, s.DataCenter(0).URL()+"/12345/fax/reports/x", nil)
	req.SetBasicAuth(s.Username, s.Password)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	if len(rec.errors) != 4 {
		t.Fatalf("reported %d violations, want 4: %q", len(rec.errors), rec.errors)
	}
}

func statusesOf(reqs []faxtest.Request) []int {
	out := make([]int, len(reqs))
	for i, r := range reqs {
		out[i] = r.Status
	}
	return out
}

func report(jobID string) *faxreport.Report {
	return &faxreport.Report{JobID: jobID, Pages: 1, RecipientStatus: []faxreport.RecipientStatus{
		{Number: "+49 89 1234567-8900", Status: faxreport.StatusOK, Reason: "OK", DurationInSecs: 19},
	}}
}

func jobID(t *testing.T, body []byte) string {
	t.Helper()
	i := bytes.Index(body, []byte(`"jobId": "`))
	if i < 0 {
		t.Fatalf("no jobId in %s", body)
	}
	rest := body[i+len(`"jobId": "`):]
	return string(rest[:bytes.IndexByte(rest, '"')])
}

func TestInjectRandom(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1})
	dc := s.Put(report(exampleJob))
	dc.InjectRandom(1, faxtest.Fault{Status: 500}, faxtest.Fault{Status: 503})
	for range 20 {
		if status, _, _ := get(t, s, dc, s.CustomerNumber, exampleJob, true); status != 500 && status != 503 {
			t.Fatalf("status %d with a rate of 1", status)
		}
	}
	dc.InjectRandom(0)
	if status, _, _ := get(t, s, dc, s.CustomerNumber, exampleJob, true); status != 200 {
		t.Fatalf("status %d with a rate of 0", status)
	}
}

func TestDeleteAnswersMatchTheSpec(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1})
	dc := s.Put(report(exampleJob))
	for _, want := range []string{`"deleted":true`, `"reason":"NOT_FOUND"`} {
		if status, _, body := send(t, s, dc, http.MethodDelete, s.CustomerNumber, exampleJob, true); status != 200 || !bytes.Contains(body, []byte(want)) {
			t.Fatalf("%d %s, want %s", status, body, want)
		}
	}
	if status, _, _ := get(t, s, dc, s.CustomerNumber, exampleJob, true); status != 404 {
		t.Fatalf("GET after DELETE: %d", status)
	}
}
