//go:build soak

package faxreport_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// TestSoak drives 10 000 GetStatusReport, WaitForStatusReport and GetStatusReports calls from
// many goroutines against a region whose data centers inject random latency, 5xx, 503 with
// Retry-After, dropped connections and malformed bodies, and checks every outcome against what
// the fake knows. Run it with `make soak` (-race, build tag soak).
func TestSoak(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	const (
		calls   = 10_000
		workers = 32
		jobs    = 400
	)
	s := faxtest.NewServer(faxtest.Options{DataCenters: 2})
	defer s.Close()
	exists := map[string]bool{}
	ids := make([]string, 0, jobs+jobs/4)
	for i := range jobs {
		id := fmt.Sprintf("FJSOAK%06d", i)
		ids = append(ids, id)
		exists[id] = true
		r := newReport(id, faxreport.StatusOK, faxreport.StatusBusy).model()
		if i%10 == 0 {
			s.PutPending(r, faxtest.Pending{Reads: 1_000_000}) // waited for below; pending "forever" unless reads
		} else {
			s.Put(r)
		}
	}
	for i := range jobs / 4 {
		ids = append(ids, fmt.Sprintf("FJGONE%06d", i)) // no data center has these
	}
	for _, dc := range s.DataCenters() {
		dc.InjectRandom(0.15,
			faxtest.Fault{Latency: 20 * time.Millisecond},
			faxtest.Fault{Status: http.StatusInternalServerError},
			faxtest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "0"},
			faxtest.Fault{Status: 520, EmptyBody: true},
			faxtest.Fault{Drop: true},
			faxtest.Fault{Malformed: []byte(`{"jobId":`)},
		)
	}
	cfg := s.Config()
	// Room in the idle pool for every request the workers can have in flight (32 workers, 4 per
	// batch), so that connections are counted, not churned by the pool's size.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns, transport.MaxIdleConnsPerHost = 0, 4*workers
	cfg.HTTPClient = &http.Client{Transport: transport}
	cfg.Retry = faxreport.RetryPolicy{MaxAttempts: 5, MinDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}
	client, err := faxreport.New(cfg)
	if err != nil {
		t.Fatal(err)
	}

	var (
		outcomes   sync.Map // outcome name -> *atomic.Int64
		violations atomic.Int64
		next       atomic.Int64
	)
	count := func(name string) {
		v, _ := outcomes.LoadOrStore(name, new(atomic.Int64))
		v.(*atomic.Int64).Add(1)
	}
	// check classifies one job's outcome and counts what must never happen.
	check := func(id string, r *faxreport.Report, err error) {
		switch {
		case err == nil && r.JobID != id:
			violations.Add(1)
			t.Errorf("asked for %s, got the report of %s", id, r.JobID)
		case err == nil && !exists[id]:
			violations.Add(1)
			t.Errorf("a report for %s, which no data center has", id)
		case err == nil:
			count("report")
		case errors.Is(err, faxreport.ErrNotFound) && exists[id]:
			violations.Add(1) // a lost report: its data center never answers 404
			t.Errorf("%s exists but was reported not found: %v", id, err)
		case errors.Is(err, faxreport.ErrNotFound):
			count("not found (true)")
		case errors.Is(err, faxreport.ErrInvalidResponse):
			count("invalid response (injected malformed body)")
		case errors.Is(err, faxreport.ErrUnavailable):
			count("unavailable (retries exhausted)")
		case errors.Is(err, context.DeadlineExceeded):
			count("deadline")
		default:
			violations.Add(1)
			t.Errorf("%s: unclassified error %v", id, err)
		}
	}

	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for next.Add(1) <= calls {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				switch n := rand.IntN(10); {
				case n < 7:
					id := ids[rand.IntN(len(ids))]
					r, err := client.GetStatusReport(ctx, id)
					check(id, r, err)
				case n < 8:
					id := ids[rand.IntN(jobs/10)*10] // a pending job: must time out, never be lost
					wctx, wcancel := context.WithTimeout(ctx, 30*time.Millisecond)
					_, err := client.WaitForStatusReport(wctx, id, faxreport.WaitOptions{MinPollInterval: time.Millisecond, MaxPollInterval: 5 * time.Millisecond})
					wcancel()
					var waitErr *faxreport.WaitError
					if errors.Is(err, faxreport.ErrNotFound) || err == nil || (!errors.As(err, &waitErr) && !errors.Is(err, faxreport.ErrInvalidResponse)) {
						violations.Add(1)
						t.Errorf("wait for pending %s: %v", id, err)
					}
					count("wait ended pending")
				default:
					batch := make([]string, 20)
					for i := range batch {
						batch[i] = ids[rand.IntN(len(ids))]
					}
					for _, res := range client.GetStatusReports(ctx, batch, faxreport.BatchOptions{Concurrency: 4}) {
						check(res.JobID, res.Report, res.Err)
					}
				}
				cancel()
			}
		})
	}
	wg.Wait()
	client.CloseIdleConnections()

	var requests, dropped int
	for _, r := range s.Requests() {
		requests++
		if r.Status == 0 {
			dropped++
		}
	}
	conns := s.Connections()
	outcomes.Range(func(k, v any) bool {
		t.Logf("%-45s %d", k, v.(*atomic.Int64).Load())
		return true
	})
	t.Logf("requests %d, connections %d, dropped or cut short %d", requests, conns, dropped)
	if violations.Load() != 0 {
		t.Fatalf("%d violations", violations.Load())
	}
	// Connections are reused: new ones come only from the concurrency (the idle pool's room),
	// dropped connections, and requests cancelled in flight (each wait ends at its deadline with
	// up to one request per data center in flight), never one per request.
	waits, _ := outcomes.Load("wait ended pending")
	cancelled := int(waits.(*atomic.Int64).Load()) * len(s.DataCenters())
	if limit := int64(4*workers*len(s.DataCenters()) + dropped + cancelled); conns > limit {
		t.Fatalf("%d connections for %d requests (limit %d)", conns, requests, limit)
	}
}
