package faxreport_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// collector is a drain handler that records what it was handed and checks that each report
// is still in the fake when handed over: a report deleted before its handler ran would fail.
type collector struct {
	t      *testing.T
	s      *faxtest.Server
	mu     sync.Mutex
	handed map[string]int
	// accepted holds the jobs of the pages the handler returned nil for: a job deleted but
	// never accepted was deleted before its handler succeeded.
	accepted map[string]bool
	fail     func(call int) error // the handler's answer to its call-th call (1-based); nil: accept
	calls    int
}

func newCollector(t *testing.T, s *faxtest.Server) *collector {
	return &collector{t: t, s: s, handed: map[string]int{}, accepted: map[string]bool{}}
}

func (c *collector) handle(_ context.Context, page []*faxreport.Report) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	for _, r := range page {
		held := false
		for _, dc := range c.s.DataCenters() {
			held = held || dc.Has(r.JobID)
		}
		if !held {
			c.t.Errorf("%s handed over after its deletion", r.JobID)
		}
		c.handed[r.JobID]++
	}
	if c.fail != nil {
		if err := c.fail(c.calls); err != nil {
			return err
		}
	}
	for _, r := range page {
		c.accepted[r.JobID] = true
	}
	return nil
}

func TestDrainHandsOverEveryReportOnceAndDeletesThem(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	ids := s.SeedReports(2500)
	col := newCollector(t, s)
	counts, err := c.DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: col.handle})
	if err != nil {
		t.Fatal(err)
	}
	want := faxreport.DrainCounts{Pages: 4, Reports: 2500, Deleted: 2500} // 1000 + 250 per data center
	if counts != want {
		t.Errorf("counts %+v, want %+v", counts, want)
	}
	for _, id := range ids {
		if col.handed[id] != 1 {
			t.Fatalf("%s handed over %d times", id, col.handed[id])
		}
	}
	if s.Count() != 0 {
		t.Fatalf("%d reports left behind", s.Count())
	}
	for _, dc := range s.DataCenters() {
		var lists, deletes int
		for _, r := range dc.Requests() {
			switch r.Method {
			case http.MethodGet:
				lists++
			case http.MethodPost:
				deletes++
			default:
				t.Errorf("drain sent %s %s", r.Method, r.Path) // never delete-oldest
			}
		}
		if lists != 3 || deletes != 2 {
			t.Errorf("%d lists and %d bulk deletes, want 3 and 2", lists, deletes)
		}
	}
}

func TestDrainUnderFaultsLosesNothing(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	ids := s.SeedReports(2500)
	// First a lost delete answer in one data center and a 503 in the other, for sure; then
	// faults at random.
	s.DataCenter(0).Inject(faxtest.Fault{Latency: time.Nanosecond, Times: 1}) // the listing
	s.DataCenter(0).Inject(faxtest.Fault{DropAnswer: true, Times: 1})         // the deletion
	s.DataCenter(1).Inject(faxtest.Fault{Status: http.StatusServiceUnavailable, Times: 1})
	for _, dc := range s.DataCenters() {
		dc.InjectRandom(0.2,
			faxtest.Fault{Status: http.StatusServiceUnavailable},
			faxtest.Fault{Drop: true},
			faxtest.Fault{DropAnswer: true},
			faxtest.Fault{Status: http.StatusInternalServerError, EmptyBody: true})
	}
	col := newCollector(t, s)
	errHandler := errors.New("handler failed once")
	col.fail = func(call int) error {
		if call == 2 {
			return errHandler
		}
		return nil
	}
	var sawHandlerErr bool
	for run := 0; s.Count() > 0; run++ { // at-least-once: rerun until the fake is empty
		if run == 30 {
			t.Fatalf("%d reports still there after %d drains", s.Count(), run)
		}
		_, err := c.DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: col.handle})
		sawHandlerErr = sawHandlerErr || errors.Is(err, errHandler)
	}
	lost := 0
	for _, r := range s.DataCenter(0).Requests() {
		if r.Status == 0 {
			lost++
		}
	}
	if lost == 0 {
		t.Error("no answer was lost in data center 0: the faults did not apply")
	}
	if !sawHandlerErr {
		t.Error("the handler's error was not returned")
	}
	for _, id := range ids {
		if !col.accepted[id] {
			t.Fatalf("%s deleted without its handler succeeding", id)
		}
	}
	if len(col.handed) != len(ids) {
		t.Fatalf("%d distinct reports handed over, want %d", len(col.handed), len(ids))
	}
}

func TestDrainHandlerErrorDeletesNothingOfThatPage(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	s.SeedReports(10)
	errHandler := errors.New("disk full")
	col := newCollector(t, s)
	col.fail = func(int) error { return errHandler }
	counts, err := c.DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: col.handle})
	mustFail(t, err, errHandler)
	if s.Count() != 10 || counts.Deleted != 0 {
		t.Fatalf("%d reports left, %d deleted: a refused page was deleted", s.Count(), counts.Deleted)
	}
	for _, r := range s.Requests() {
		if r.Method != http.MethodGet {
			t.Fatalf("drain sent %s after the handler refused", r.Method)
		}
	}
	if col.calls != 1 {
		t.Errorf("handler called %d times: the drain went on after an error", col.calls)
	}
}

func TestDrainCancelledAfterTheHandlerHandsTheSameReportsOverAgain(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{DataCenters: 1})
	ids := s.SeedReports(5)
	ctx, cancel := context.WithCancel(testContext(t))
	col := newCollector(t, s)
	col.fail = func(int) error { cancel(); return nil } // a crash between handler and delete
	if _, err := c.DrainStatusReports(ctx, faxreport.DrainConfig{Handle: col.handle}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if s.Count() != 5 {
		t.Fatalf("%d reports left after a cancel before the delete", s.Count())
	}
	col.fail = nil
	counts, err := c.DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: col.handle})
	if err != nil || counts.Deleted != 5 {
		t.Fatalf("second drain: %+v, %v", counts, err)
	}
	for _, id := range ids {
		if col.handed[id] != 2 {
			t.Fatalf("%s handed over %d times, want 2", id, col.handed[id])
		}
	}
}

func TestDrainLostDeleteAnswerIsDoneAndDoesNotLoop(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{DataCenters: 1})
	s.SeedReports(5)
	dc := s.DataCenter(0)
	dc.Inject(faxtest.Fault{Latency: time.Nanosecond, Times: 1}) // the listing: answered
	dc.Inject(faxtest.Fault{DropAnswer: true, Times: 1})         // the delete: applied, answer lost
	col := newCollector(t, s)
	counts, err := c.DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: col.handle})
	if err != nil {
		t.Fatal(err)
	}
	if want := (faxreport.DrainCounts{Pages: 1, Reports: 5, Gone: 5}); counts != want || s.Count() != 0 {
		t.Fatalf("counts %+v, want %+v; %d left", counts, want, s.Count())
	}
}

func TestDrainNilHandlerIsAnInvalidArgument(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	_, err := c.DrainStatusReports(testContext(t), faxreport.DrainConfig{})
	mustFail(t, err, faxreport.ErrInvalidArgument)
	if n := len(s.Requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}
