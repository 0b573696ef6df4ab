package faxreport_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// singleGets counts dc's requests for one report.
func singleGets(dc *faxtest.DataCenter) int {
	n := 0
	for _, r := range dc.Requests() {
		if r.Method == http.MethodGet && r.JobID != "" {
			n++
		}
	}
	return n
}

func TestBulkGetConfirmsUnreturnedJobsOneByOne(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	s.DataCenter(0).Put(finalReport("FJIN0", faxreport.StatusOK))
	s.DataCenter(1).Put(finalReport("FJIN1", faxreport.StatusOK))
	results := c.GetStatusReports(testContext(t), []string{"FJIN0", "FJMISSING", "FJIN1"})
	if results[0].Err != nil || results[2].Err != nil || results[0].Report.JobID != "FJIN0" || results[2].Report.JobID != "FJIN1" {
		t.Fatalf("%+v", results)
	}
	mustFail(t, results[1].Err, faxreport.ErrNotFound)
	for i, dc := range s.DataCenters() {
		// One bulk request each, then the single-report call for the job nobody returned.
		if posts, gets := bulkPosts(dc), singleGets(dc); len(posts) != 1 || gets != 1 {
			t.Errorf("data center %d: %d bulk requests, %d single reads; want 1 and 1", i, len(posts), gets)
		}
	}
}

func TestBulkGetRefusedForUnknownJobsFallsBackToSingleReads(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	var ids []string
	for i := range 20 {
		id := fmt.Sprintf("FJREFUSED%02d", i)
		s.Put(finalReport(id, faxreport.StatusOK))
		ids = append(ids, id)
	}
	for _, dc := range s.DataCenters() { // the vendor's other reading: an error about unknown IDs
		dc.RefuseUnknownInBulkGet(http.StatusNotFound)
	}
	for _, r := range c.GetStatusReports(testContext(t), append(ids, "FJMISSING")) {
		switch {
		case r.JobID == "FJMISSING":
			mustFail(t, r.Err, faxreport.ErrNotFound)
		case r.Err != nil || r.Report.JobID != r.JobID:
			t.Fatalf("%s: %+v", r.JobID, r)
		}
	}
	confirmed := map[string]bool{}
	for _, r := range s.Requests() {
		if r.Method == http.MethodGet && r.JobID != "" {
			confirmed[r.JobID] = true
		}
	}
	if len(confirmed) != 21 {
		t.Errorf("%d jobs read one by one, want 21 (every job confirmed)", len(confirmed))
	}
}

func TestBulkGetFailingDataCenterIsNeverNotFound(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	s.DataCenter(0).Put(finalReport("FJIN0", faxreport.StatusOK))
	s.DataCenter(1).Put(finalReport("FJIN1", faxreport.StatusOK))
	s.DataCenter(0).Inject(faxtest.Fault{Status: http.StatusServiceUnavailable})
	results := c.GetStatusReports(testContext(t), []string{"FJIN0", "FJIN1", "FJMISSING"})
	if results[1].Err != nil || results[1].Report.JobID != "FJIN1" {
		t.Fatalf("healthy data center's job: %+v", results[1])
	}
	for _, r := range []faxreport.ReportResult{results[0], results[2]} {
		mustFail(t, r.Err, faxreport.ErrUnavailable, faxreport.ErrNotFound)
		var regionErr *faxreport.RegionError
		if !errors.As(r.Err, &regionErr) || len(regionErr.Failed) != 1 || regionErr.Failed[0].Endpoint != s.DataCenter(0).URL() {
			t.Errorf("%s: %v does not name the failing data center", r.JobID, r.Err)
		}
	}
	if gets := singleGets(s.DataCenter(1)); gets != 0 {
		t.Errorf("%d single reads: a failing data center is not mended by asking per job", gets)
	}
}

func TestBulkGetSplitsAt1000AndSendsOneRequestPerChunkPerDataCenter(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	ids := s.SeedReports(2500)
	ids = append(ids, ids[:10]...) // duplicates: fetched once, result repeated
	results := c.GetStatusReports(testContext(t), ids)
	for i, r := range results {
		if r.Err != nil || r.JobID != ids[i] || r.Report.JobID != ids[i] {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	if results[2500].Report != results[0].Report {
		t.Error("a duplicate was fetched again")
	}
	for i, dc := range s.DataCenters() {
		posts := bulkPosts(dc)
		if len(posts) != 3 || singleGets(dc) != 0 {
			t.Fatalf("data center %d: %d bulk requests, %d single reads; want 3 and 0", i, len(posts), singleGets(dc))
		}
		for _, p := range posts {
			if len(p) > faxreport.ListLimit {
				t.Errorf("a bulk request of %d IDs", len(p))
			}
		}
	}
	assertEachJobAskedAtMostOncePerDataCenter(t, s, 2500)
}

func TestBulkGetCancelledWhileInFlight(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	ids := s.SeedReports(50)
	for _, dc := range s.DataCenters() {
		dc.SetLatency(time.Minute)
	}
	ctx, cancel := context.WithCancel(testContext(t))
	go func() {
		for s.DataCenter(0).RequestCount() == 0 || s.DataCenter(1).RequestCount() == 0 {
			time.Sleep(time.Millisecond) // polling the fake's log, not synchronising the client
		}
		cancel()
	}()
	for _, r := range c.GetStatusReports(ctx, ids) {
		if !errors.Is(r.Err, context.Canceled) || r.Report != nil {
			t.Fatalf("%s: %+v", r.JobID, r)
		}
	}
}

func TestBulkDeleteAcrossDataCenters(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	s.DataCenter(0).Put(finalReport("FJA", faxreport.StatusOK))
	s.DataCenter(1).Put(finalReport("FJB", faxreport.StatusOK))
	s.DataCenter(0).Put(finalReport("FJRETRIED", faxreport.StatusOK))
	s.DataCenter(0).FailDeletions("FJRETRIED", 1) // INTERNAL_ERROR once, then deleted
	s.DataCenter(1).Put(finalReport("FJFAILING", faxreport.StatusOK))
	s.DataCenter(1).FailDeletions("FJFAILING", 100) // INTERNAL_ERROR every time
	ids := []string{"FJA", "FJB", "FJMISSING", "FJRETRIED", "FJFAILING", "FJA", ".."}
	results := c.DeleteStatusReports(testContext(t), ids)
	if len(results) != len(ids) {
		t.Fatalf("%d results", len(results))
	}
	for i, r := range results {
		if r.JobID != ids[i] {
			t.Fatalf("result %d is for %s, want %s", i, r.JobID, ids[i])
		}
	}
	for _, i := range []int{0, 1, 3, 5} {
		if results[i].Err != nil {
			t.Errorf("%s: %v", ids[i], results[i].Err)
		}
	}
	mustFail(t, results[2].Err, faxreport.ErrNotFound)
	mustFail(t, results[4].Err, faxreport.ErrUnavailable, faxreport.ErrNotFound)
	mustFail(t, results[6].Err, faxreport.ErrInvalidArgument)
	if s.Count() != 1 || !s.DataCenter(1).Has("FJFAILING") {
		t.Fatalf("%d reports left, want FJFAILING only", s.Count())
	}
}

func TestBulkDeleteLostAnswerIsUnconfirmedNeverNotFound(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	s.DataCenter(0).Put(finalReport("FJA", faxreport.StatusOK))
	s.DataCenter(0).Inject(faxtest.Fault{DropAnswer: true, Times: 1}) // deleted, answer lost
	results := c.DeleteStatusReports(testContext(t), []string{"FJA", "FJMISSING"})
	for _, r := range results {
		mustFail(t, r.Err, faxreport.ErrDeleteUnconfirmed, faxreport.ErrNotFound)
		if !strings.Contains(r.Err.Error(), s.DataCenter(0).URL()) {
			t.Errorf("%s: %v does not name the data center", r.JobID, r.Err)
		}
	}
	if s.Count() != 0 {
		t.Fatal("the deletion was not applied: the fault is not a lost answer")
	}
}

// A job deleted in one data center is deleted, whatever another data center's lost answer left
// unconfirmed there.
func TestBulkDeleteDeletedThereDespiteALostAnswerHere(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	s.DataCenter(1).Put(finalReport("FJTHERE", faxreport.StatusOK))
	s.DataCenter(0).Inject(faxtest.Fault{DropAnswer: true, Times: 1}) // the first data center's answer is lost
	for _, r := range c.DeleteStatusReports(testContext(t), []string{"FJTHERE"}) {
		if r.Err != nil {
			t.Fatalf("%s: %v, want deleted", r.JobID, r.Err)
		}
	}
	if s.Count() != 0 {
		t.Fatal("not deleted")
	}
}

func TestDeleteOldestIsNeverRetried(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	s.SeedReports(2500)
	s.DataCenter(1).Inject(faxtest.Fault{DropAnswer: true, Times: 1})
	results, err := c.DeleteOldestStatusReports(testContext(t))
	mustFail(t, err, faxreport.ErrUnavailable)
	if !strings.Contains(err.Error(), s.DataCenter(1).URL()) {
		t.Errorf("error does not name the data center: %v", err)
	}
	if len(results) != 1000 || !faxreport.IsDeleted(&results[0]) {
		t.Fatalf("%d results from the healthy data center", len(results))
	}
	if n := s.DataCenter(1).RequestCount(); n != 1 {
		t.Fatalf("delete-oldest sent %d times: a retry deletes the next oldest too", n)
	}
	if left := s.Count(); left != 500 { // 1000 from each: one answer lost, its deletion applied
		t.Fatalf("%d reports left, want 500", left)
	}
}

// refusingBulk is a data center without bulk requests (the vendor's older API): it refuses every
// POST with status, and deletes single reports of the jobs in held. lose makes it drop the
// connection of that many first POSTs, as if their answers were lost.
func refusingBulk(t *testing.T, status int, lose int64, held ...string) *dataCenter {
	var posts atomic.Int64
	return newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			if posts.Add(1) <= lose {
				if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
					conn.Close()
				}
				return
			}
			serveStatus(status)(w, r)
			return
		}
		id := path.Base(r.URL.Path)
		deleted := slices.Contains(held, id)
		reason := ""
		if !deleted {
			reason = `,"reason":"NOT_FOUND"`
		}
		serveJSON(200, []byte(fmt.Sprintf(`{"jobId":%q,"deleted":%t%s}`, id, deleted, reason)))(w, r)
	})
}

// A data center that refuses bulk DELETE (405, 404, 400: it deleted nothing) is asked job by job,
// under the single delete's rules.
func TestBulkDeleteRefusedFallsBackToSingleDeletes(t *testing.T) {
	for _, status := range []int{http.StatusMethodNotAllowed, http.StatusNotFound, http.StatusBadRequest} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			c := newClient(t, refusingBulk(t, status, 0, "FJHERE"), refusingBulk(t, status, 0))
			results := c.DeleteStatusReports(testContext(t), []string{"FJHERE", "FJNONE"})
			if results[0].Err != nil {
				t.Errorf("FJHERE: %v, want deleted", results[0].Err)
			}
			mustFail(t, results[1].Err, faxreport.ErrNotFound, faxreport.ErrDeleteUnconfirmed)
		})
	}
}

// A bulk DELETE whose answer was lost may have deleted the jobs: when the retry is refused and
// the single call then finds a job gone, that is unconfirmed, never ErrNotFound.
func TestBulkDeleteLostThenRefusedIsUnconfirmed(t *testing.T) {
	c := newClient(t, refusingBulk(t, http.StatusBadRequest, 1), refusingBulk(t, http.StatusBadRequest, 0))
	for _, r := range c.DeleteStatusReports(testContext(t), []string{"FJGONE"}) {
		mustFail(t, r.Err, faxreport.ErrDeleteUnconfirmed, faxreport.ErrNotFound)
	}
}
