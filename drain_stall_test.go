package faxreport_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/faxreport/faxreport"
)

// A data center that deletes nothing and lists its reports in a cycle, however long, stops the
// drain once a report comes round again: no deadline needed.
func TestDrainStopsADataCenterListingInACycle(t *testing.T) {
	for _, cycle := range []int{5, 7, 40} {
		t.Run(fmt.Sprint(cycle), func(t *testing.T) {
			dc := newHostileLister(t, func(n int) [][]byte { return [][]byte{newReport(fmt.Sprint("FJC", n%cycle)).json()} }, deletedAnswer)
			calls := 0
			counts, err := newClient(t, dc.dataCenter).DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: func(context.Context, []*faxreport.Report) error {
				calls++
				return nil
			}})
			mustFail(t, err, faxreport.ErrDrainStalled)
			if calls != cycle || counts.Deleted != cycle-1 {
				t.Fatalf("handler called %d times, counts %+v, for a cycle of %d", calls, counts, cycle)
			}
		})
	}
}

// A page that a data center said it deleted (or did not find), then lists again, is not counted
// as deleted (or gone): the listing proved it was not.
func TestDrainCountsAPageListedAgainAsNotDeleted(t *testing.T) {
	page := make([][]byte, 20)
	for i := range page {
		page[i] = newReport(fmt.Sprint("FJP", i)).json()
	}
	for name, answer := range map[string]func(string) string{"deleted": deletedAnswer, "not found": notFoundAnswer} {
		t.Run(name, func(t *testing.T) {
			dc := newHostileLister(t, func(int) [][]byte { return page }, answer)
			counts, err := newClient(t, dc.dataCenter).DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: func(context.Context, []*faxreport.Report) error { return nil }})
			mustFail(t, err, faxreport.ErrDrainStalled)
			if want := (faxreport.DrainCounts{Pages: 1, Reports: 20}); counts != want {
				t.Fatalf("counts %+v, want %+v", counts, want)
			}
		})
	}
}
