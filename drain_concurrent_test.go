package faxreport_test

import (
	"context"
	"sync"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// Two drains of one account at once (two schedulers, an overlap), each writing to its own
// store: both finish without error, a report the other took first is gone, not a stall, and
// every report reaches one store or both. The first page of each is held until both have one,
// so that both surely took the same page before either deleted it.
func TestTwoDrainsOfOneAccountBothFinishAndLoseNothing(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{DataCenters: 1})
	ids := s.SeedReports(1200)
	stores := [2]map[string]bool{{}, {}}
	firstPage := [2]chan struct{}{make(chan struct{}), make(chan struct{})}
	var counts [2]faxreport.DrainCounts
	var errs [2]error
	var wg sync.WaitGroup
	for i := range stores {
		wg.Go(func() {
			ctx := testContext(t)
			counts[i], errs[i] = c.DrainStatusReports(ctx, faxreport.DrainConfig{Handle: func(ctx context.Context, page []*faxreport.Report) error {
				if len(stores[i]) == 0 {
					close(firstPage[i])
					select {
					case <-firstPage[1-i]:
					case <-ctx.Done():
						return ctx.Err()
					}
				}
				for _, r := range page {
					stores[i][r.JobID] = true
				}
				return nil
			}})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("drain %d: %v", i, err)
		}
	}
	for _, id := range ids {
		if !stores[0][id] && !stores[1][id] {
			t.Fatalf("%s deleted, never handed over", id)
		}
	}
	gone := counts[0].Gone + counts[1].Gone
	if s.Count() != 0 || counts[0].Deleted+counts[1].Deleted != len(ids) || gone < faxreport.ListLimit {
		t.Fatalf("%d left; counts %+v and %+v", s.Count(), counts[0], counts[1])
	}
}
