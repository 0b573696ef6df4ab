package faxreport_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
)

// pollServer is a data center that answers poll n (counted from 1) with its script's answer.
type pollServer struct {
	*dataCenter
	polls chan int // the polls answered so far; holding it is holding the count
}

func newPollServer(t *testing.T, script func(n int) http.HandlerFunc) *pollServer {
	s := &pollServer{polls: make(chan int, 1)}
	s.polls <- 0
	s.dataCenter = newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		n := <-s.polls + 1
		s.polls <- n
		script(n)(w, r)
	})
	return s
}

// answered returns the number of polls answered.
func (s *pollServer) answered() int {
	n := <-s.polls
	s.polls <- n
	return n
}

// finalFrom is the script of a job that is not found until poll found, pending until poll
// final, final from then on.
func finalFrom(found, final int) func(int) http.HandlerFunc {
	return func(n int) http.HandlerFunc {
		switch {
		case n < found:
			return serveStatus(http.StatusNotFound)
		case n < final:
			return serveJSON(200, newReport(testJobID, faxreport.StatusPending).with(n, "poll").json())
		}
		return serveJSON(200, newReport(testJobID, faxreport.StatusOK).with(n, "poll").json())
	}
}

// The bytes returned are those of the poll that found the report final, byte for byte, after
// polls that found none and polls that found it pending, and no request follows it: a later
// read would have differed.
func TestWaitForStatusReportJSONReturnsTheFinalPollsBytes(t *testing.T) {
	s := newPollServer(t, finalFrom(3, 5))
	got, err := newClient(t, s.dataCenter).WaitForStatusReportJSON(testContext(t), testJobID, fastPolls)
	if err != nil {
		t.Fatal(err)
	}
	if n := s.answered(); n != 5 {
		t.Fatalf("%d polls, want 2 not found + 2 pending + 1 final", n)
	}
	if want := newReport(testJobID, faxreport.StatusOK).with(5, "poll").json(); !bytes.Equal(got, want) {
		t.Fatalf("got\n%s\nwant the final poll's\n%s", got, want)
	}
}

// Finality is IsReportFinal's: a report without recipients is not final.
func TestWaitForStatusReportJSONWithoutRecipientsIsNotFinal(t *testing.T) {
	s := newPollServer(t, func(n int) http.HandlerFunc {
		if n <= 2 {
			return serveJSON(200, []byte(`{"jobId":"`+testJobID+`","recipientStatus":[],"pages":1}`))
		}
		return serveJSON(200, newReport(testJobID, faxreport.StatusBusy).with(n, "poll").json())
	})
	got, err := newClient(t, s.dataCenter).WaitForStatusReportJSON(testContext(t), testJobID, fastPolls)
	if err != nil || s.answered() != 3 || !bytes.Equal(got, newReport(testJobID, faxreport.StatusBusy).with(3, "poll").json()) {
		t.Fatalf("got %s, %v after %d polls", got, err, s.answered())
	}
}

func TestWaitForStatusReportJSONNotFoundLimit(t *testing.T) {
	s := newPollServer(t, finalFrom(10, 10))
	raw, err := newClient(t, s.dataCenter).WaitForStatusReportJSON(testContext(t), testJobID, fastPolling(faxreport.WaitOptions{NotFoundLimit: 3}))
	var waitErr *faxreport.WaitError
	if !errors.As(err, &waitErr) || !errors.Is(err, faxreport.ErrNotFound) || raw != nil {
		t.Fatalf("got %s, %v; want a *WaitError matching ErrNotFound", raw, err)
	}
	if n := s.answered(); n != 4 || waitErr.Polls != 4 || waitErr.Last != nil || waitErr.LastJSON != nil {
		t.Fatalf("polled %d times, want 1 + 3 tolerated; %+v", n, waitErr)
	}
}

// At the deadline, the *WaitError's Last is the last report seen, not final, and LastJSON is
// its bytes as that poll read them.
func TestWaitForStatusReportJSONDeadlineWhilePending(t *testing.T) {
	s := newPollServer(t, finalFrom(1, 1_000_000))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	raw, err := newClient(t, s.dataCenter).WaitForStatusReportJSON(ctx, testJobID, faxreport.WaitOptions{MinPollInterval: 10 * time.Millisecond, MaxPollInterval: 50 * time.Millisecond})
	var waitErr *faxreport.WaitError
	if !errors.As(err, &waitErr) || !errors.Is(err, context.DeadlineExceeded) || raw != nil {
		t.Fatalf("got %s, %v; want a *WaitError matching context.DeadlineExceeded", raw, err)
	}
	if waitErr.Polls < 2 || waitErr.Last == nil || !strings.Contains(err.Error(), "1 of 1 recipients pending") {
		t.Fatalf("wait error %+v: %v", waitErr, err)
	}
	if !bytes.Equal(waitErr.LastJSON, newReport(testJobID, faxreport.StatusPending).with(waitErr.Polls, "poll").json()) && // or the deadline cut the last poll:
		!bytes.Equal(waitErr.LastJSON, newReport(testJobID, faxreport.StatusPending).with(waitErr.Polls-1, "poll").json()) {
		t.Fatalf("LastJSON %s is not the body of either of the last two of %d polls", waitErr.LastJSON, waitErr.Polls)
	}
	pending := newReport(testJobID, faxreport.StatusPending).model()
	if !reflect.DeepEqual(waitErr.Last, pending) {
		t.Fatalf("Last %+v is not LastJSON's report %+v", waitErr.Last, pending)
	}
}

// An invalid response, a 401 or a bad argument ends the wait at once, with the error itself,
// also after polls that found the report pending.
func TestWaitForStatusReportJSONStopsAtOnceOnTerminalErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		after int // pending polls before the failing one
		fail  http.HandlerFunc
		want  error
	}{
		{"invalid response", 0, serveJSON(200, []byte(`{"jobId":"`+testJobID+`"}`)), faxreport.ErrInvalidResponse},
		{"invalid response after pending", 2, serveJSON(200, []byte(`{"jobId":"`+testJobID+`","recipientStatus":"OK","pages":1}`)), faxreport.ErrInvalidResponse},
		{"another job's report", 1, serveJSON(200, bytes.Replace(newReport(testJobID, faxreport.StatusOK).with(1, "poll").json(), []byte(testJobID), []byte("FJOTHER"), 1)), faxreport.ErrInvalidResponse},
		{"401", 1, serveStatus(http.StatusUnauthorized), faxreport.ErrUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newPollServer(t, func(n int) http.HandlerFunc {
				if n <= tc.after {
					return serveJSON(200, newReport(testJobID, faxreport.StatusPending).with(n, "poll").json())
				}
				return tc.fail
			})
			raw, err := newClient(t, s.dataCenter).WaitForStatusReportJSON(testContext(t), testJobID, fastPolls)
			mustFail(t, err, tc.want)
			if waitErr := (*faxreport.WaitError)(nil); errors.As(err, &waitErr) || raw != nil {
				t.Errorf("got %s, %v: want the poll's error itself", raw, err)
			}
			if n := s.answered(); n != tc.after+1 {
				t.Fatalf("%d requests, want %d pending polls and the failing one", n, tc.after)
			}
		})
	}
	dc := newDataCenter(t, serveReport())
	_, err := newClient(t, dc).WaitForStatusReportJSON(testContext(t), "..", fastPolls)
	mustFail(t, err, faxreport.ErrInvalidArgument)
	_, err = newClient(t, dc).WaitForStatusReportJSON(testContext(t), testJobID, faxreport.WaitOptions{MinPollInterval: time.Second, MaxPollInterval: time.Millisecond})
	mustFail(t, err, faxreport.ErrInvalidArgument)
	if n := dc.requests.Load(); n != 0 {
		t.Fatalf("%d requests for bad arguments", n)
	}
}

// A failing region does not end the wait: a 503 for longer than the retry policy is "not yet".
func TestWaitForStatusReportJSONRidesOutTransientFailures(t *testing.T) {
	s := newPollServer(t, func(n int) http.HandlerFunc {
		if n <= 7 { // two polls' worth of 3 attempts, and one more
			return serveStatus(http.StatusServiceUnavailable)
		}
		return serveJSON(200, newReport(testJobID, faxreport.StatusOK).with(n, "poll").json())
	})
	raw, err := newClient(t, s.dataCenter).WaitForStatusReportJSON(testContext(t), testJobID, fastPolls)
	if err != nil || s.answered() != 8 || !bytes.Equal(raw, newReport(testJobID, faxreport.StatusOK).with(8, "poll").json()) {
		t.Fatalf("got %s, %v after %d requests", raw, err, s.answered())
	}
}
