package faxreport_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

func TestWaitForStatusReportTurnsFinalAfterPolls(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	home := s.PutPending(newReport("FJWAIT", faxreport.StatusOK, faxreport.StatusBusy).model(), faxtest.Pending{NotFoundReads: 2, Reads: 3})
	r, err := c.WaitForStatusReport(testContext(t), "FJWAIT", fastPolls)
	if err != nil {
		t.Fatal(err)
	}
	if !faxreport.IsReportFinal(r) || r.RecipientStatus[0].Status != faxreport.StatusOK || r.RecipientStatus[1].Status != faxreport.StatusBusy {
		t.Fatalf("report %+v", r.RecipientStatus)
	}
	if n := home.RequestCount(); n != 6 {
		t.Fatalf("home data center polled %d times, want 2 not found + 3 pending + 1 final = 6", n)
	}
}

func TestWaitForStatusReportDeadlineWhilePending(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	s.PutPending(newReport("FJSLOW", faxreport.StatusOK).model(), faxtest.Pending{For: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := c.WaitForStatusReport(ctx, "FJSLOW", faxreport.WaitOptions{MinPollInterval: 10 * time.Millisecond, MaxPollInterval: 50 * time.Millisecond})
	var waitErr *faxreport.WaitError
	if !errors.As(err, &waitErr) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a *WaitError wrapping context.DeadlineExceeded", err)
	}
	if waitErr.Polls < 2 || waitErr.Last == nil || waitErr.Waited <= 0 || !strings.Contains(err.Error(), "1 of 1 recipients pending") {
		t.Fatalf("wait error %+v: %v", waitErr, err)
	}
}

func TestWaitForStatusReportMaxWait(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	s.PutPending(newReport("FJSLOW", faxreport.StatusOK).model(), faxtest.Pending{For: time.Hour})
	_, err := c.WaitForStatusReport(testContext(t), "FJSLOW", fastPolling(faxreport.WaitOptions{MaxWait: 100 * time.Millisecond}))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}

func TestWaitForStatusReportNotFoundLimit(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	_, err := c.WaitForStatusReport(testContext(t), "FJNEVER", fastPolling(faxreport.WaitOptions{NotFoundLimit: 3}))
	if !errors.Is(err, faxreport.ErrNotFound) {
		t.Fatalf("got %v", err)
	}
	if n := s.DataCenter(0).RequestCount(); n != 4 {
		t.Fatalf("polled %d times, want 1 + 3 tolerated", n)
	}
}

func TestWaitForStatusReportStopsAtOnceOnTerminalErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		dc   http.HandlerFunc
		want error
	}{
		{"401", serveStatus(http.StatusUnauthorized), faxreport.ErrUnauthorized},
		{"invalid response", serveJSON(200, []byte(`{"jobId":"x"}`)), faxreport.ErrInvalidResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dc := newDataCenter(t, tc.dc)
			_, err := newClient(t, dc).WaitForStatusReport(testContext(t), testJobID, fastPolls)
			mustFail(t, err, tc.want)
			if n := dc.requests.Load(); n != 1 {
				t.Fatalf("%d polls after a terminal error", n)
			}
		})
	}
	dc := newDataCenter(t, serveReport())
	_, err := newClient(t, dc).WaitForStatusReport(testContext(t), "..", fastPolls)
	mustFail(t, err, faxreport.ErrInvalidArgument)
	_, err = newClient(t, dc).WaitForStatusReport(testContext(t), testJobID, faxreport.WaitOptions{MinPollInterval: time.Second, MaxPollInterval: time.Millisecond})
	mustFail(t, err, faxreport.ErrInvalidArgument)
}

// A wait rides out a region that fails: a data center down for longer than the retry policy
// does not end it; it goes on to its deadline and reports the last cause.
func TestWaitForStatusReportRidesOutTransientFailures(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{DataCenters: 1})
	s.PutPending(newReport("FJFLAKY", faxreport.StatusOK).model(), faxtest.Pending{Reads: 1})
	s.DataCenter(0).Inject(faxtest.Fault{Status: 503, Times: 7}) // two polls' worth of 3 attempts, and one more
	if _, err := c.WaitForStatusReport(testContext(t), "FJFLAKY", fastPolls); err != nil {
		t.Fatal(err)
	}
	s.PutPending(newReport("FJDOWN", faxreport.StatusOK).model(), faxtest.Pending{Reads: 1})
	s.DataCenter(0).Inject(faxtest.Fault{Status: 503}) // for good
	_, err := c.WaitForStatusReport(testContext(t), "FJDOWN", fastPolling(faxreport.WaitOptions{MaxWait: 300 * time.Millisecond}))
	var waitErr *faxreport.WaitError
	if !errors.As(err, &waitErr) || !errors.Is(err, faxreport.ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a *WaitError matching ErrUnavailable and DeadlineExceeded", err)
	}
	if n := strings.Count(err.Error(), "faxreport: "); n != 1 {
		t.Errorf("%q has %d prefixes, want 1", err, n)
	}
	if waitErr.Polls < 2 || waitErr.Waited < 150*time.Millisecond {
		t.Fatalf("gave up after %d polls and %v: a failing region must not end the wait", waitErr.Polls, waitErr.Waited)
	}
}

// "Not visible yet" in the job's data center while the other fails (503, or refusing
// connections) is "not yet", not the end of the wait.
func TestWaitForStatusReportNotFoundHereFailingThere(t *testing.T) {
	for _, tc := range []struct {
		name string
		fail func(*faxtest.DataCenter)
	}{
		{"503", func(dc *faxtest.DataCenter) { dc.Inject(faxtest.Fault{Status: 503}) }},
		{"connection refused", func(dc *faxtest.DataCenter) { dc.Close() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, c := fakeClient(t, faxtest.Options{})
			home := s.PutPending(newReport("FJLATE", faxreport.StatusOK).model(), faxtest.Pending{NotFoundReads: 3})
			for _, dc := range s.DataCenters() {
				if dc != home {
					tc.fail(dc)
				}
			}
			r, err := c.WaitForStatusReport(testContext(t), "FJLATE", fastPolling(faxreport.WaitOptions{MaxWait: 8 * time.Second}))
			if err != nil || r.JobID != "FJLATE" {
				t.Fatalf("got %v, %v", r, err)
			}
		})
	}
}

// A report without recipients is not final: the wait goes on until they are known.
func TestWaitForStatusReportWithoutRecipientsIsNotFinal(t *testing.T) {
	if faxreport.IsReportFinal(&faxreport.Report{JobID: "FJ"}) {
		t.Fatal("IsReportFinal of a report without recipients")
	}
	var polls atomic.Int64
	dc := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		if polls.Add(1) <= 2 {
			serveJSON(200, []byte(`{"jobId":"`+testJobID+`","recipientStatus":[],"pages":1}`))(w, r)
			return
		}
		serveReport()(w, r)
	})
	r, err := newClient(t, dc).WaitForStatusReport(testContext(t), testJobID, fastPolls)
	if err != nil || len(r.RecipientStatus) == 0 || polls.Load() != 3 {
		t.Fatalf("got %+v, %v after %d polls", r, err, polls.Load())
	}
}

// Each bad wait option is named in the error.
func TestWaitForStatusReportNamesBadOptions(t *testing.T) {
	c := newClient(t, newDataCenter(t, serveReport()))
	for _, tc := range []struct {
		opt  faxreport.WaitOptions
		want string
	}{
		{faxreport.WaitOptions{MinPollInterval: 10 * time.Second, MaxPollInterval: time.Second}, "max poll interval"},
		{faxreport.WaitOptions{MinPollInterval: -time.Second, MaxPollInterval: time.Second}, "min poll interval"},
		{faxreport.WaitOptions{MaxWait: -time.Second}, "max wait"},
	} {
		_, err := c.WaitForStatusReport(testContext(t), testJobID, tc.opt)
		mustFail(t, err, faxreport.ErrInvalidArgument)
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v does not name %q", err, tc.want)
		}
	}
}

// A zero NotFoundLimit is the default, 10 polls that find no report; a negative one allows
// none: the first such poll ends the wait.
func TestWaitOptionsNotFoundLimitZeroIsTheDefaultNegativeIsNone(t *testing.T) {
	for _, tc := range []struct {
		limit int
		polls int64
	}{{0, faxreport.DefaultNotFoundLimit + 1}, {-1, 1}, {2, 3}} {
		dc := newDataCenter(t, serveStatus(http.StatusNotFound))
		_, err := newClient(t, dc).WaitForStatusReport(testContext(t), testJobID, fastPolling(faxreport.WaitOptions{NotFoundLimit: tc.limit}))
		mustFail(t, err, faxreport.ErrNotFound)
		if n := dc.requests.Load(); n != tc.polls {
			t.Errorf("NotFoundLimit %d: %d polls, want %d", tc.limit, n, tc.polls)
		}
	}
}

// One poll interval given alone is taken, the other's default moving to meet it, rather than
// refused for crossing a default the caller did not choose.
func TestWaitOptionsOnePollIntervalAlone(t *testing.T) {
	dc := newDataCenter(t, serveReport())
	for _, opts := range []faxreport.WaitOptions{{MinPollInterval: time.Minute}, {MaxPollInterval: time.Second}} {
		if _, err := newClient(t, dc).WaitForStatusReport(testContext(t), testJobID, opts); err != nil {
			t.Errorf("%+v: %v", opts, err)
		}
	}
}

func TestStatusHelpers(t *testing.T) {
	if faxreport.IsFinalStatus(faxreport.StatusPending) || !faxreport.IsFinalStatus(faxreport.StatusBusy) || !faxreport.IsFinalStatus("SOMETHING_NEW") {
		t.Error("IsFinalStatus")
	}
	if !faxreport.IsSuccessStatus(faxreport.StatusOK) || faxreport.IsSuccessStatus(faxreport.StatusNoFax) {
		t.Error("IsSuccessStatus")
	}
	if faxreport.IsReportFinal(newReport("J", faxreport.StatusOK, faxreport.StatusPending).model()) || !faxreport.IsReportFinal(newReport("J", faxreport.StatusOK).model()) {
		t.Error("IsReportFinal")
	}
}

// Polls keep the minimum interval; only the last one, when the next interval would reach the
// deadline, comes sooner (halfway to it). Load only makes intervals longer, so the check holds
// on a slow machine.
func TestWaitForStatusReportKeepsTheMinimumIntervalUntilTheLastPoll(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{DataCenters: 1})
	s.PutPending(newReport("FJSLOW", faxreport.StatusOK).model(), faxtest.Pending{For: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	const min = 200 * time.Millisecond
	_, err := c.WaitForStatusReport(ctx, "FJSLOW", faxreport.WaitOptions{MinPollInterval: min, MaxPollInterval: min})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	polls := s.DataCenter(0).Requests()
	if len(polls) < 3 {
		t.Fatalf("%d polls in 500 ms with a 200 ms interval, want at least 3", len(polls))
	}
	for i := 1; i < len(polls)-1; i++ {
		if gap := polls[i].Time.Sub(polls[i-1].Time); gap < min-10*time.Millisecond {
			t.Fatalf("poll %d came %v after the one before, under the %v minimum", i, gap, min)
		}
	}
}
