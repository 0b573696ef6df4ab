package faxreport_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// pollServer answers poll n of a job with the body its script gives, and keeps every body it
// served, per job, in order.
type pollServer struct {
	mu     sync.Mutex
	served map[string][][]byte
	script func(jobID string, n int) []byte
}

func newPollServer(t *testing.T, script func(jobID string, n int) []byte) (*pollServer, *dataCenter) {
	s := &pollServer{served: map[string][][]byte{}, script: script}
	dc := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		job := path.Base(r.URL.Path)
		s.mu.Lock()
		body := s.script(job, len(s.served[job])+1)
		s.served[job] = append(s.served[job], body)
		s.mu.Unlock()
		serveJSON(200, body)(w, r)
	})
	return s, dc
}

func (s *pollServer) bodies(jobID string) [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served[jobID]
}

// pollBody is a valid report that differs from poll to poll in what a report's reader ignores:
// an unknown field that counts the polls, and the whitespace before it.
func pollBody(jobID string, n int, status string) []byte {
	return fmt.Appendf(nil, `{"jobId":%q,%s"poll":%d, "recipientStatus":[{"number":"+49 89 1","status":%q,"reason":"r","durationInSecs":0}],"pages":1}`,
		jobID, strings.Repeat(" ", n), n, status)
}

// finalFrom is the script of a job that is pending until poll n, final from then on.
func finalFrom(n int) func(string, int) []byte {
	return func(jobID string, poll int) []byte {
		if poll < n {
			return pollBody(jobID, poll, faxreport.StatusPending)
		}
		return pollBody(jobID, poll, faxreport.StatusOK)
	}
}

// The bytes returned are those of the poll that found the report final, byte for byte, and no
// request follows it: a later read would have differed.
func TestWaitForStatusReportJSONReturnsTheFinalPollsBytes(t *testing.T) {
	s, dc := newPollServer(t, finalFrom(3))
	got, err := newClient(t, dc).WaitForStatusReportJSON(testContext(t), testJobID, fastPolls)
	if err != nil {
		t.Fatal(err)
	}
	served := s.bodies(testJobID)
	if len(served) != 3 || dc.requests.Load() != 3 {
		t.Fatalf("%d polls (%d requests), want 2 pending + 1 final", len(served), dc.requests.Load())
	}
	if !bytes.Equal(got, served[2]) {
		t.Fatalf("got\n%s\nwant the final poll's\n%s", got, served[2])
	}
}

// A pending report that becomes final, after polls that found none, is returned as the fake
// stored it, final; the polls are those of WaitForStatusReport.
func TestWaitForStatusReportJSONTurnsFinalAfterPolls(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	home := s.PutPending(finalReport("FJWAIT", faxreport.StatusOK, faxreport.StatusBusy), faxtest.Pending{NotFoundReads: 2, Reads: 3})
	raw, err := c.WaitForStatusReportJSON(testContext(t), "FJWAIT", fastPolls)
	if err != nil {
		t.Fatal(err)
	}
	var r faxreport.Report
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&r, finalReport("FJWAIT", faxreport.StatusOK, faxreport.StatusBusy)) {
		t.Fatalf("got %s", raw)
	}
	if n := home.RequestCount(); n != 6 {
		t.Fatalf("home data center polled %d times, want 2 not found + 3 pending + 1 final = 6", n)
	}
}

// Finality is IsReportFinal's: a report without recipients is not final.
func TestWaitForStatusReportJSONWithoutRecipientsIsNotFinal(t *testing.T) {
	s, dc := newPollServer(t, func(jobID string, n int) []byte {
		if n <= 2 {
			return fmt.Appendf(nil, `{"jobId":%q,"recipientStatus":[],"pages":1}`, jobID)
		}
		return pollBody(jobID, n, faxreport.StatusBusy)
	})
	got, err := newClient(t, dc).WaitForStatusReportJSON(testContext(t), testJobID, fastPolls)
	if served := s.bodies(testJobID); err != nil || len(served) != 3 || !bytes.Equal(got, served[2]) {
		t.Fatalf("got %s, %v after %d polls", got, err, len(served))
	}
}

func TestWaitForStatusReportJSONNotFoundLimit(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{DataCenters: 1})
	raw, err := c.WaitForStatusReportJSON(testContext(t), "FJNEVER", fastPolls, faxreport.WithNotFoundLimit(3))
	var waitErr *faxreport.WaitError
	if !errors.As(err, &waitErr) || !errors.Is(err, faxreport.ErrNotFound) || raw != nil {
		t.Fatalf("got %s, %v; want a *WaitError matching ErrNotFound", raw, err)
	}
	if n := s.DataCenter(0).RequestCount(); n != 4 || waitErr.Polls != 4 || waitErr.Last != nil || waitErr.LastJSON != nil {
		t.Fatalf("polled %d times, want 1 + 3 tolerated; %+v", n, waitErr)
	}
}

// At the deadline, the *WaitError's Last is the last report seen, not final, and LastJSON is
// its bytes as that poll read them.
func TestWaitForStatusReportJSONDeadlineWhilePending(t *testing.T) {
	s, dc := newPollServer(t, finalFrom(1_000_000))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	raw, err := newClient(t, dc).WaitForStatusReportJSON(ctx, testJobID, faxreport.WithPollInterval(10*time.Millisecond, 50*time.Millisecond))
	var waitErr *faxreport.WaitError
	if !errors.As(err, &waitErr) || !errors.Is(err, context.DeadlineExceeded) || raw != nil {
		t.Fatalf("got %s, %v; want a *WaitError matching context.DeadlineExceeded", raw, err)
	}
	if waitErr.Polls < 2 || waitErr.Last == nil || !strings.Contains(err.Error(), "1 of 1 recipients pending") {
		t.Fatalf("wait error %+v: %v", waitErr, err)
	}
	served := s.bodies(testJobID)
	if !slicesContain(served, waitErr.LastJSON) {
		t.Fatalf("LastJSON %s is none of the bodies served", waitErr.LastJSON)
	}
	var last faxreport.Report
	if err := json.Unmarshal(waitErr.LastJSON, &last); err != nil || !reflect.DeepEqual(&last, waitErr.Last) {
		t.Fatalf("Last %+v is not LastJSON %s (%v)", waitErr.Last, waitErr.LastJSON, err)
	}
}

func slicesContain(bodies [][]byte, b []byte) bool {
	for _, body := range bodies {
		if bytes.Equal(body, b) {
			return true
		}
	}
	return false
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
		{"another job's report", 1, serveJSON(200, pollBody("FJOTHER", 1, faxreport.StatusOK)), faxreport.ErrInvalidResponse},
		{"401", 1, serveStatus(http.StatusUnauthorized), faxreport.ErrUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var polls atomic.Int64
			dc := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
				if n := int(polls.Add(1)); n <= tc.after {
					serveJSON(200, pollBody(testJobID, n, faxreport.StatusPending))(w, r)
					return
				}
				tc.fail(w, r)
			})
			raw, err := newClient(t, dc).WaitForStatusReportJSON(testContext(t), testJobID, fastPolls)
			mustFail(t, err, tc.want)
			if waitErr := (*faxreport.WaitError)(nil); errors.As(err, &waitErr) || raw != nil {
				t.Errorf("got %s, %v: want the poll's error itself", raw, err)
			}
			if n := dc.requests.Load(); n != int64(tc.after)+1 {
				t.Fatalf("%d requests, want %d pending polls and the failing one", n, tc.after)
			}
		})
	}
	dc := newDataCenter(t, serveReport())
	_, err := newClient(t, dc).WaitForStatusReportJSON(testContext(t), "..", fastPolls)
	mustFail(t, err, faxreport.ErrInvalidArgument)
	_, err = newClient(t, dc).WaitForStatusReportJSON(testContext(t), testJobID, faxreport.WithPollInterval(time.Second, time.Millisecond))
	mustFail(t, err, faxreport.ErrInvalidArgument)
	if n := dc.requests.Load(); n != 0 {
		t.Fatalf("%d requests for bad arguments", n)
	}
}

// A failing region does not end the wait: a 503 for longer than the retry policy is "not yet".
func TestWaitForStatusReportJSONRidesOutTransientFailures(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{DataCenters: 1})
	s.PutPending(finalReport("FJFLAKY", faxreport.StatusOK), faxtest.Pending{Reads: 1})
	s.DataCenter(0).Inject(faxtest.Fault{Status: 503, Times: 7}) // two polls' worth of 3 attempts, and one more
	raw, err := c.WaitForStatusReportJSON(testContext(t), "FJFLAKY", fastPolls)
	if err != nil || !bytes.Contains(raw, []byte(`"status":"OK"`)) {
		t.Fatalf("got %s, %v", raw, err)
	}
}
