package faxreport

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"
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

// BatchOptions configures GetStatusReports and DeleteStatusReports. The
// zero value takes every default.
type BatchOptions struct {
	// Concurrency bounds the chunks of ListLimit jobs, or the jobs asked one by one, handled at
	// once, and the requests in flight to each data center; default DefaultConcurrency. A
	// negative one is every job's error (ErrInvalidArgument).
	Concurrency int
}

// DefaultConcurrency is BatchOptions.Concurrency's default.
const DefaultConcurrency = 8

// concurrency is o.Concurrency, or its default when zero; a negative one is an error.
func (o BatchOptions) concurrency() (int, error) {
	switch {
	case o.Concurrency < 0:
		return 0, fmt.Errorf("faxreport: %w: concurrency %d", ErrInvalidArgument, o.Concurrency)
	case o.Concurrency == 0:
		return DefaultConcurrency, nil
	}
	return o.Concurrency, nil
}

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
// At most opts.Concurrency chunks, or jobs asked one by one, are handled at once, and at most
// that many requests are in flight to each data center.
func (c *Client) GetStatusReports(ctx context.Context, jobIDs []string, opts BatchOptions) []ReportResult {
	workers, err := opts.concurrency()
	b := c.newBatch(jobIDs, workers, err)
	var mu sync.Mutex
	var confirm []string
	var g errgroup.Group
	g.SetLimit(workers)
	for chunk := range slices.Chunk(b.jobs.ids, ListLimit) { // a bulk request carries at most ListLimit
		g.Go(func() error {
			unreturned := b.readChunk(ctx, chunk)
			mu.Lock()
			confirm = append(confirm, unreturned...)
			mu.Unlock()
			return nil
		})
	}
	_ = g.Wait() // each job keeps its own error
	b.getEach(ctx, confirm)
	return b.jobs.all()
}

// batch is one call of GetStatusReports, or the reads of a many-job wait.
type batch struct {
	c       *Client
	workers int
	slots   []chan struct{} // one per data center, a slot held for each request in flight there
	jobs    *jobResults[ReportResult]
}

// newBatch starts a batch of jobIDs with workers at once and as many requests in flight to
// each data center; err, when set, is every job's.
func (c *Client) newBatch(jobIDs []string, workers int, err error) *batch {
	return &batch{c: c, workers: workers, slots: c.requestSlots(workers),
		jobs: newJobResults(jobIDs, err, func(id string, err error) ReportResult { return ReportResult{JobID: id, Err: err} })}
}

// requestSlots returns, for each data center, a channel of n slots: one held for each request
// in flight there.
func (c *Client) requestSlots(n int) []chan struct{} {
	slots := make([]chan struct{}, len(c.dataCenters))
	for i := range slots {
		slots[i] = make(chan struct{}, n)
	}
	return slots
}

// set stores the outcome of job id.
func (b *batch) set(id string, r ReportResult) {
	r.JobID = id
	b.jobs.set(id, r)
}

// resultOf is the outcome of a job whose report was read.
func resultOf(r reportRead) ReportResult { return ReportResult{Report: r.Value, JSON: r.JSON} }

// notFetched is the outcome of a job left unread when ctx ended.
func notFetched(ctx context.Context, id string) ReportResult {
	return ReportResult{Err: fmt.Errorf("faxreport: job %s not fetched: %w", quoteID(id), context.Cause(ctx))}
}

// getEach reads each of ids with the single-report call, the batch's workers at a time.
func (b *batch) getEach(ctx context.Context, ids []string) {
	var g errgroup.Group
	g.SetLimit(b.workers)
	for _, id := range ids {
		g.Go(func() error {
			if ctx.Err() != nil {
				b.set(id, notFetched(ctx, id))
			} else {
				b.set(id, b.getOne(ctx, id))
			}
			return nil
		})
	}
	_ = g.Wait() // each job keeps its own error
}

// getOne reads jobID with the single-report call, under GetStatusReport's rules.
func (b *batch) getOne(ctx context.Context, jobID string) ReportResult {
	r, err := b.c.getReport(ctx, jobID, b.slots)
	if err != nil {
		return ReportResult{Err: err}
	}
	return resultOf(r)
}
