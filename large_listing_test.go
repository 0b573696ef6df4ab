//go:build !race

// Volume tests: too slow under the race detector (minutes), so `make test` runs them in a pass
// of their own without it.

package faxreport_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// A listing of 1000 reports with 100 recipients each (about 19 MB, far over the 4 MiB cap on a
// single report) is listed and drained.
func TestLargeListingDrains(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{DataCenters: 1})
	s.SeedReportsOf(faxreport.ListLimit, 100)
	var handed, size atomic.Int64
	counts, err := c.DrainStatusReports(testContext(t), faxreport.DrainConfig{HandleJSON: func(_ context.Context, page []faxreport.RawReport) error {
		handed.Add(int64(len(page)))
		for _, r := range page {
			size.Add(int64(len(r.JSON)))
		}
		return nil
	}})
	if err != nil || handed.Load() != faxreport.ListLimit || counts.Deleted != faxreport.ListLimit || s.Count() != 0 {
		t.Fatalf("drained %d, %+v, %d left: %v", handed.Load(), counts, s.Count(), err)
	}
	if size.Load() < 4*faxreport.DefaultMaxResponseBytes {
		t.Fatalf("a listing of %d bytes: not the size this test is about", size.Load())
	}
}

// A bulk read of 1000 reports with 25 recipients each (a 5 MB answer, over the 4 MiB cap on a
// single report) takes one request, not one per job.
func TestLargeBulkReadIsOneRequest(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{DataCenters: 1})
	ids := s.SeedReportsOf(faxreport.ListLimit, 25)
	for _, r := range c.GetStatusReports(testContext(t), ids, faxreport.BatchOptions{}) {
		if r.Err != nil || len(r.Report.RecipientStatus) != 25 {
			t.Fatalf("%s: %+v", r.JobID, r)
		}
	}
	if n := s.DataCenter(0).RequestCount(); n != 1 {
		t.Fatalf("the bulk read took %d requests, want 1", n)
	}
}
