package faxreport_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
)

func TestDrainStopsWhenADataCenterKeepsListingWhatItDeleted(t *testing.T) {
	list := newReport(testJobID).json() // the example report, listed for ever
	dc := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			serveJSON(200, []byte(`{"reports":[{"jobId":"`+testJobID+`","deleted":true}]}`))(w, r)
			return
		}
		serveJSON(200, append(append([]byte(`{"reports":[`), list...), "]}"...))(w, r)
	})
	calls := 0
	_, err := newClient(t, dc).DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: func(context.Context, []*faxreport.Report) error {
		calls++
		return nil
	}})
	mustFail(t, err, faxreport.ErrDrainStalled)
	if calls != 1 {
		t.Fatalf("handler called %d times", calls)
	}
}

// A data center that lists other reports in turn and never deletes them (saying NOT_FOUND, or
// lying that it deleted them) stops the drain: it never loops.
func TestDrainStopsADataCenterThatNeverDeletes(t *testing.T) {
	for name, answer := range map[string]func(string) string{"not found": notFoundAnswer, "deleted, but listed again": deletedAnswer} {
		t.Run(name, func(t *testing.T) {
			dc := newHostileLister(t, func(n int) [][]byte { return [][]byte{newReport(fmt.Sprint("FJ", n%2)).json()} }, answer)
			calls := 0
			_, err := newClient(t, dc.dataCenter).DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: func(context.Context, []*faxreport.Report) error {
				calls++
				return nil
			}})
			mustFail(t, err, faxreport.ErrDrainStalled)
			if calls > 3 {
				t.Fatalf("handler called %d times", calls)
			}
		})
	}
}

// A listing of more than the vendor's 1000 breaks the contract: nothing is handed over or deleted.
func TestDrainRefusesAListingOverTheLimit(t *testing.T) {
	dc := newHostileLister(t, func(int) [][]byte {
		reports := make([][]byte, faxreport.ListLimit+1)
		for i := range reports {
			reports[i] = newReport(fmt.Sprint("FJ", i)).json()
		}
		return reports
	}, deletedAnswer)
	_, err := newClient(t, dc.dataCenter).DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: func(context.Context, []*faxreport.Report) error {
		t.Error("handler called")
		return nil
	}})
	mustFail(t, err, faxreport.ErrInvalidResponse)
	if len(dc.deletes) != 0 {
		t.Fatalf("%d deletions sent", len(dc.deletes))
	}
}

// A page listing a job twice hands it over and deletes it once.
func TestDrainHandsOverAndDeletesEachJobOnce(t *testing.T) {
	dc := newHostileLister(t, func(n int) [][]byte {
		if n > 1 {
			return nil
		}
		return [][]byte{newReport("FJDUP").json(), newReport("FJDUP").json(), newReport("FJOTHER").json()}
	}, deletedAnswer)
	var handed []string
	counts, err := newClient(t, dc.dataCenter).DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: func(_ context.Context, page []*faxreport.Report) error {
		for _, r := range page {
			handed = append(handed, r.JobID)
		}
		return nil
	}})
	if err != nil || !slices.Equal(handed, []string{"FJDUP", "FJOTHER"}) || counts.Deleted != 2 || len(dc.deletes) != 1 || len(dc.deletes[0]) != 2 {
		t.Fatalf("handed %v, counts %+v, deletions %v, err %v", handed, counts, dc.deletes, err)
	}
}

// A listed report with a PENDING recipient is neither handed over nor deleted: its final outcome
// would be lost. The rest is; once nothing else is listed, that data center stops with
// ErrInvalidResponse naming the job.
func TestDrainLeavesReportsThatAreNotFinal(t *testing.T) {
	pending := newReport(testJobID).with(faxreport.StatusPending, "recipientStatus", 0, "status").json()
	dc := newHostileLister(t, func(n int) [][]byte {
		if n == 1 {
			return [][]byte{pending, newReport("FJFINAL").json()}
		}
		return [][]byte{pending} // FJFINAL deleted
	}, deletedAnswer)
	handed, err := drainedJobs(t, newClient(t, dc.dataCenter))
	mustFail(t, err, faxreport.ErrInvalidResponse)
	if !slices.Equal(handed, []string{"FJFINAL"}) || len(dc.deletes) != 1 || !slices.Equal(dc.deletes[0], []string{"FJFINAL"}) {
		t.Fatalf("handed %v, deletions %v", handed, dc.deletes)
	}
}

// Job IDs a data center sends are scrubbed from the drain's errors like everything it sends.
func TestDrainErrorsScrubJobIDsTheServerSent(t *testing.T) {
	dc := newHostileLister(t, func(int) [][]byte { return [][]byte{newReport(testPassword).json()} }, deletedAnswer)
	_, err := newClient(t, dc.dataCenter).DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: func(context.Context, []*faxreport.Report) error { return nil }})
	mustFail(t, err, faxreport.ErrDrainStalled) // listed again after its deletion, password and all
}

// A listed report that breaks the contract is left out, named by its job; the others of its
// page are handed over and deleted, and the listing shows them with the error.
func TestDrainAndListLeaveOutReportsThatBreakTheContract(t *testing.T) {
	bad := bytes.Replace(newReport(testJobID).with("2017-08-10 13:05:09Z", "recipientStatus", 0, "sentTs").json(), []byte(testJobID), []byte("FJBADDATE"), 1)
	dc := newHostileLister(t, func(n int) [][]byte {
		if n <= 2 { // the listing of ListStatusReports, then the drain's first
			return [][]byte{newReport("FJ1").json(), bad, newReport("FJ2").json()}
		}
		return [][]byte{bad}
	}, deletedAnswer)
	c := newClient(t, dc.dataCenter)
	listing, err := c.ListStatusReports(testContext(t))
	mustFail(t, err, faxreport.ErrInvalidResponse)
	if part := listing.Parts[0]; len(part.Reports) != 2 || len(part.JSON) != 2 || !strings.Contains(err.Error(), `(job "FJBADDATE")`) {
		t.Fatalf("listed %d reports, error %v", len(part.Reports), err)
	}
	handed, err := drainedJobs(t, c)
	mustFail(t, err, faxreport.ErrInvalidResponse)
	if !slices.Equal(handed, []string{"FJ1", "FJ2"}) || len(dc.deletes) != 1 || !slices.Equal(dc.deletes[0], []string{"FJ1", "FJ2"}) || !strings.Contains(err.Error(), "FJBADDATE") {
		t.Fatalf("handed %v, deletions %v, err %v", handed, dc.deletes, err)
	}
}

// A job listed twice, once still PENDING (or with two different reports), is left out whole:
// deleting it would delete what nobody read.
func TestDrainLeavesOutAJobListedTwiceDifferently(t *testing.T) {
	pending := newReport(testJobID).with(faxreport.StatusPending, "recipientStatus", 0, "status").json()
	busy := newReport(testJobID).with(faxreport.StatusBusy, "recipientStatus", 0, "status").json()
	for name, other := range map[string][]byte{"pending": pending, "different": busy} {
		t.Run(name, func(t *testing.T) {
			dc := newHostileLister(t, func(n int) [][]byte {
				if n == 1 {
					return [][]byte{other, newReport(testJobID).json(), newReport("FJX").json()}
				}
				return [][]byte{other, newReport(testJobID).json()}
			}, deletedAnswer)
			handed, err := drainedJobs(t, newClient(t, dc.dataCenter))
			mustFail(t, err, faxreport.ErrInvalidResponse)
			if !slices.Equal(handed, []string{"FJX"}) || len(dc.deletes) != 1 || !slices.Equal(dc.deletes[0], []string{"FJX"}) || !strings.Contains(err.Error(), testJobID) {
				t.Fatalf("handed %v, deletions %v, err %v", handed, dc.deletes, err)
			}
		})
	}
}

// drainedJobs drains c with a handler that accepts every page, and returns the job IDs handed
// over, in order, with the drain's error.
func drainedJobs(t *testing.T, c *faxreport.Client) ([]string, error) {
	var handed []string
	_, err := c.DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: func(_ context.Context, page []*faxreport.Report) error {
		for _, r := range page {
			handed = append(handed, r.JobID)
		}
		return nil
	}})
	return handed, err
}

// A job listed with a valid copy and one that breaks the contract is doubtful: with quarantine
// or without, neither copy is handed over, the job is not deleted, and the error names it.
func TestDrainLeavesInPlaceAJobListedValidAndInvalid(t *testing.T) {
	for _, quarantine := range []bool{false, true} {
		t.Run(fmt.Sprint("quarantine ", quarantine), func(t *testing.T) {
			sh := newShelf()
			sh.put("FJDUP valid", newReport("FJDUP").json())
			sh.put("FJDUP invalid", newReport("FJDUP").with("2017-08-10 13:05:09Z", "recipientStatus", 0, "sentTs").json())
			sh.put("FJX", newReport("FJX").json())
			dc := newHostileLister(t, sh.list, func(id string) string {
				if id == "FJDUP" {
					t.Error("FJDUP deleted")
				}
				return sh.remove(id)
			})
			q := newQuarantine()
			cfg := q.config()
			if !quarantine {
				cfg.HandleInvalid = nil
			}
			_, err := newClient(t, dc.dataCenter).DrainStatusReports(testContext(t), cfg)
			mustFail(t, err, faxreport.ErrInvalidResponse)
			if _, ok := q.valid["FJX"]; !ok || len(q.valid) != 1 || len(q.invalid) != 0 || sh.count() != 2 || !strings.Contains(err.Error(), `"FJDUP"`) {
				t.Fatalf("handed over %d valid, %d invalid; %d left; err %v", len(q.valid), len(q.invalid), sh.count(), err)
			}
		})
	}
}
