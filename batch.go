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

// GetStatusReports fetches the reports of many jobs with bounded concurrency. The results are in
// the order of jobIDs, one per ID, each with its report or its own error, so that one failure
// loses nothing else; a duplicated ID is fetched once and its result repeated (the same
// *Report). Cancelling ctx
// stops new fetches at once: the jobs not yet fetched get the context's error.
//
// It runs a fixed pool of workers, never a goroutine per ID, and holds one slot per request in
// flight to each data center, so that no data center ever has more than the configured number
// of this call's requests, stragglers included, while a slow data center delays no worker.
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

	firstOf := make(map[string]int, len(jobIDs)) // ID -> index of its first occurrence
	var unique []int                             // indexes of first occurrences, in order
	for i, id := range jobIDs {
		if _, seen := firstOf[id]; !seen {
			firstOf[id] = i
			unique = append(unique, i)
		}
	}
	slots := make([]chan struct{}, len(c.dataCenters))
	for i := range slots {
		slots[i] = make(chan struct{}, cfg.concurrency)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(cfg.concurrency, len(unique)) {
		wg.Go(func() {
			for {
				n := int(next.Add(1) - 1)
				if n >= len(unique) {
					return
				}
				i := unique[n]
				results[i].JobID = jobIDs[i]
				if err := ctx.Err(); err != nil {
					results[i].Err = fmt.Errorf("faxreport: job %s not fetched: %w", quoteID(jobIDs[i]), context.Cause(ctx))
					continue
				}
				results[i].Report, results[i].Err = c.getStatusReport(ctx, jobIDs[i], slots)
			}
		})
	}
	wg.Wait()
	for i, id := range jobIDs {
		if first := firstOf[id]; first != i {
			results[i] = results[first]
		}
	}
	return results
}
