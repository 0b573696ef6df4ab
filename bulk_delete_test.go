package faxreport_test

import (
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

func TestBulkDeleteAcrossDataCenters(t *testing.T) {
	forEachUnknownDeleteReading(t, func(t *testing.T, opts faxtest.Options) {
		s, c := fakeClient(t, opts)
		s.DataCenter(0).Put(newReport("FJA", faxreport.StatusOK).model())
		s.DataCenter(1).Put(newReport("FJB", faxreport.StatusOK).model())
		s.DataCenter(0).Put(newReport("FJRETRIED", faxreport.StatusOK).model())
		s.DataCenter(0).FailDeletions("FJRETRIED", 1) // INTERNAL_ERROR once, then deleted
		s.DataCenter(1).Put(newReport("FJFAILING", faxreport.StatusOK).model())
		s.DataCenter(1).FailDeletions("FJFAILING", 100) // INTERNAL_ERROR every time
		ids := []string{"FJA", "FJB", "FJMISSING", "FJRETRIED", "FJFAILING", "FJA", ".."}
		results := c.DeleteStatusReports(testContext(t), ids, faxreport.BatchOptions{})
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
	})
}

func TestBulkDeleteLostAnswerIsUnconfirmedNeverNotFound(t *testing.T) {
	forEachUnknownDeleteReading(t, func(t *testing.T, opts faxtest.Options) {
		s, c := fakeClient(t, opts)
		s.DataCenter(0).Put(newReport("FJA", faxreport.StatusOK).model())
		s.DataCenter(0).Inject(faxtest.Fault{DropAnswer: true, Times: 1}) // deleted, answer lost
		results := c.DeleteStatusReports(testContext(t), []string{"FJA", "FJMISSING"}, faxreport.BatchOptions{})
		for _, r := range results {
			mustFail(t, r.Err, faxreport.ErrDeleteUnconfirmed, faxreport.ErrNotFound)
			if !strings.Contains(r.Err.Error(), s.DataCenter(0).URL()) {
				t.Errorf("%s: %v does not name the data center", r.JobID, r.Err)
			}
		}
		if s.Count() != 0 {
			t.Fatal("the deletion was not applied: the fault is not a lost answer")
		}
	})
}

// A job deleted in one data center is deleted, whatever another data center's lost answer left
// unconfirmed there.
func TestBulkDeleteDeletedThereDespiteALostAnswerHere(t *testing.T) {
	forEachUnknownDeleteReading(t, func(t *testing.T, opts faxtest.Options) {
		s, c := fakeClient(t, opts)
		s.DataCenter(1).Put(newReport("FJTHERE", faxreport.StatusOK).model())
		s.DataCenter(0).Inject(faxtest.Fault{DropAnswer: true, Times: 1}) // the first data center's answer is lost
		for _, r := range c.DeleteStatusReports(testContext(t), []string{"FJTHERE"}, faxreport.BatchOptions{}) {
			if r.Err != nil {
				t.Fatalf("%s: %v, want deleted", r.JobID, r.Err)
			}
		}
		if s.Count() != 0 {
			t.Fatal("not deleted")
		}
	})
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
			results := c.DeleteStatusReports(testContext(t), []string{"FJHERE", "FJNONE"}, faxreport.BatchOptions{})
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
	for _, r := range c.DeleteStatusReports(testContext(t), []string{"FJGONE"}, faxreport.BatchOptions{}) {
		mustFail(t, r.Err, faxreport.ErrDeleteUnconfirmed, faxreport.ErrNotFound)
	}
}
