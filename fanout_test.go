package faxreport_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
)

func TestGetStatusReportAsksEveryDataCenterWithAuth(t *testing.T) {
	check := func(next http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			user, pass, ok := r.BasicAuth()
			switch {
			case r.Method != http.MethodGet:
				t.Errorf("method %s, want GET", r.Method)
			case r.URL.EscapedPath() != "/rest/v1/"+testCustNr+"/fax/reports/"+testJobID:
				t.Errorf("path %s", r.URL.EscapedPath())
			case !ok || user != testUser || pass != testPassword:
				t.Errorf("basic auth %q %q %v", user, pass, ok)
			case !strings.HasPrefix(r.UserAgent(), "faxreport-go/"):
				t.Errorf("user agent %q", r.UserAgent())
			}
			next(w, r)
		}
	}
	de1Asked := make(chan struct{})
	de1 := newDataCenter(t, check(func(w http.ResponseWriter, r *http.Request) {
		close(de1Asked)
		serveStatus(http.StatusNotFound)(w, r)
	}))
	de2 := newDataCenter(t, check(func(w http.ResponseWriter, r *http.Request) {
		<-de1Asked // answer once both were asked, so that the count below cannot race
		serveReport()(w, r)
	}))
	c := newClient(t, de1, de2)

	r, err := c.GetStatusReport(testContext(t), testJobID)
	if err != nil {
		t.Fatal(err)
	}
	if r.JobID != testJobID || r.Pages != 1 || len(r.RecipientStatus) != 1 || r.RecipientStatus[0].Status != "OK" {
		t.Fatalf("report %+v", r)
	}
	if *r.Reference.BillingCode != "2022-04-7T11:04:37.057Z_billingCode" || r.RecipientStatus[0].SentTS.Year() != 2017 {
		t.Fatalf("report fields %+v", r)
	}
	if de1.requests.Load() != 1 || de2.requests.Load() != 1 {
		t.Fatalf("requests de1=%d de2=%d, want 1 each", de1.requests.Load(), de2.requests.Load())
	}
}

func TestGetStatusReportDoesNotWaitForSlowDataCenter(t *testing.T) {
	release := make(chan struct{})
	slow := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	fast := newDataCenter(t, serveReport())
	c := newClient(t, slow, fast)

	// The slow data center answers only when released, which happens after the call returns: a
	// client that waited for it would hit the test context's deadline instead.
	r, err := c.GetStatusReport(testContext(t), testJobID)
	close(release)
	if err != nil || r.JobID != testJobID {
		t.Fatalf("got %v, %v", r, err)
	}
}

func TestGetStatusReportCancelsStragglersAndLeaksNothing(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	cancelled := make(chan struct{})
	slow := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
		close(cancelled)
	})
	fast := newDataCenter(t, serveReport())
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	c := newClientWith(t, func(cfg *faxreport.Config) { cfg.HTTPClient = hc }, slow, fast)

	ctx, cancel := context.WithCancel(context.Background())
	if _, err := c.GetStatusReport(ctx, testJobID); err != nil {
		t.Fatal(err)
	}
	cancel() // the caller's cancel after return must not matter; the grace bounds the straggler
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("the slow data center's request was never cancelled")
	}
	hc.CloseIdleConnections()
	slow.Close()
	fast.Close()
}

func TestGetStatusReportNotFoundEverywhere(t *testing.T) {
	de1 := newDataCenter(t, serveStatus(http.StatusNotFound))
	de2 := newDataCenter(t, serveJSON(http.StatusNotFound, []byte(`{"code":404,"message":"not found"}`)))
	_, err := newClient(t, de1, de2).GetStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrNotFound, faxreport.ErrUnavailable)
	var apiErr *faxreport.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		t.Fatalf("error %v is not an *APIError 404", err)
	}
	if de1.requests.Load() != 1 || de2.requests.Load() != 1 {
		t.Fatal("a 404 was retried")
	}
	for _, dc := range []*dataCenter{de1, de2} { // every data center, with its own answer
		if !strings.Contains(err.Error(), dc.BaseURL()+": 404") {
			t.Errorf("%q does not name %s and its answer", err, dc.BaseURL())
		}
	}
	if n := strings.Count(err.Error(), "faxreport: "); n != 1 {
		t.Errorf("%q has %d prefixes, want 1", err, n)
	}
}

func TestGetStatusReportNotFoundHereFailedThereIsNotNotFound(t *testing.T) {
	notFound := newDataCenter(t, serveStatus(http.StatusNotFound))
	down := newDataCenter(t, serveStatus(http.StatusServiceUnavailable))
	refused := newDataCenter(t, serveReport())
	refused.Close() // connection refused from now on
	invalid := newDataCenter(t, serveJSON(200, []byte(`{"jobId":"x"}`)))
	unauthorized := newDataCenter(t, serveStatus(http.StatusUnauthorized))

	for _, tc := range []struct {
		name   string
		other  *dataCenter
		want   error
		status int
	}{
		{"503", down, faxreport.ErrUnavailable, 503},
		{"connection refused", refused, faxreport.ErrUnavailable, 0},
		{"invalid 200", invalid, faxreport.ErrInvalidResponse, 0},
		{"401", unauthorized, faxreport.ErrUnauthorized, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newClient(t, notFound, tc.other).GetStatusReport(testContext(t), testJobID)
			mustFail(t, err, tc.want, faxreport.ErrNotFound)
			var regionErr *faxreport.RegionError
			if !errors.As(err, &regionErr) {
				t.Fatalf("%v is not a *RegionError", err)
			}
			if len(regionErr.Failed) != 1 || regionErr.Failed[0].Endpoint != tc.other.BaseURL() ||
				len(regionErr.NotFound) != 1 || regionErr.NotFound[0] != notFound.BaseURL() {
				t.Fatalf("region error %+v", regionErr)
			}
			if !strings.Contains(err.Error(), tc.other.BaseURL()) {
				t.Errorf("error %q does not name the failed data center", err)
			}
			var apiErr *faxreport.APIError
			if tc.status != 0 && (!errors.As(err, &apiErr) || apiErr.StatusCode != tc.status) {
				t.Errorf("error %v: want an *APIError %d in the chain", err, tc.status)
			}
		})
	}
}

func TestGetStatusReportUnauthorizedEverywhere(t *testing.T) {
	body := []byte(`{"code":401,"message":"Authenication failed"}`)
	de1 := newDataCenter(t, serveJSON(http.StatusUnauthorized, body))
	de2 := newDataCenter(t, serveJSON(http.StatusUnauthorized, body))
	_, err := newClient(t, de1, de2).GetStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrUnauthorized, faxreport.ErrNotFound)
	var apiErr *faxreport.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 401 || apiErr.Message != "Authenication failed" {
		t.Fatalf("error %v: want the 401 body's code and message", err)
	}
	if de1.requests.Load() != 1 {
		t.Fatal("a 401 was retried")
	}
}

func TestGetStatusReportHangingDataCenterNeverHangs(t *testing.T) {
	hang := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // a server notices a hang-up only once it has read the body
		<-r.Context().Done()
	})
	notFound := newDataCenter(t, serveStatus(http.StatusNotFound))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := newClient(t, hang, notFound).GetStatusReport(ctx, testJobID)
	mustFail(t, err, context.DeadlineExceeded, faxreport.ErrNotFound)
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Fatalf("returned after %v, long after the 300ms deadline (a hang, not load)", elapsed)
	}
}

func TestGetStatusReportHonoursCancel(t *testing.T) {
	started := make(chan struct{})
	hang := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	_, err := newClient(t, hang).GetStatusReport(ctx, testJobID)
	mustFail(t, err, context.Canceled, faxreport.ErrNotFound)
}

// Once a data center has answered, the others finish the request they have in flight but do
// not retry: a straggler's 503 must not bring another request.
func TestStragglersDoNotRetryAfterAWinner(t *testing.T) {
	returned := make(chan struct{})
	retried := make(chan struct{}, 10)
	var requests atomic.Int64
	flaky := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) > 1 {
			retried <- struct{}{}
			return
		}
		<-returned // answer only once the call has its report
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c := newClient(t, flaky, newDataCenter(t, serveReport()))
	if _, err := c.GetStatusReport(testContext(t), testJobID); err != nil {
		t.Fatal(err)
	}
	close(returned)
	// A retry would come within the backoff (≤ 5 ms) and always within the grace (250 ms).
	select {
	case <-retried:
		t.Fatal("the straggler retried after the call had its report")
	case <-time.After(500 * time.Millisecond):
	}
}

func TestGetStatusReportsIsNotSlowedByAHangingDataCenter(t *testing.T) {
	hang := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // a server notices a hang-up only once it has read the body
		<-r.Context().Done()
	})
	fast := newDataCenter(t, serveReportForPath(t))
	c := newClient(t, hang, fast)
	ids := make([]string, 200)
	for i := range ids {
		ids[i] = "FJ" + string(rune('A'+i%26)) + string(rune('A'+i/26))
	}
	start := time.Now()
	for _, r := range c.GetStatusReports(testContext(t), ids, faxreport.BatchOptions{Concurrency: 8}) {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.JobID, r.Err)
		}
	}
	// Waiting for each job's straggler would take 200/8 × 250 ms grace = 6.25 s.
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Fatalf("200 jobs took %v: the hanging data center held the workers", elapsed)
	}
}

// warnings is a slog handler that hands each warning's text to a channel.
type warnings chan string

func (w warnings) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (w warnings) WithAttrs([]slog.Attr) slog.Handler           { return w }
func (w warnings) WithGroup(string) slog.Handler                { return w }
func (w warnings) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool {
		b.WriteString(" " + a.String())
		return true
	})
	w <- b.String()
	return nil
}

// A job lives in one data center: two that both answer it, differently, break an invariant. The
// first answer is returned, and the difference is logged at warn level with both data centers.
// The slower answer is compared only if its request was sent before the first answer came and
// if it comes within the straggler grace: the data centers answer only once both requests are
// in, and the grace is made long, so that a loaded machine cannot make it miss.
func TestDataCentersAnsweringDifferentlyIsLogged(t *testing.T) {
	var arrived atomic.Int32
	bothIn := make(chan struct{})
	gate := func(next http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if arrived.Add(1) == 2 {
				close(bothIn)
			}
			select {
			case <-bothIn:
				next(w, r)
			case <-r.Context().Done():
			}
		}
	}
	ok := newDataCenter(t, gate(serveReport()))
	busy := newDataCenter(t, gate(serveJSON(200, newReport(testJobID).with(faxreport.StatusBusy, "recipientStatus", 0, "status").json())))
	warned := make(warnings, 10)
	c := newClientWith(t, func(cfg *faxreport.Config) { cfg.Logger = slog.New(warned) }, ok, busy)
	faxreport.SetStragglerGrace(c, time.Minute)
	r, err := c.GetStatusReport(testContext(t), testJobID)
	if err != nil {
		t.Fatal(err)
	}
	if s := r.RecipientStatus[0].Status; s != faxreport.StatusOK && s != faxreport.StatusBusy {
		t.Fatalf("status %q is neither data center's", s)
	}
	select {
	case w := <-warned:
		if !strings.Contains(w, ok.BaseURL()) || !strings.Contains(w, busy.BaseURL()) || !strings.Contains(w, testJobID) {
			t.Errorf("the warning does not name the job and both data centers: %s", w)
		}
		used := ok.BaseURL()
		if r.RecipientStatus[0].Status == faxreport.StatusBusy {
			used = busy.BaseURL()
		}
		if !strings.Contains(w, "used="+used) {
			t.Errorf("the warning does not say the returned answer (from %s) was used: %s", used, w)
		}
		assertNoSecret(t, errors.New(w))
	case <-time.After(5 * time.Second):
		t.Fatal("no warning about two different answers")
	}
}

// The same holds for a bulk read: the first report of a job is used, the difference logged.
func TestDataCentersAnsweringDifferentlyInBulkIsLogged(t *testing.T) {
	bulkOf := func(report []byte) http.HandlerFunc {
		return serveJSON(200, append(append([]byte(`{"reports":[`), report...), "]}"...))
	}
	for _, bulk := range bulkReads {
		t.Run(bulk.name, func(t *testing.T) {
			ok := newDataCenter(t, bulkOf(api.Example(api.ReportExample)))
			busy := newDataCenter(t, bulkOf(newReport(testJobID).with(faxreport.StatusBusy, "recipientStatus", 0, "status").json()))
			warned := make(warnings, 10)
			c := newClientWith(t, func(cfg *faxreport.Config) { cfg.Logger = slog.New(warned) }, ok, busy)
			// FJMISSING, which neither returns, keeps the chunk open until both have answered.
			if r := bulk.read(c, testContext(t), []string{testJobID, "FJMISSING"}, faxreport.BatchOptions{})[0]; r.Err != nil {
				t.Fatal(r.Err)
			}
			select {
			case w := <-warned:
				if !strings.Contains(w, ok.BaseURL()) || !strings.Contains(w, busy.BaseURL()) || !strings.Contains(w, testJobID) {
					t.Errorf("the warning does not name the job and both data centers: %s", w)
				}
			default:
				t.Fatal("no warning about two different answers")
			}
		})
	}
}
