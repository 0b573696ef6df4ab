package faxreport_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
)

// slowDeleter is a data center whose every deletion takes a while, so that requests sent at
// once overlap; it deletes every job asked, and answers a bulk DELETE with refuse when set.
type slowDeleter struct {
	*dataCenter
	inFlight, maxInFlight atomic.Int64
}

func newSlowDeleter(t *testing.T, refuse int) *slowDeleter {
	dc := &slowDeleter{}
	dc.dataCenter = newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		n := dc.inFlight.Add(1)
		defer dc.inFlight.Add(-1)
		for m := dc.maxInFlight.Load(); n > m && !dc.maxInFlight.CompareAndSwap(m, n); m = dc.maxInFlight.Load() {
		}
		time.Sleep(5 * time.Millisecond) // the latency of a real data center, not a synchronisation
		if r.Method == http.MethodDelete {
			serveJSON(200, fmt.Appendf(nil, `{"jobId":%q,"deleted":true}`, path.Base(r.URL.Path)))(w, r)
			return
		}
		if refuse != 0 {
			serveStatus(refuse)(w, r)
			return
		}
		var bulk struct {
			JobIDs []string `json:"jobIds"`
		}
		if err := json.NewDecoder(r.Body).Decode(&bulk); err != nil {
			t.Error(err)
		}
		items := make([]string, len(bulk.JobIDs))
		for i, id := range bulk.JobIDs {
			items[i] = fmt.Sprintf(`{"jobId":%q,"deleted":true}`, id)
		}
		serveJSON(200, []byte(`{"reports":[`+strings.Join(items, ",")+`]}`))(w, r)
	})
	return dc
}

// DeleteStatusReports keeps to its Concurrency: no more requests in flight to a data center,
// whether it sends chunks of ListLimit jobs or, to a data center that refuses bulk requests,
// one job at a time.
func TestDeleteStatusReportsKeepsToItsConcurrency(t *testing.T) {
	for _, tc := range []struct {
		name              string
		refuse, jobs, max int
	}{
		{"chunks", 0, 3*faxreport.ListLimit - 1, 1},
		{"job by job", http.StatusMethodNotAllowed, 40, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dc := newSlowDeleter(t, tc.refuse)
			ids := make([]string, tc.jobs)
			for i := range ids {
				ids[i] = fmt.Sprintf("FJ%05d", i)
			}
			for _, r := range newClient(t, dc.dataCenter).DeleteStatusReports(testContext(t), ids, faxreport.BatchOptions{Concurrency: tc.max}) {
				if r.Err != nil {
					t.Fatalf("%s: %v", r.JobID, r.Err)
				}
			}
			if m := dc.maxInFlight.Load(); m > int64(tc.max) {
				t.Errorf("%d requests in flight at once, want at most %d", m, tc.max)
			}
		})
	}
}

// A negative Concurrency is every job's error, and nothing is sent.
func TestDeleteStatusReportsRefusesNegativeConcurrency(t *testing.T) {
	dc := newSlowDeleter(t, 0)
	results := newClient(t, dc.dataCenter).DeleteStatusReports(testContext(t), []string{"FJA", "FJA", ".."}, faxreport.BatchOptions{Concurrency: -1})
	for _, r := range results {
		mustFail(t, r.Err, faxreport.ErrInvalidArgument)
	}
	if len(results) != 3 || results[1].JobID != "FJA" || dc.requests.Load() != 0 {
		t.Fatalf("%+v, %d requests", results, dc.requests.Load())
	}
}
