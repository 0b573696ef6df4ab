package faxreport_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// A handler that panics does not crash the caller: the drain recovers the panic and returns it
// as an error naming the data center of the page; nothing of that page is deleted, and the other
// data center stops cleanly, without an error and without another page.
func TestDrainRecoversAHandlerPanic(t *testing.T) {
	for name, cfg := range map[string]func(handle func()) faxreport.DrainConfig{
		"Handle": func(handle func()) faxreport.DrainConfig {
			return faxreport.DrainConfig{Handle: func(context.Context, []*faxreport.Report) error { handle(); return nil }}
		},
		"HandleJSON": func(handle func()) faxreport.DrainConfig {
			return faxreport.DrainConfig{HandleJSON: func(context.Context, []faxreport.RawReport) error { handle(); return nil }}
		},
	} {
		t.Run(name, func(t *testing.T) {
			s, c := fakeClient(t, faxtest.Options{})
			s.SeedReports(10)
			calls := 0
			_, err := c.DrainStatusReports(testContext(t), cfg(func() {
				calls++
				panic("boom")
			}))
			var panicked *faxreport.HandlerPanicError
			var failed *faxreport.DataCentersError
			if !errors.As(err, &panicked) || panicked.Value != "boom" || !slices.Contains(c.Endpoints(), panicked.DataCenter) || len(panicked.Stack) == 0 {
				t.Fatalf("err %v, want a *HandlerPanicError naming a data center", err)
			}
			if !errors.As(err, &failed) || len(failed.Failed) != 1 || failed.Failed[0].Endpoint != panicked.DataCenter ||
				!strings.HasSuffix(err.Error(), panicked.DataCenter+": drain handler panicked: boom") {
				t.Fatalf("err %v: want only the panicking data center to have failed", err)
			}
			if calls != 1 || s.Count() != 10 {
				t.Fatalf("handler called %d times, %d reports left", calls, s.Count())
			}
			for _, r := range s.Requests() {
				if r.Method != http.MethodGet {
					t.Fatalf("drain sent %s after the handler panicked", r.Method)
				}
			}
		})
	}
}

// A panic in HandleInvalid is recovered the same way: nothing of that page is deleted, the valid
// reports of it included.
func TestDrainRecoversAnInvalidReportHandlerPanic(t *testing.T) {
	sh, dc, _ := fill(t, 2, 2)
	q := newQuarantine()
	cfg := q.config()
	cfg.HandleInvalid = func(context.Context, []faxreport.InvalidReport) error { panic(errors.New("boom")) }
	_, err := newClient(t, dc.dataCenter).DrainStatusReports(testContext(t), cfg)
	var panicked *faxreport.HandlerPanicError
	if !errors.As(err, &panicked) || panicked.DataCenter != dc.BaseURL() || sh.count() != 4 || len(dc.deletes) != 0 {
		t.Fatalf("err %v, %d left, %d deletions", err, sh.count(), len(dc.deletes))
	}
}
