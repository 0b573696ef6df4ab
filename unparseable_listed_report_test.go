package faxreport_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
)

// unparseableReports are listed reports of job FJBAD that are not strict JSON, though the
// listing is JSON at the token level: one of them must not hide the reports listed with it.
func unparseableReports(t *testing.T) map[string][]byte {
	report := newReport("FJBAD").json()
	with := func(member string) []byte { return append([]byte("{"+member+","), report[1:]...) }
	return map[string][]byte{
		"duplicate name":      with(`"pages":1`),
		"invalid UTF-8":       with("\"note\":\"caf\xe9\""),
		"number beyond float": with(`"cost":1e400`),
	}
}

// shelfWithUnparseable is a data center listing bad ahead of two valid reports, FJGOOD1 and
// FJGOOD2, with their stored bytes.
func shelfWithUnparseable(t *testing.T, bad []byte) (*shelf, *hostileLister, map[string][]byte) {
	sh := newShelf()
	stored := map[string][]byte{"FJBAD": bad, "FJGOOD1": newReport("FJGOOD1").json(), "FJGOOD2": newReport("FJGOOD2").json()}
	for _, id := range []string{"FJBAD", "FJGOOD1", "FJGOOD2"} {
		sh.put(id, stored[id])
	}
	return sh, newHostileLister(t, sh.list, sh.remove), stored
}

// A listed report that is not strict JSON is an invalid report, named and kept as sent: the
// listing still holds the valid reports beside it.
func TestListingKeepsTheReportsBesideAnUnparseableOne(t *testing.T) {
	for name, bad := range unparseableReports(t) {
		t.Run(name, func(t *testing.T) {
			_, dc, stored := shelfWithUnparseable(t, bad)
			listing, err := newClient(t, dc.dataCenter).ListStatusReports(testContext(t))
			mustFail(t, err, faxreport.ErrInvalidResponse)
			part := listing.Parts[0]
			if len(part.Reports) != 2 || part.Reports[0].JobID != "FJGOOD1" || part.Reports[1].JobID != "FJGOOD2" {
				t.Fatalf("listed %d reports, want FJGOOD1 and FJGOOD2 (err %v)", len(part.Reports), err)
			}
			for i, id := range []string{"FJGOOD1", "FJGOOD2"} {
				if !bytes.Equal(part.JSON[i], stored[id]) {
					t.Errorf("JSON of %s is %s, want %s", id, part.JSON[i], stored[id])
				}
			}
			if len(part.Invalid) != 1 || part.Invalid[0].JobID != "FJBAD" || !bytes.Equal(part.Invalid[0].JSON, bad) {
				t.Fatalf("invalid %+v, want FJBAD as sent", part.Invalid)
			}
			mustFail(t, part.Invalid[0].Err, faxreport.ErrInvalidResponse)
			if !strings.Contains(part.Err.Error(), "FJBAD") || !strings.Contains(part.Err.Error(), "/reports/0") {
				t.Errorf("part error %q does not name FJBAD at /reports/0", part.Err)
			}
		})
	}
}

// Without quarantine, a drain takes the valid reports around an unparseable one and leaves it in
// place, named; with it, the unparseable report is handed over byte for byte and deleted.
func TestDrainTakesTheReportsAroundAnUnparseableOne(t *testing.T) {
	for name, bad := range unparseableReports(t) {
		t.Run(name+", no quarantine", func(t *testing.T) {
			sh, dc, _ := shelfWithUnparseable(t, bad)
			var handled []string
			counts, err := newClient(t, dc.dataCenter).DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: func(_ context.Context, page []*faxreport.Report) error {
				for _, r := range page {
					handled = append(handled, r.JobID)
				}
				return nil
			}})
			mustFail(t, err, faxreport.ErrInvalidResponse)
			if len(handled) != 2 || counts.Deleted != 2 || sh.count() != 1 || !strings.Contains(err.Error(), "FJBAD") {
				t.Fatalf("handled %v, counts %+v, %d left, err %v", handled, counts, sh.count(), err)
			}
			if _, left := sh.bodies["FJBAD"]; !left {
				t.Fatal("FJBAD was deleted without quarantine")
			}
		})
		t.Run(name+", quarantine", func(t *testing.T) {
			sh, dc, stored := shelfWithUnparseable(t, bad)
			q := newQuarantine()
			counts, err := newClient(t, dc.dataCenter).DrainStatusReports(testContext(t), q.config())
			if err != nil {
				t.Fatal(err)
			}
			if want := (faxreport.DrainCounts{Pages: 1, Reports: 2, Quarantined: 1, Deleted: 3}); counts != want || sh.count() != 0 {
				t.Fatalf("counts %+v, want %+v; %d left", counts, want, sh.count())
			}
			if len(q.invalid) != 1 || !bytes.Equal(q.invalid["FJBAD"], bad) || len(q.valid) != 2 {
				t.Fatalf("quarantined %q, want FJBAD as sent %q; %d valid", q.invalid, bad, len(q.valid))
			}
			for id, body := range q.valid {
				if !bytes.Equal(body, stored[id]) {
					t.Errorf("%s handed over as %s, want %s", id, body, stored[id])
				}
			}
			mustFail(t, q.errs[0], faxreport.ErrInvalidResponse)
		})
	}
}

// A bulk answer with a report that is not strict JSON is read job by job, as one with a report
// that breaks the schema is: the valid reports are read, and only the bad one fails.
func TestBulkGetAnswerWithAnUnparseableReportFallsBackToSingleReads(t *testing.T) {
	for name, bad := range unparseableReports(t) {
		t.Run(name, func(t *testing.T) {
			dc := newDataCenter(t, serveReportForPathWith(t, map[string][]byte{"FJBAD": bad}))
			results := newClient(t, dc).GetStatusReports(testContext(t), []string{"FJGOOD1", "FJBAD", "FJGOOD2"}, faxreport.BatchOptions{})
			for _, i := range []int{0, 2} {
				if r := results[i]; r.Err != nil || r.Report == nil || !bytes.Equal(r.JSON, newReport(r.JobID).json()) {
					t.Errorf("%s: %v, JSON %s", r.JobID, r.Err, r.JSON)
				}
			}
			mustFail(t, results[1].Err, faxreport.ErrInvalidResponse, faxreport.ErrNotFound)
			if n := dc.requests.Load(); n != 4 {
				t.Errorf("%d requests, want the bulk one and one per job", n)
			}
		})
	}
}

// An unparseable report that shows a PENDING recipient in any copy of a duplicate name, or
// beside invalid UTF-8, is left in place even with quarantine: the job may not be complete.
func TestDrainQuarantineLeavesAnUnparseableReportThatShowsPending(t *testing.T) {
	pending := newReport(testJobID).with(faxreport.StatusPending, "recipientStatus", 0, "status").json()
	pending = bytes.Replace(pending, []byte(testJobID), []byte("FJBAD"), 1)
	members := bytes.TrimSuffix(bytes.TrimPrefix(newReport("FJBAD").json(), []byte("{")), []byte("}"))
	for name, bad := range map[string][]byte{
		"pending copy first": slices.Concat(pending[:len(pending)-1], []byte(","), members, []byte("}")),
		"pending copy last":  slices.Concat([]byte("{"), members, []byte(","), pending[1:]),
		"invalid UTF-8":      slices.Concat([]byte("{\"note\":\"\xff\","), pending[1:]),
	} {
		t.Run(name, func(t *testing.T) {
			sh, dc, _ := shelfWithUnparseable(t, bad)
			q := newQuarantine()
			_, err := newClient(t, dc.dataCenter).DrainStatusReports(testContext(t), q.config())
			mustFail(t, err, faxreport.ErrInvalidResponse)
			if sh.count() != 1 || len(q.invalid) != 0 || len(q.valid) != 2 || !strings.Contains(err.Error(), "FJBAD") {
				t.Fatalf("%d left, %d quarantined, %d handed over, err %v", sh.count(), len(q.invalid), len(q.valid), err)
			}
		})
	}
}
