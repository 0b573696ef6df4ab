package faxreport

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// WaitOption configures WaitForStatusReport.
type WaitOption func(*waitConfig)

type waitConfig struct {
	minDelay, maxDelay time.Duration
	maxWait            time.Duration
	notFoundLimit      int
}

// Defaults of WaitForStatusReport.
const (
	DefaultMinPollInterval = 2 * time.Second
	DefaultMaxPollInterval = 30 * time.Second
	DefaultNotFoundLimit   = 10
)

// WithPollInterval sets the shortest and longest delay between two polls; the delay grows from
// min to max with jitter. Default 2 s and 30 s.
func WithPollInterval(min, max time.Duration) WaitOption {
	return func(c *waitConfig) { c.minDelay, c.maxDelay = min, max }
}

// WithMaxWait bounds the whole wait, on top of the context's deadline. Default: the context's
// deadline alone.
func WithMaxWait(d time.Duration) WaitOption { return func(c *waitConfig) { c.maxWait = d } }

// WithNotFoundLimit sets how many polls may find no report, while the job is still being
// processed, before the wait fails with ErrNotFound. Default 10.
func WithNotFoundLimit(n int) WaitOption { return func(c *waitConfig) { c.notFoundLimit = n } }

// WaitError says that WaitForStatusReport stopped before the report was final: the deadline
// came, the report never appeared, or a poll failed. It wraps the reason (Err), so
// errors.Is(err, context.DeadlineExceeded) tells a timeout.
type WaitError struct {
	JobID  string
	Waited time.Duration // from the call to the stop
	Polls  int           // polls made
	Last   *Report       // the last report seen, nil if none was
	Err    error         // why the wait stopped
}

func (e *WaitError) Error() string {
	state := "no report seen"
	if e.Last != nil {
		pending := 0
		for _, rs := range e.Last.RecipientStatus {
			if !IsFinalStatus(rs.Status) {
				pending++
			}
		}
		state = fmt.Sprintf("last seen %d of %d recipients pending", pending, len(e.Last.RecipientStatus))
	}
	return fmt.Sprintf("faxreport: job %q not final after %v and %d polls (%s): %v", e.JobID, e.Waited.Round(time.Millisecond), e.Polls, state, e.Err)
}

// Unwrap returns the reason the wait stopped.
func (e *WaitError) Unwrap() error { return e.Err }

// WaitForStatusReport polls the status report of a job until it exists and no recipient is
// PENDING, and returns it. A 404 counts as "not yet" up to the not-found limit, since a job
// still being processed may have no report. Delays between polls grow from the minimum to the
// maximum poll interval with jitter. When the next delay would reach the deadline (the
// context's, or WithMaxWait's), one last poll comes halfway to it instead; if the report is
// still not final then, the wait stops at once rather than sleep until the deadline.
//
// Errors: ErrInvalidArgument, ErrUnauthorized and ErrInvalidResponse stop the wait at once and
// are returned as they are; every other stop is a *WaitError that says how long it waited and
// what it saw last.
func (c *Client) WaitForStatusReport(ctx context.Context, jobID string, opts ...WaitOption) (*Report, error) {
	cfg := waitConfig{minDelay: DefaultMinPollInterval, maxDelay: DefaultMaxPollInterval, notFoundLimit: DefaultNotFoundLimit}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.minDelay <= 0 || cfg.maxDelay < cfg.minDelay || cfg.maxWait < 0 || cfg.notFoundLimit < 0 {
		return nil, fmt.Errorf("faxreport: %w: wait options: want 0 < min poll interval <= max, max wait and not-found limit >= 0", ErrInvalidArgument)
	}
	if err := checkJobID(jobID); err != nil {
		return nil, err
	}
	if cfg.maxWait > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.maxWait)
		defer cancel()
	}
	delays := &backoff.ExponentialBackOff{
		InitialInterval: cfg.minDelay, MaxInterval: cfg.maxDelay,
		Multiplier: 1.5, RandomizationFactor: 0.5,
	}
	delays.Reset()
	stop := &WaitError{JobID: jobID}
	start := time.Now()
	notFound, lastPoll := 0, false
	for {
		r, err := c.GetStatusReport(ctx, jobID)
		stop.Polls++
		switch {
		case err == nil && IsReportFinal(r):
			return r, nil
		case ctx.Err() != nil: // the deadline or a cancel ended the poll, whatever else it says
			return nil, stop.at(start, err)
		case err == nil:
			stop.Last = r
		case errors.Is(err, ErrInvalidArgument), errors.Is(err, ErrUnauthorized), errors.Is(err, ErrInvalidResponse):
			return nil, err
		case errors.Is(err, ErrNotFound):
			if notFound++; notFound > cfg.notFoundLimit {
				return nil, stop.at(start, err)
			}
		default:
			return nil, stop.at(start, err)
		}
		if lastPoll {
			return nil, stop.at(start, context.DeadlineExceeded)
		}
		var delay time.Duration
		delay, lastPoll = nextPoll(ctx, delays, cfg.minDelay)
		timer := time.NewTimer(delay)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return nil, stop.at(start, context.Cause(ctx))
		}
	}
}

// at completes the error with the time waited and the reason.
func (e *WaitError) at(start time.Time, err error) *WaitError {
	e.Waited = time.Since(start)
	e.Err = err
	return e
}

// nextPoll returns the delay before the next poll: the backoff's, and at least min. When the
// deadline would come first, the next poll is the last: it comes halfway to the deadline, so
// that it has time to be answered, and last is true.
func nextPoll(ctx context.Context, delays backoff.BackOff, min time.Duration) (delay time.Duration, last bool) {
	delay = max(delays.NextBackOff(), min)
	if deadline, has := ctx.Deadline(); has {
		if left := time.Until(deadline); left <= delay {
			return max(left/2, 0), true
		}
	}
	return delay, false
}
