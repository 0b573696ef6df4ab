package faxreport_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"slices"
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

// assertRead fails unless r is the read of its job as the data center sent it, body: those very
// bytes as its JSON, and the report they hold as its Report.
func assertRead(t *testing.T, r faxreport.ReportResult, body []byte) {
	t.Helper()
	switch {
	case r.Err != nil:
		t.Errorf("%s: %v", r.JobID, r.Err)
	case !bytes.Equal(r.JSON, body):
		t.Errorf("%s: JSON %s (report %v), want the bytes sent:\n%s", r.JobID, r.JSON, r.Report, body)
	case r.Report == nil || r.Report.JobID != r.JobID || r.Report.Pages != 2:
		t.Errorf("%s: report %+v (JSON %s)", r.JobID, r.Report, r.JSON)
	}
}

func TestBulkGetConfirmsUnreturnedJobsOneByOne(t *testing.T) {
	for _, bulk := range bulkReads {
		t.Run(bulk.name, func(t *testing.T) {
			s, c := fakeClient(t, faxtest.Options{})
			sent := map[string][]byte{}
			for i, id := range []string{"FJIN0", "FJIN1", "FJIN2"} {
				sent[id] = newReport(id).with(2, "pages").sent()
				s.DataCenter(i % 2).PutJSON(sent[id])
			}
			ids := []string{"FJIN0", "FJMISSING", "FJIN1", "FJIN2", "FJIN0"} // FJIN0 twice: read once
			for i, r := range bulk.read(c, testContext(t), ids, faxreport.BatchOptions{}) {
				switch {
				case r.JobID != ids[i]:
					t.Fatalf("result %d is for %s, want %s", i, r.JobID, ids[i])
				case r.JobID == "FJMISSING":
					mustFail(t, r.Err, faxreport.ErrNotFound)
				default:
					assertRead(t, r, sent[r.JobID])
				}
			}
			for i, dc := range s.DataCenters() {
				// One bulk request each for the 4 distinct jobs, then the single-report call for
				// the job nobody returned.
				if posts, gets := bulkPosts(dc), singleGets(dc); len(posts) != 1 || len(posts[0]) != 4 || gets != 1 {
					t.Errorf("data center %d: bulk requests %v, %d single reads; want 1 of 4 jobs and 1", i, posts, gets)
				}
			}
		})
	}
}

func TestBulkGetRefusedForUnknownJobsFallsBackToSingleReads(t *testing.T) {
	for _, bulk := range bulkReads {
		t.Run(bulk.name, func(t *testing.T) {
			s, c := fakeClient(t, faxtest.Options{})
			var ids []string
			for i := range 20 {
				ids = append(ids, fmt.Sprintf("FJREFUSED%02d", i))
				s.PutJSON(newReport(ids[i]).with(2, "pages").sent())
			}
			for _, dc := range s.DataCenters() { // the vendor's other reading: an error about unknown IDs
				dc.RefuseUnknownInBulkGet(http.StatusNotFound)
			}
			for _, r := range bulk.read(c, testContext(t), append(ids, "FJMISSING"), faxreport.BatchOptions{}) {
				if r.JobID == "FJMISSING" {
					mustFail(t, r.Err, faxreport.ErrNotFound)
					continue
				}
				assertRead(t, r, newReport(r.JobID).with(2, "pages").sent())
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
		})
	}
}

// A bulk answer with a report that breaks the contract, or with one about a job not asked for,
// is unusable as a whole, as GetStatusReport's answer would be: its jobs are read one by one,
// and only the bad one fails, without the credential it echoes.
func TestBulkGetSpoiledAnswerFallsBackToSingleReads(t *testing.T) {
	bad := []byte(`{"jobId":"FJBAD","pages":"` + testPassword + `","recipientStatus":[]}`)
	spoilers := map[string][]byte{"invalid report": bad, "job not asked for": newReport("FJOTHER").with(2, "pages").sent(), "job listed twice": newReport("FJGOOD").with(2, "pages").sent()}
	for spoiled, spoiler := range spoilers {
		for _, bulk := range bulkReads {
			t.Run(spoiled+"/"+bulk.name, func(t *testing.T) {
				dc := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
					switch {
					case r.Method == http.MethodPost:
						serveJSON(200, slices.Concat([]byte(`{"reports":[`), newReport("FJGOOD").with(2, "pages").sent(), []byte(","), spoiler, []byte("]}")))(w, r)
					case path.Base(r.URL.Path) == "FJGOOD":
						serveJSON(200, newReport("FJGOOD").with(2, "pages").sent())(w, r)
					default:
						serveJSON(200, bad)(w, r)
					}
				})
				results := bulk.read(newClient(t, dc), testContext(t), []string{"FJGOOD", "FJBAD"}, faxreport.BatchOptions{})
				assertRead(t, results[0], newReport("FJGOOD").with(2, "pages").sent())
				mustFail(t, results[1].Err, faxreport.ErrInvalidResponse, faxreport.ErrNotFound)
				if n := dc.requests.Load(); n != 3 {
					t.Errorf("%d requests, want the bulk one and one per job", n)
				}
			})
		}
	}
}

// A spoiled bulk answer reaches the caller when another data center failed (the job's error is
// then a *RegionError naming both): what it quotes of the invalid item is scrubbed.
func TestBulkGetSpoiledAnswerInARegionErrorIsScrubbed(t *testing.T) {
	bad := []byte(`{"jobId":"FJBAD","pages":"` + testPassword + `","recipientStatus":[]}`)
	for _, bulk := range bulkReads {
		t.Run(bulk.name, func(t *testing.T) {
			spoiling := newDataCenter(t, serveJSON(200, slices.Concat([]byte(`{"reports":[`), bad, []byte("]}"))))
			failing := newDataCenter(t, serveStatus(http.StatusServiceUnavailable))
			results := bulk.read(newClient(t, spoiling, failing), testContext(t), []string{"FJBAD"}, faxreport.BatchOptions{})
			err := results[0].Err
			mustFail(t, err, faxreport.ErrInvalidResponse, faxreport.ErrNotFound)
			var regionErr *faxreport.RegionError
			if !errors.As(err, &regionErr) || len(regionErr.Failed) != 2 || !errors.Is(err, faxreport.ErrUnavailable) {
				t.Fatalf("want a region error naming both data centers: %v", err)
			}
			assertNoSecret(t, err)
		})
	}
}

func TestBulkGetFailingDataCenterIsNeverNotFound(t *testing.T) {
	for _, bulk := range bulkReads {
		t.Run(bulk.name, func(t *testing.T) {
			s, c := fakeClient(t, faxtest.Options{})
			s.DataCenter(0).PutJSON(newReport("FJIN0").with(2, "pages").sent())
			s.DataCenter(1).PutJSON(newReport("FJIN1").with(2, "pages").sent())
			s.DataCenter(0).Inject(faxtest.Fault{Status: http.StatusServiceUnavailable})
			results := bulk.read(c, testContext(t), []string{"FJIN0", "FJIN1", "FJMISSING"}, faxreport.BatchOptions{})
			assertRead(t, results[1], newReport("FJIN1").with(2, "pages").sent()) // the healthy data center's job
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
		})
	}
}

func TestBulkGetSplitsAt1000AndSendsOneRequestPerChunkPerDataCenter(t *testing.T) {
	for _, bulk := range bulkReads {
		t.Run(bulk.name, func(t *testing.T) {
			s, c := fakeClient(t, faxtest.Options{})
			ids := s.SeedReports(2500)
			ids = append(ids, ids[:10]...) // duplicates: fetched once, result repeated
			results := bulk.read(c, testContext(t), ids, faxreport.BatchOptions{})
			for i, r := range results {
				if r.Err != nil || r.JobID != ids[i] || r.Report == nil || r.Report.JobID != ids[i] ||
					!bytes.Contains(r.JSON, []byte(`{"jobId":"`+ids[i]+`"`)) {
					t.Fatalf("result %d: %+v", i, r)
				}
			}
			if results[2500].Report != results[0].Report || &results[2500].JSON[0] != &results[0].JSON[0] {
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
		})
	}
}

func TestBulkGetCancelledWhileInFlight(t *testing.T) {
	for _, bulk := range bulkReads {
		t.Run(bulk.name, func(t *testing.T) {
			s, c := fakeClient(t, faxtest.Options{})
			ids := s.SeedReports(50)
			for _, dc := range s.DataCenters() {
				dc.SetLatency(time.Minute)
			}
			ctx, cancel := context.WithCancel(testContext(t))
			go func() {
				for s.DataCenter(0).InFlight() == 0 || s.DataCenter(1).InFlight() == 0 {
					time.Sleep(time.Millisecond) // polling the fake, not synchronising the client
				}
				cancel()
			}()
			for _, r := range bulk.read(c, ctx, ids, faxreport.BatchOptions{}) {
				if !errors.Is(r.Err, context.Canceled) || r.Report != nil || r.JSON != nil {
					t.Fatalf("%s: %+v", r.JobID, r)
				}
			}
		})
	}
}
