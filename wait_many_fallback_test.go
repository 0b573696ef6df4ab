package faxreport_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

func TestWaitForStatusReportsFallsBackWhereBulkIsRefused(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	for _, dc := range s.DataCenters() {
		dc.RefuseUnknownInBulkGet(http.StatusBadRequest) // while homes are unknown, every bulk GET
	}
	ids := s.SeedPending(20, faxtest.Pending{Reads: 2})
	results := c.WaitForStatusReports(testContext(t), ids, nil, fastPolls)
	for _, r := range results {
		if r.Err != nil || !faxreport.IsReportFinal(r.Report) {
			t.Fatalf("job %s: %v", r.JobID, r.Err)
		}
	}
	var refused, singles, later int
	for _, r := range s.Requests() {
		switch {
		case r.Method == http.MethodPost && r.Status == http.StatusBadRequest:
			refused++
		case r.Method == http.MethodGet:
			singles++
		case r.Method == http.MethodPost && r.Status == http.StatusOK:
			later++
			for _, id := range r.JobIDs {
				if s.Home(id) != s.DataCenter(r.DataCenter) {
					t.Fatalf("job %s asked in bulk in data center %d, not its home, once its home was known", id, r.DataCenter)
				}
			}
		}
	}
	if refused != 2 || singles != 2*len(ids) || later == 0 {
		t.Fatalf("%d refused bulk GETs, %d single GETs, %d bulk GETs after; want 2 refused, each job read singly in each data center, then bulk GETs again",
			refused, singles, later)
	}
}

// A data center without bulk requests (405, as the vendor's older API) is asked job by job,
// and a job that appears only when confirmed is taken from the confirmation, with its report
// and its JSON.
func TestWaitForStatusReportsWithoutBulkAndOnConfirmation(t *testing.T) {
	wait := (*faxreport.Client).WaitForStatusReports
	got := func(r faxreport.ReportResult) string {
		var doc struct{ JobID string }
		if err := json.Unmarshal(r.JSON, &doc); err != nil || r.Report == nil || r.Report.JobID != doc.JobID {
			t.Fatalf("JSON %s (%v), report %v", r.JSON, err, r.Report)
		}
		return doc.JobID
	}

	reports := serveReportForPath(t)
	noBulk := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			serveStatus(http.StatusMethodNotAllowed)(w, r)
			return
		}
		reports(w, r)
	})
	ids := []string{"FJONE", "FJTWO", "FJTHREE"}
	for _, r := range wait(newClient(t, noBulk), testContext(t), ids, nil, fastPolls) {
		if r.Err != nil || got(r) != r.JobID {
			t.Fatalf("job %s: %v", r.JobID, r.Err)
		}
	}
	if n := noBulk.requests.Load(); n != 1+int64(len(ids)) {
		t.Fatalf("%d requests, want one refused bulk GET and one GET per job", n)
	}

	s, c := fakeClient(t, faxtest.Options{})
	s.PutPending(newReport("FJLATE", faxreport.StatusOK).model(), faxtest.Pending{NotFoundReads: 1}) // the bulk GET misses it
	r := wait(c, testContext(t), []string{"FJLATE"}, nil, fastPolling(faxreport.WaitOptions{NotFoundLimit: -1}))[0]
	if r.Err != nil || got(r) != "FJLATE" {
		t.Fatalf("the confirmation's report: %v", r.Err)
	}
}

// A report that breaks the contract spoils its bulk answer, not the jobs behind it: they are
// read one by one, and that job alone ends with ErrInvalidResponse.
func TestWaitForStatusReportsInvalidReportBlocksNothing(t *testing.T) {
	bad := []byte(`{"jobId":"FJBAD","pages":1}`) // no recipientStatus
	dc := newDataCenter(t, serveReportForPathWith(t, map[string][]byte{"FJBAD": bad}))
	results := newClient(t, dc).WaitForStatusReports(testContext(t), []string{"FJGOOD1", "FJBAD", "FJGOOD2"}, nil, fastPolls)
	mustFail(t, results[1].Err, faxreport.ErrInvalidResponse, faxreport.ErrNotFound)
	if results[0].Err != nil || results[2].Err != nil {
		t.Fatalf("the jobs beside the bad one: %v, %v", results[0].Err, results[2].Err)
	}
}
