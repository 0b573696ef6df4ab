package faxreport_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/faxreport/faxreport"
)

// shelf is a data center's stored reports, oldest first, served by a hostileLister: it lists the
// oldest ListLimit, whatever they hold, and deletes the jobs a bulk DELETE names. Unlike
// faxtest, it stores reports that break the contract.
type shelf struct {
	mu     sync.Mutex
	order  []string
	bodies map[string][]byte
}

func newShelf() *shelf { return &shelf{bodies: map[string][]byte{}} }

func (s *shelf) put(id string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.order = append(s.order, id)
	s.bodies[id] = body
}

func (s *shelf) list(int) [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	var listed [][]byte
	for _, id := range s.order {
		if len(listed) == faxreport.ListLimit {
			break
		}
		listed = append(listed, s.bodies[id])
	}
	return listed
}

func (s *shelf) remove(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.bodies[id]; !ok {
		return notFoundAnswer(id)
	}
	delete(s.bodies, id)
	s.order = slices.DeleteFunc(s.order, func(o string) bool { return o == id })
	return deletedAnswer(id)
}

func (s *shelf) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

// invalidReportOf is a report of jobID that breaks the contract: its sentTs has a space for the
// T of ISO 8601.
func invalidReportOf(t *testing.T, jobID string) []byte {
	bad := withField(t, "2017-08-10 13:05:09Z", "recipientStatus", 0, "sentTs")
	return bytes.Replace(bad, []byte(testJobID), []byte(jobID), 1)
}

// fill puts invalid reports, then valid ones, on a new shelf served by a new data center, and
// returns the shelf, the data center and every report's bytes by job.
func fill(t *testing.T, invalid, valid int) (*shelf, *hostileLister, map[string][]byte) {
	sh := newShelf()
	stored := map[string][]byte{}
	for i := range invalid {
		id := fmt.Sprintf("FJBAD%05d", i)
		stored[id] = invalidReportOf(t, id)
		sh.put(id, stored[id])
	}
	for i := range valid {
		id := fmt.Sprintf("FJGOOD%05d", i)
		stored[id] = reportOf(t, id)
		sh.put(id, stored[id])
	}
	return sh, newHostileLister(t, sh.list, sh.remove), stored
}

// quarantine records what a drain's two handlers were given.
type quarantine struct {
	mu      sync.Mutex
	valid   map[string][]byte
	invalid map[string][]byte
	errs    []error
	dcs     map[string]bool
}

func newQuarantine() *quarantine {
	return &quarantine{valid: map[string][]byte{}, invalid: map[string][]byte{}, dcs: map[string]bool{}}
}

func (q *quarantine) config() faxreport.DrainConfig {
	return faxreport.DrainConfig{
		HandleJSON: func(_ context.Context, page []faxreport.RawReport) error {
			q.mu.Lock()
			defer q.mu.Unlock()
			for _, r := range page {
				q.valid[r.JobID] = r.JSON
				q.dcs[r.DataCenter] = true
			}
			return nil
		},
		HandleInvalid: func(_ context.Context, page []faxreport.InvalidReport) error {
			q.mu.Lock()
			defer q.mu.Unlock()
			for _, r := range page {
				q.invalid[r.JobID] = r.JSON
				q.errs = append(q.errs, r.Err)
				q.dcs[r.DataCenter] = true
			}
			return nil
		},
	}
}

// With quarantine, 1000 reports that break the contract ahead of 500 valid ones all reach the
// handlers, as sent, and the data center ends empty; without it, the 1000 stay, named, the
// handler sees nothing, and nothing is deleted.
func TestDrainQuarantineTakesReportsThatBreakTheContract(t *testing.T) {
	t.Run("on", func(t *testing.T) {
		sh, dc, stored := fill(t, 1000, 500)
		q := newQuarantine()
		counts, err := newClient(t, dc.dataCenter).DrainStatusReports(testContext(t), q.config())
		if err != nil {
			t.Fatal(err)
		}
		if want := (faxreport.DrainCounts{Pages: 2, Reports: 500, Quarantined: 1000, Deleted: 1500}); counts != want || sh.count() != 0 {
			t.Fatalf("counts %+v, want %+v; %d left", counts, want, sh.count())
		}
		if len(q.valid) != 500 || len(q.invalid) != 1000 || !q.dcs[dc.BaseURL()] || len(q.dcs) != 1 {
			t.Fatalf("%d valid, %d invalid handed over, from %v", len(q.valid), len(q.invalid), q.dcs)
		}
		for id, body := range stored {
			got, ok := q.valid[id]
			if !ok {
				got = q.invalid[id]
			}
			if !bytes.Equal(got, body) {
				t.Fatalf("%s handed over as %s, want %s", id, got, body)
			}
		}
		for _, err := range q.errs {
			if !errors.Is(err, faxreport.ErrInvalidResponse) {
				t.Fatalf("validation error %v does not match ErrInvalidResponse", err)
			}
		}
	})
	t.Run("off", func(t *testing.T) {
		sh, dc, _ := fill(t, 1000, 500)
		handled := 0
		_, err := newClient(t, dc.dataCenter).DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: func(_ context.Context, page []*faxreport.Report) error {
			handled += len(page)
			return nil
		}})
		mustFail(t, err, faxreport.ErrInvalidResponse)
		if sh.count() != 1500 || handled != 0 || len(dc.deletes) != 0 || !bytes.Contains([]byte(err.Error()), []byte("FJBAD00000")) {
			t.Fatalf("%d left, %d handled, %d deletions, err %v", sh.count(), handled, len(dc.deletes), err)
		}
	})
}

// A crash (a cancel) after HandleInvalid accepted its reports but before their deletion hands
// the same reports over again on the next run.
func TestDrainCancelledAfterTheQuarantineHandsTheSameReportsOverAgain(t *testing.T) {
	sh, dc, _ := fill(t, 3, 2)
	c := newClient(t, dc.dataCenter)
	ctx, cancel := context.WithCancel(testContext(t))
	q := newQuarantine()
	cfg := q.config()
	quarantined := cfg.HandleInvalid
	cfg.HandleInvalid = func(ctx context.Context, page []faxreport.InvalidReport) error {
		err := quarantined(ctx, page)
		cancel() // the crash: written, not yet deleted
		return err
	}
	if _, err := c.DrainStatusReports(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if sh.count() != 5 || len(q.invalid) != 3 {
		t.Fatalf("%d left, %d quarantined after a cancel before the deletion", sh.count(), len(q.invalid))
	}
	again := newQuarantine()
	counts, err := c.DrainStatusReports(testContext(t), again.config())
	if err != nil || counts.Deleted != 5 || sh.count() != 0 || len(again.invalid) != 3 || len(again.valid) != 2 {
		t.Fatalf("second drain: %+v, %v, %d left, %d quarantined", counts, err, sh.count(), len(again.invalid))
	}
}

// A report that breaks the contract and has no jobId cannot be deleted: even with quarantine it
// stays in place, named, and is not handed over.
func TestDrainQuarantineLeavesAReportWithoutAJobID(t *testing.T) {
	sh := newShelf()
	sh.put("none", withField(t, nil, "jobId"))
	sh.put("FJGOOD", reportOf(t, "FJGOOD"))
	dc := newHostileLister(t, sh.list, sh.remove)
	q := newQuarantine()
	_, err := newClient(t, dc.dataCenter).DrainStatusReports(testContext(t), q.config())
	mustFail(t, err, faxreport.ErrInvalidResponse)
	if sh.count() != 1 || len(q.invalid) != 0 || len(q.valid) != 1 {
		t.Fatalf("%d left, %d quarantined, %d handed over", sh.count(), len(q.invalid), len(q.valid))
	}
}
