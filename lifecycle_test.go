package faxreport_test

import (
	"context"
	"errors"
	"fmt"
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

func TestGetStatusReportsManyWithBoundedConcurrency(t *testing.T) {
	if testing.Short() {
		t.Skip("10 000 jobs")
	}
	s, c := fakeClient(t, faxtest.Options{})
	const n, concurrency = 10_000, 16
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("FJ%08d", i)
		if i != 4321 { // one job that no data center has
			s.Put(newReport(ids[i], faxreport.StatusOK).model())
		}
	}
	// A generous deadline: 20 000 requests under -race on a loaded 2-core machine.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	results := c.GetStatusReports(ctx, ids, faxreport.BatchOptions{Concurrency: concurrency})
	if len(results) != n {
		t.Fatalf("%d results", len(results))
	}
	for i, r := range results {
		switch {
		case r.JobID != ids[i]:
			t.Fatalf("result %d is for %s, want %s: order lost", i, r.JobID, ids[i])
		case i == 4321:
			if !errors.Is(r.Err, faxreport.ErrNotFound) || r.Report != nil {
				t.Fatalf("missing job: %+v", r)
			}
		case r.Err != nil || r.Report.JobID != ids[i]:
			t.Fatalf("job %s: %+v", ids[i], r)
		}
	}
	for _, dc := range s.DataCenters() {
		if m := dc.MaxInFlight(); m > concurrency {
			t.Errorf("%s had %d requests in flight, more than %d", dc.URL(), m, concurrency)
		}
	}
	assertEachJobAskedAtMostOncePerDataCenter(t, s, n)
}

func TestGetStatusReportsDuplicatesFetchedOnce(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	s.Put(newReport("FJA", faxreport.StatusOK).model())
	s.Put(newReport("FJB", faxreport.StatusOK).model())
	results := c.GetStatusReports(testContext(t), []string{"FJA", "FJB", "FJA", "FJA", ".."}, faxreport.BatchOptions{})
	if len(results) != 5 || results[2].Report != results[0].Report || results[3].JobID != "FJA" {
		t.Fatalf("%+v", results)
	}
	if !errors.Is(results[4].Err, faxreport.ErrInvalidArgument) {
		t.Fatalf("invalid ID: %v", results[4].Err)
	}
	assertEachJobAskedAtMostOncePerDataCenter(t, s, 2)
}

func TestGetStatusReportsCancelStopsNewWork(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{DataCenters: 1})
	ids := make([]string, 1000)
	for i := range ids {
		ids[i] = fmt.Sprintf("FJ%04d", i)
		s.Put(newReport(ids[i], faxreport.StatusOK).model())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	results := c.GetStatusReports(ctx, ids, faxreport.BatchOptions{Concurrency: 4})
	for _, r := range results {
		if !errors.Is(r.Err, context.Canceled) {
			t.Fatalf("%s: %v", r.JobID, r.Err)
		}
	}
	if n := s.DataCenter(0).RequestCount(); n != 0 {
		t.Fatalf("%d requests after cancel", n)
	}
}

func TestDeleteStatusReport(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	home := s.Put(newReport("FJDEL", faxreport.StatusOK).model())
	res, err := c.DeleteStatusReport(testContext(t), "FJDEL")
	if err != nil || !faxreport.IsDeleted(res) || res.JobID != "FJDEL" {
		t.Fatalf("got %+v, %v", res, err)
	}
	if home.Has("FJDEL") {
		t.Fatal("still stored")
	}
	// The home data center answered the call; the other may not have seen its straggler yet.
	for _, dc := range s.DataCenters() {
		got := dc.Requests()
		if len(got) > 1 || dc == home && len(got) != 1 || len(got) == 1 && got[0].Method != http.MethodDelete {
			t.Fatalf("%s: %+v", dc.URL(), got)
		}
	}
	_, err = c.GetStatusReport(testContext(t), "FJDEL")
	mustFail(t, err, faxreport.ErrNotFound)
	_, err = c.DeleteStatusReport(testContext(t), "FJDEL")
	mustFail(t, err, faxreport.ErrNotFound, faxreport.ErrUnavailable)
}

func TestDeleteStatusReportUnknownJob(t *testing.T) {
	_, c := fakeClient(t, faxtest.Options{})
	_, err := c.DeleteStatusReport(testContext(t), "FJNOSUCH")
	mustFail(t, err, faxreport.ErrNotFound)
	_, err = c.DeleteStatusReport(testContext(t), ".")
	mustFail(t, err, faxreport.ErrInvalidArgument)
}

func TestDeleteStatusReportFailedDataCenterIsNotNotFound(t *testing.T) {
	notDeleted := func(reason string) http.HandlerFunc {
		return serveJSON(200, []byte(`{"jobId":"`+testJobID+`","deleted":false,"reason":"`+reason+`"}`))
	}
	for _, tc := range []struct {
		name  string
		other http.HandlerFunc
		want  error
	}{
		{"503", serveStatus(503), faxreport.ErrUnavailable},
		{"internal error", notDeleted(faxreport.DeleteReasonInternalError), faxreport.ErrUnavailable},
		{"invalid body", serveJSON(200, []byte(`{"deleted":true}`)), faxreport.ErrInvalidResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			notFound := newDataCenter(t, notDeleted(faxreport.DeleteReasonNotFound))
			other := newDataCenter(t, tc.other)
			_, err := newClient(t, notFound, other).DeleteStatusReport(testContext(t), testJobID)
			mustFail(t, err, tc.want, faxreport.ErrNotFound)
			var regionErr *faxreport.RegionError
			if !errors.As(err, &regionErr) || len(regionErr.Failed) != 1 || regionErr.Failed[0].Endpoint != other.BaseURL() {
				t.Fatalf("%v", err)
			}
		})
	}
	t.Run("400 means not available", func(t *testing.T) {
		de1 := newDataCenter(t, serveStatus(http.StatusBadRequest))
		de2 := newDataCenter(t, serveStatus(http.StatusNotFound))
		_, err := newClient(t, de1, de2).DeleteStatusReport(testContext(t), testJobID)
		mustFail(t, err, faxreport.ErrNotFound, faxreport.ErrUnauthorized)
	})
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
