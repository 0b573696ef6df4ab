package faxreport_test

import (
	"context"
	"encoding/json"
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
	counts, err := c.DrainStatusReportsJSON(testContext(t), func(_ context.Context, page []json.RawMessage) error {
		handed.Add(int64(len(page)))
		for _, raw := range page {
			size.Add(int64(len(raw)))
		}
		return nil
	})
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
	for _, r := range c.GetStatusReports(testContext(t), ids) {
		if r.Err != nil || len(r.Report.RecipientStatus) != 25 {
			t.Fatalf("%s: %+v", r.JobID, r)
		}
	}
	if n := s.DataCenter(0).RequestCount(); n != 1 {
		t.Fatalf("the bulk read took %d requests, want 1", n)
	}
}

// MaxListResponseBytes caps a listing, by default at ListLimit times MaxResponseBytes: a
// listing over MaxResponseBytes but under that is read, one over MaxListResponseBytes is
// refused as an invalid response, and nothing of it is deleted.
func TestListResponseCap(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1})
	s.SeedReportsOf(10, 10) // about 2 KB each
	cfg := s.Config()
	cfg.Retry = fastRetry
	cfg.MaxResponseBytes = 4 << 10
	c, err := faxreport.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if listing, err := c.ListStatusReports(testContext(t)); err != nil || listing.Count() != 10 {
		t.Fatalf("listed %d reports: %v", listing.Count(), err)
	}

	cfg.MaxListResponseBytes = 10 << 10
	if c, err = faxreport.New(cfg); err != nil {
		t.Fatal(err)
	}
	_, err = c.ListStatusReports(testContext(t))
	mustFail(t, err, faxreport.ErrInvalidResponse)
	_, err = c.DrainStatusReports(testContext(t), func(context.Context, []*faxreport.Report) error { return nil })
	mustFail(t, err, faxreport.ErrInvalidResponse)
	if s.Count() != 10 {
		t.Fatalf("%d reports left, want 10", s.Count())
	}
	cfg.MaxListResponseBytes = -1
	_, err = faxreport.New(cfg)
	mustFail(t, err, faxreport.ErrInvalidArgument)
}
