package faxtest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
)

// states reads each job once through the client, in bulk, and names what each read saw:
// "PENDING", "final" or the error.
func states(t *testing.T, c *faxreport.Client, ids ...string) string {
	t.Helper()
	var seen []string
	for _, r := range c.GetStatusReports(context.Background(), ids, faxreport.BatchOptions{}) {
		switch {
		case r.Err != nil:
			seen = append(seen, r.Err.Error())
		case faxreport.IsReportFinal(r.Report):
			seen = append(seen, "final")
		default:
			seen = append(seen, "PENDING")
		}
	}
	return strings.Join(seen, " ")
}

func TestSeedPendingThenFinalAfterReads(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	c, _ := faxreport.New(s.Config())
	ids := s.SeedPending(3, faxtest.Pending{Reads: 2})
	for _, want := range []string{"PENDING PENDING PENDING", "PENDING PENDING PENDING", "final final final"} {
		if got := states(t, c, ids...); got != want {
			t.Fatalf("reads: %s, want %s", got, want)
		}
	}
	for _, id := range ids {
		if !s.Home(id).Has(id) {
			t.Fatalf("job %s not in its home data center", id)
		}
	}
}

func TestFinishAfterCountsSingleAndBulkReads(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	c, _ := faxreport.New(s.Config())
	s.LoadExamples()
	id := "FJJ66GHGX105ZZBIELVCN1" // final as stored: pending again for two reads
	s.FinishAfter(2, id)
	if r, err := c.GetStatusReport(context.Background(), id); err != nil || faxreport.IsReportFinal(r) {
		t.Fatalf("first read (single): %+v, %v; want pending", r, err)
	}
	if got := states(t, c, id); got != "PENDING" {
		t.Fatalf("second read (bulk): %s", got)
	}
	if got := states(t, c, id); got != "final" {
		t.Fatalf("third read (bulk): %s", got)
	}
}

func TestFinishAtAndFinish(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	c, _ := faxreport.New(s.Config())
	ids := s.SeedPending(2, faxtest.Pending{NotFoundReads: 100})
	s.FinishAt(time.Now().Add(time.Hour), ids...) // a job not visible yet appears, pending
	if got := states(t, c, ids...); got != "PENDING PENDING" {
		t.Fatalf("before the hour: %s", got)
	}
	s.Finish(ids[1])
	if got := states(t, c, ids...); got != "PENDING final" {
		t.Fatalf("after Finish of the second: %s", got)
	}
	s.FinishAt(time.Now().Add(-time.Second), ids[0]) // a time past: final at once
	if got := states(t, c, ids...); got != "final final" {
		t.Fatalf("after FinishAt in the past: %s", got)
	}
}

func TestTransitionsRefuseWhatTheyCannotDo(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.PutJSON(api.Example(api.ReportPending)) // its own body has a PENDING recipient
	for name, tc := range map[string]struct {
		do   func()
		want string
	}{
		"unknown job":    {func() { s.Finish("FJNOWHERE") }, `no data center holds job "FJNOWHERE"`},
		"pending body":   {func() { s.FinishAfter(1, "FJ0PENDING0REPORT00001") }, "stored with a PENDING recipient"},
		"unknown, timed": {func() { s.FinishAt(time.Now(), "FJNOWHERE") }, "store it before its transition"},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, tc.want) {
					t.Fatalf("panic %q, want it to say %q", msg, tc.want)
				}
			}()
			tc.do()
		})
	}
}
