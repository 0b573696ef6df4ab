package faxreport_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
)

// serveReportForPath answers every GET with the example report for the job ID of the path,
// and a bulk GET with the example report for each job asked.
func serveReportForPath(t *testing.T) http.HandlerFunc {
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
				items[i] = withField(t, id, "jobId")
			}
			body, _ := json.Marshal(map[string]any{"reports": items})
			serveJSON(200, body)(w, r)
			return
		}
		serveJSON(200, withField(t, path.Base(r.URL.Path), "jobId"))(w, r)
	}
}

func TestAnswerAboutAnotherJobIsInvalid(t *testing.T) {
	dc := newDataCenter(t, serveReport()) // always the example job
	c := newClient(t, dc)
	_, err := c.GetStatusReport(testContext(t), "FJOTHER")
	mustFail(t, err, faxreport.ErrInvalidResponse, faxreport.ErrNotFound)
	_, err = c.GetStatusReportJSON(testContext(t), "FJOTHER")
	mustFail(t, err, faxreport.ErrInvalidResponse, faxreport.ErrNotFound)

	deletedOther := newDataCenter(t, serveJSON(200, []byte(`{"jobId":"FJOTHER","deleted":true}`)))
	_, err = newClient(t, deletedOther).DeleteStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrInvalidResponse, faxreport.ErrNotFound)
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
	for _, r := range c.GetStatusReports(testContext(t), ids, faxreport.WithConcurrency(8)) {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.JobID, r.Err)
		}
	}
	// Waiting for each job's straggler would take 200/8 × 250 ms grace = 6.25 s.
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Fatalf("200 jobs took %v: the hanging data center held the workers", elapsed)
	}
}

func TestDeleteNotFoundHereDeletedThere(t *testing.T) {
	notFound := newDataCenter(t, serveStatus(http.StatusNotFound))
	home := newDataCenter(t, serveJSON(200, []byte(`{"jobId":"`+testJobID+`","deleted":true}`)))
	res, err := newClient(t, notFound, home).DeleteStatusReport(testContext(t), testJobID)
	if err != nil || !res.Deleted {
		t.Fatalf("got %+v, %v", res, err)
	}
}

// A deletion whose answer was lost, then "not found" on the retry, may have deleted the report:
// it is unconfirmed, never ErrNotFound.
func TestDeleteLostAnswerThenNotFoundIsUnconfirmed(t *testing.T) {
	var requests atomic.Int64
	home := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) == 1 { // deleted, but the answer never arrives
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		serveJSON(200, []byte(`{"jobId":"`+testJobID+`","deleted":false,"reason":"NOT_FOUND"}`))(w, r)
	})
	other := newDataCenter(t, serveJSON(200, []byte(`{"jobId":"`+testJobID+`","deleted":false,"reason":"NOT_FOUND"}`)))
	_, err := newClient(t, other, home).DeleteStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrDeleteUnconfirmed, faxreport.ErrNotFound)
	if !errors.Is(err, faxreport.ErrDeleteUnconfirmed) {
		t.Fatal(err)
	}
}
