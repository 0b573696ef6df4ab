package faxreport_test

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/faxreport/faxreport"
)

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
