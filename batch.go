package faxreport

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// ReportResult is the outcome of one job of GetStatusReports: a report or an error.
type ReportResult struct {
	JobID  string
	Report *Report
	Err    error
}

// BatchOption configures GetStatusReports.
type BatchOption func(*batchConfig)

type batchConfig struct{ concurrency int }

// DefaultConcurrency is how many jobs GetStatusReports fetches at once by default.
const DefaultConcurrency = 8

// WithConcurrency sets how many jobs GetStatusReports fetches at once (0: the default, 8): at
// most that many requests are in flight to each data center.
func WithConcurrency(n int) BatchOption { return func(c *batchConfig) { c.concurrency = n } }

// GetStatusReports fetches the reports of many jobs. The results are in the order of jobIDs,
// one per ID, each with its report or its own error, so that one failure loses nothing else; a
// duplicated ID is fetched once and its result repeated (the same *Report). Cancelling ctx
// stops new fetches at once: the jobs not yet fetched get the context's error.
//
// It reads in bulk: at most ListLimit jobs per request, sent to every data center. A job that
// no data center returned is confirmed with the single-report call (GetStatusReport's rules)
// before it is called not found, so ErrNotFound still means that every data center answered
// 404 for it. A data center that refuses a bulk request (a 4xx other than 401 and 429) or
// answers it unusably is asked job by job for that chunk's jobs that the others did not
// return; one that fails otherwise (401, 5xx or no answer after the retries) makes those jobs'
// errors a *RegionError naming it. The bulk reads of a chunk end as soon as the answers in hand
// hold all its jobs; until then, a data center that does not answer holds the chunk up until
// its attempt times out or ctx ends.
//
// A fixed pool of workers does the work, never a goroutine per ID, and one slot per request in
// flight to each data center bounds this call's requests to each data center by the
// concurrency (WithConcurrency).
func (c *Client) GetStatusReports(ctx context.Context, jobIDs []string, opts ...BatchOption) []ReportResult {
	cfg := batchConfig{concurrency: DefaultConcurrency}
	for _, opt := range opts {
		opt(&cfg)
	}
	results := make([]ReportResult, len(jobIDs))
	if cfg.concurrency == 0 {
		cfg.concurrency = DefaultConcurrency
	}
	if cfg.concurrency < 0 {
		err := fmt.Errorf("faxreport: %w: concurrency %d", ErrInvalidArgument, cfg.concurrency)
		for i, id := range jobIDs {
			results[i] = ReportResult{JobID: id, Err: err}
		}
		return results
	}
	ids, index := uniqueIDs(jobIDs, func(i int, err error) { results[i] = ReportResult{JobID: jobIDs[i], Err: err} })
	slots := make([]chan struct{}, len(c.dataCenters))
	for i := range slots {
		slots[i] = make(chan struct{}, cfg.concurrency)
	}
	set := func(id string, r *Report, err error) {
		results[index[id]] = ReportResult{JobID: id, Report: r, Err: err}
	}

	var mu sync.Mutex
	var confirm []string
	forEachChunk(ids, cfg.concurrency, func(chunk []string) {
		unreturned := c.readChunk(ctx, chunk, slots, set)
		mu.Lock()
		confirm = append(confirm, unreturned...)
		mu.Unlock()
	})
	c.getEach(ctx, confirm, cfg.concurrency, slots, set)

	for i, id := range jobIDs {
		if first := index[id]; first != i {
			results[i] = results[first]
		}
	}
	return results
}

// getEach fetches each of ids with the single-report call, with a pool of workers.
func (c *Client) getEach(ctx context.Context, ids []string, workers int, slots []chan struct{}, set func(id string, r *Report, err error)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, len(ids)) {
		wg.Go(func() {
			for n := int(next.Add(1) - 1); n < len(ids); n = int(next.Add(1) - 1) {
				id := ids[n]
				if err := ctx.Err(); err != nil {
					set(id, nil, fmt.Errorf("faxreport: job %s not fetched: %w", quoteID(id), context.Cause(ctx)))
					continue
				}
				r, err := c.getStatusReport(ctx, id, slots)
				set(id, r, err)
			}
		})
	}
	wg.Wait()
}
