package faxreport

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
)

// ReportResult is the outcome of one job of GetStatusReports or WaitForStatusReports: the
// report, both as a model and as the API sent it, or an error.
type ReportResult struct {
	JobID  string
	Report *Report
	// JSON is Report exactly as the API sent it, validated against openapi.yaml, unknown fields
	// included: one read gives both.
	JSON json.RawMessage
	Err  error
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
// duplicated ID is fetched once and its result repeated (the same *Report). Each report comes
// as a model (Report) and exactly as the API sent it (JSON: its item of a bulk answer, or the
// body of the single-report call that confirmed it, byte for byte, unknown fields included).
// Cancelling ctx stops new fetches at once: the jobs not yet fetched get the context's error.
//
// It reads in bulk: at most ListLimit jobs per request, sent to every data center. A job that
// no data center returned is confirmed with the single-report call (GetStatusReport's rules)
// before it is called not found, so ErrNotFound still means that every data center answered
// 404 for it. A data center that refuses a bulk request (a 4xx other than 401 and 429) or
// answers it unusably (one report that breaks the contract, one about a job not asked for, or a
// job listed twice spoils its whole answer) is asked job by job for that chunk's jobs that the others did not
// return; one that fails otherwise (401, 5xx or no answer after the retries) makes those jobs'
// errors a *RegionError naming it. The bulk reads of a chunk end as soon as the answers in hand
// hold all its jobs; until then, a data center that does not answer holds the chunk up until
// its attempt times out or ctx ends.
//
// A fixed pool of workers does the work, never a goroutine per ID, and one slot per request in
// flight to each data center bounds this call's requests to each data center by the
// concurrency (WithConcurrency).
func (c *Client) GetStatusReports(ctx context.Context, jobIDs []string, opts ...BatchOption) []ReportResult {
	return c.getBatch(ctx, jobIDs, opts)
}

// batch is one call of GetStatusReports.
type batch struct {
	c       *Client
	workers int
	slots   []chan struct{} // one per data center, a slot held for each request in flight there
	results []ReportResult
	index   map[string]int // each distinct ID's first position in results
}

// getBatch is GetStatusReports.
func (c *Client) getBatch(ctx context.Context, jobIDs []string, opts []BatchOption) []ReportResult {
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
	b := &batch{c: c, workers: cfg.concurrency, slots: make([]chan struct{}, len(c.dataCenters)), results: results}
	for i := range b.slots {
		b.slots[i] = make(chan struct{}, cfg.concurrency)
	}
	var ids []string
	ids, b.index = uniqueIDs(jobIDs, func(i int, err error) { results[i] = ReportResult{JobID: jobIDs[i], Err: err} })

	var mu sync.Mutex
	var confirm []string
	forEachChunk(ids, cfg.concurrency, func(chunk []string) {
		unreturned := b.readChunk(ctx, chunk)
		mu.Lock()
		confirm = append(confirm, unreturned...)
		mu.Unlock()
	})
	b.getEach(ctx, confirm)

	for i, id := range jobIDs {
		if first := b.index[id]; first != i {
			results[i] = results[first]
		}
	}
	return results
}

// set stores the outcome of job id.
func (b *batch) set(id string, r ReportResult) {
	r.JobID = id
	b.results[b.index[id]] = r
}

// resultOf is the outcome of a job whose report was read.
func resultOf(r reportRead) ReportResult { return ReportResult{Report: r.report, JSON: r.body} }

// notFetched is the outcome of a job left unread when ctx ended.
func notFetched(ctx context.Context, id string) ReportResult {
	return ReportResult{Err: fmt.Errorf("faxreport: job %s not fetched: %w", quoteID(id), context.Cause(ctx))}
}

// getEach reads each of ids with the single-report call, with the batch's pool of workers.
func (b *batch) getEach(ctx context.Context, ids []string) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(b.workers, len(ids)) {
		wg.Go(func() {
			for n := int(next.Add(1) - 1); n < len(ids); n = int(next.Add(1) - 1) {
				id := ids[n]
				if ctx.Err() != nil {
					b.set(id, notFetched(ctx, id))
					continue
				}
				b.set(id, b.getOne(ctx, id))
			}
		})
	}
	wg.Wait()
}

// getOne reads jobID with the single-report call, under GetStatusReport's rules.
func (b *batch) getOne(ctx context.Context, jobID string) ReportResult {
	r, err := b.c.getReport(ctx, jobID, b.slots)
	if err != nil {
		return ReportResult{Err: err}
	}
	return resultOf(r)
}
