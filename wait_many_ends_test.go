package faxreport_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

func TestWaitForStatusReportsNotFoundLimit(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	known := s.SeedPending(1, faxtest.Pending{Reads: 4})[0]
	results := c.WaitForStatusReports(testContext(t), []string{"FJUNKNOWN", known}, nil, fastPolling(faxreport.WaitOptions{NotFoundLimit: 2}))
	var waitErr *faxreport.WaitError
	if !errors.As(results[0].Err, &waitErr) || waitErr.Polls != 3 || waitErr.Last != nil {
		t.Fatalf("unknown job: %v, want a *WaitError after 3 polls", results[0].Err)
	}
	mustFail(t, results[0].Err, faxreport.ErrNotFound, context.DeadlineExceeded)
	if results[1].Err != nil {
		t.Fatalf("known job: %v", results[1].Err)
	}
	singles := 0
	for _, r := range s.Requests() {
		if r.Method == http.MethodGet {
			if r.JobID != "FJUNKNOWN" {
				t.Fatalf("single GET of %s: only the unknown job needs confirming", r.JobID)
			}
			singles++
		}
	}
	if singles != 2 {
		t.Fatalf("%d single GETs, want the confirmation in each data center", singles)
	}
}

func TestWaitForStatusReportsRidesOutAHomeFailingMidWait(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	home, other := s.DataCenter(0), s.DataCenter(1)
	home.Put(newReport("FJFIRST", faxreport.StatusOK).model())
	home.PutPending(newReport("FJLATER", faxreport.StatusOK).model(), faxtest.Pending{Reads: 2})
	failed := false
	results := c.WaitForStatusReports(testContext(t), []string{"FJFIRST", "FJLATER"}, func(r faxreport.ReportResult) {
		if r.JobID == "FJFIRST" { // round 1's answer from home is in: its next request fails
			home.Inject(faxtest.Fault{Status: http.StatusServiceUnavailable, Times: fastRetry.MaxAttempts})
			failed = true
		}
	}, fastPolls)
	if !failed || results[0].Err != nil || results[1].Err != nil || !faxreport.IsReportFinal(results[1].Report) {
		t.Fatalf("results %+v", results)
	}
	unavailable := 0
	for _, r := range home.Requests() {
		if r.Status == http.StatusServiceUnavailable {
			unavailable++
		}
	}
	if unavailable != fastRetry.MaxAttempts {
		t.Fatalf("%d answers 503 from home, want a whole round's attempts", unavailable)
	}
	if n := other.RequestCount(); n != 1 {
		t.Fatalf("the other data center asked %d times, want once: once seen, a job is asked only at home", n)
	}
}

// A job whose home data center refuses the wait is asked nowhere else: its error names the home
// as failed and no other data center as not holding the job (none was asked).
func TestWaitForStatusReportsHomeRefusingNamesNoOtherDataCenter(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	home := s.DataCenter(0)
	home.Put(newReport("FJFIRST", faxreport.StatusOK).model())
	home.PutPending(newReport("FJLATER", faxreport.StatusOK).model(), faxtest.Pending{Reads: 100})
	results := c.WaitForStatusReports(testContext(t), []string{"FJFIRST", "FJLATER"}, func(r faxreport.ReportResult) {
		if r.JobID == "FJFIRST" { // round 1's answer from home is in: its next request is refused
			home.Inject(faxtest.Fault{Status: http.StatusUnauthorized})
		}
	}, fastPolls)
	var regionErr *faxreport.RegionError
	if !errors.As(results[1].Err, &regionErr) || len(regionErr.Failed) != 1 || regionErr.Failed[0].Endpoint != home.URL() || len(regionErr.NotFound) != 0 {
		t.Fatalf("FJLATER: %v, want a *RegionError naming only its home, as failed", results[1].Err)
	}
	mustFail(t, results[1].Err, faxreport.ErrUnauthorized, faxreport.ErrNotFound)
}

func TestWaitForStatusReportsDeadlineWhilePending(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	done := s.SeedPending(1, faxtest.Pending{Reads: 1})[0]
	stuck := s.SeedPending(1, faxtest.Pending{For: time.Hour})[0]
	start := time.Now()
	results := c.WaitForStatusReports(testContext(t), []string{stuck, done}, nil, fastPolling(faxreport.WaitOptions{MaxWait: loadedWait}))
	if waited := time.Since(start); waited > 5*loadedWait { // well short of testContext's 10 s
		t.Fatalf("waited %v for a %v wait", waited, loadedWait)
	}
	var waitErr *faxreport.WaitError
	if !errors.As(results[0].Err, &waitErr) || waitErr.Last == nil || faxreport.IsReportFinal(waitErr.Last) || waitErr.Polls < 2 {
		t.Fatalf("pending job: %v, want a *WaitError with its last, pending report", results[0].Err)
	}
	mustFail(t, results[0].Err, context.DeadlineExceeded, faxreport.ErrNotFound)
	if results[1].Err != nil {
		t.Fatalf("the job final in time: %v", results[1].Err)
	}
}

func TestWaitForStatusReportsEndsAJobOnAFinalError(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	ids := s.SeedPending(2, faxtest.Pending{Reads: 100})
	bad := ids[0]
	s.Home(bad).Inject(faxtest.Fault{Status: http.StatusUnauthorized})
	results := c.WaitForStatusReports(testContext(t), []string{bad}, nil, fastPolls)
	mustFail(t, results[0].Err, faxreport.ErrUnauthorized, faxreport.ErrNotFound)
	var waitErr *faxreport.WaitError
	if errors.As(results[0].Err, &waitErr) {
		t.Fatalf("%v: a final error is returned as it is, not as a *WaitError", results[0].Err)
	}
}

// A job no data center shows before the deadline, with the not-found limit still far, ends as
// the single wait's does: a *WaitError matching both the deadline and not found.
func TestWaitForStatusReportsDeadlineBeforeTheNotFoundLimit(t *testing.T) {
	_, c := fakeClient(t, faxtest.Options{})
	opts := fastPolling(faxreport.WaitOptions{NotFoundLimit: 1_000_000, MaxWait: loadedWait})
	_, single := c.WaitForStatusReport(testContext(t), "FJUNKNOWN", opts)
	results := c.WaitForStatusReports(testContext(t), []string{"FJUNKNOWN", "FJUNKNOWN2"}, nil, opts)
	for _, err := range []error{single, results[0].Err, results[1].Err} {
		var waitErr *faxreport.WaitError
		if !errors.As(err, &waitErr) || waitErr.Last != nil {
			t.Fatalf("unknown job: %v, want a *WaitError with no report", err)
		}
		mustFail(t, err, context.DeadlineExceeded)
		mustFail(t, err, faxreport.ErrNotFound)
	}
}
