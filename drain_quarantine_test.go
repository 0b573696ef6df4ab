package faxreport_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/faxreport/faxreport"
)

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
	sh.put("none", newReport(testJobID).with(nil, "jobId").json())
	sh.put("FJGOOD", newReport("FJGOOD").json())
	dc := newHostileLister(t, sh.list, sh.remove)
	q := newQuarantine()
	_, err := newClient(t, dc.dataCenter).DrainStatusReports(testContext(t), q.config())
	mustFail(t, err, faxreport.ErrInvalidResponse)
	if sh.count() != 1 || len(q.invalid) != 0 || len(q.valid) != 1 {
		t.Fatalf("%d left, %d quarantined, %d handed over", sh.count(), len(q.invalid), len(q.valid))
	}
}
