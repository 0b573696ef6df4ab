package faxreport_test

import (
	"context"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

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
	_, err = c.DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: func(context.Context, []*faxreport.Report) error { return nil }})
	mustFail(t, err, faxreport.ErrInvalidResponse)
	if s.Count() != 10 {
		t.Fatalf("%d reports left, want 10", s.Count())
	}
	cfg.MaxListResponseBytes = -1
	_, err = faxreport.New(cfg)
	mustFail(t, err, faxreport.ErrInvalidArgument)
}
