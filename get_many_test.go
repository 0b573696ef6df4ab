package faxreport_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

func TestGetStatusReportsManyWithBoundedConcurrency(t *testing.T) {
	if testing.Short() {
		t.Skip("10 000 jobs")
	}
	s, c := fakeClient(t, faxtest.Options{})
	const n, concurrency = 10_000, 16
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("FJ%08d", i)
		if i != 4321 { // one job that no data center has
			s.Put(newReport(ids[i], faxreport.StatusOK).model())
		}
	}
	// A generous deadline: 20 000 requests under -race on a loaded 2-core machine.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	results := c.GetStatusReports(ctx, ids, faxreport.BatchOptions{Concurrency: concurrency})
	if len(results) != n {
		t.Fatalf("%d results", len(results))
	}
	for i, r := range results {
		switch {
		case r.JobID != ids[i]:
			t.Fatalf("result %d is for %s, want %s: order lost", i, r.JobID, ids[i])
		case i == 4321:
			if !errors.Is(r.Err, faxreport.ErrNotFound) || r.Report != nil {
				t.Fatalf("missing job: %+v", r)
			}
		case r.Err != nil || r.Report.JobID != ids[i]:
			t.Fatalf("job %s: %+v", ids[i], r)
		}
	}
	for _, dc := range s.DataCenters() {
		if m := dc.MaxInFlight(); m > concurrency {
			t.Errorf("%s had %d requests in flight, more than %d", dc.URL(), m, concurrency)
		}
	}
	assertEachJobAskedAtMostOncePerDataCenter(t, s, n)
}

func TestGetStatusReportsDuplicatesFetchedOnce(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	s.Put(newReport("FJA", faxreport.StatusOK).model())
	s.Put(newReport("FJB", faxreport.StatusOK).model())
	results := c.GetStatusReports(testContext(t), []string{"FJA", "FJB", "FJA", "FJA", ".."}, faxreport.BatchOptions{})
	if len(results) != 5 || results[2].Report != results[0].Report || results[3].JobID != "FJA" {
		t.Fatalf("%+v", results)
	}
	if !errors.Is(results[4].Err, faxreport.ErrInvalidArgument) {
		t.Fatalf("invalid ID: %v", results[4].Err)
	}
	assertEachJobAskedAtMostOncePerDataCenter(t, s, 2)
}

func TestGetStatusReportsCancelStopsNewWork(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{DataCenters: 1})
	ids := make([]string, 1000)
	for i := range ids {
		ids[i] = fmt.Sprintf("FJ%04d", i)
		s.Put(newReport(ids[i], faxreport.StatusOK).model())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	results := c.GetStatusReports(ctx, ids, faxreport.BatchOptions{Concurrency: 4})
	for _, r := range results {
		if !errors.Is(r.Err, context.Canceled) {
			t.Fatalf("%s: %v", r.JobID, r.Err)
		}
	}
	if n := s.DataCenter(0).RequestCount(); n != 0 {
		t.Fatalf("%d requests after cancel", n)
	}
}
