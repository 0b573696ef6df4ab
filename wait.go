package faxreport

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// WaitOptions configures WaitForStatusReport, WaitForStatusReportJSON, and per job
// WaitForStatusReports. The zero value takes every default.
type WaitOptions struct {
	// MinPollInterval and MaxPollInterval are the shortest and longest delay between two polls:
	// the delay grows from one to the other with jitter. Default DefaultMinPollInterval and
	// DefaultMaxPollInterval; one given alone moves the other's default to meet it.
	MinPollInterval, MaxPollInterval time.Duration
	// MaxWait bounds the whole wait, on top of the context's deadline. Default: the context's
	// deadline alone.
	MaxWait time.Duration
	// NotFoundLimit is how many polls may find no report, while the job is still being
	// processed, before the wait fails with ErrNotFound; default DefaultNotFoundLimit. A
	// negative one allows none: the first poll that finds no report ends the wait.
	NotFoundLimit int
}

// waitConfig is WaitOptions with the defaults in place.
type waitConfig struct {
	minDelay, maxDelay time.Duration
	maxWait            time.Duration
	notFoundLimit      int
}

// Defaults of WaitOptions.
const (
	DefaultMinPollInterval = 2 * time.Second
	DefaultMaxPollInterval = 30 * time.Second
	DefaultNotFoundLimit   = 10
)

// config is o with the defaults in place of its zero fields, or an error naming each option
// that cannot work.
func (o WaitOptions) config() (waitConfig, error) {
	// One interval given alone moves the other's default out of its way, so that it is never
	// refused for crossing a default the caller did not choose.
	minDelay := cmp.Or(o.MinPollInterval, DefaultMinPollInterval)
	if o.MinPollInterval == 0 && o.MaxPollInterval > 0 {
		minDelay = min(minDelay, o.MaxPollInterval)
	}
	cfg := waitConfig{
		minDelay:      minDelay,
		maxDelay:      cmp.Or(o.MaxPollInterval, max(DefaultMaxPollInterval, o.MinPollInterval)),
		maxWait:       o.MaxWait,
		notFoundLimit: max(cmp.Or(o.NotFoundLimit, DefaultNotFoundLimit), 0), // negative: none
	}
	var problems []string
	if cfg.minDelay <= 0 {
		problems = append(problems, fmt.Sprintf("min poll interval %v must be > 0", cfg.minDelay))
	}
	if cfg.maxDelay < cfg.minDelay {
		problems = append(problems, fmt.Sprintf("max poll interval %v must be >= the min poll interval %v", cfg.maxDelay, cfg.minDelay))
	}
	if cfg.maxWait < 0 {
		problems = append(problems, fmt.Sprintf("max wait %v must be >= 0", cfg.maxWait))
	}
	if problems != nil {
		return cfg, fmt.Errorf("faxreport: %w: wait options: %s", ErrInvalidArgument, strings.Join(problems, "; "))
	}
	return cfg, nil
}

// WaitError says that WaitForStatusReport (or WaitForStatusReportJSON) stopped before the
// report was final: the deadline came, the report never appeared, or a poll failed. It wraps the
// reason (Err), so errors.Is(err, context.DeadlineExceeded) tells a timeout.
type WaitError struct {
	JobID  string
	Waited time.Duration // from the call to the stop
	Polls  int           // polls made
	Last   *Report       // the last report seen, nil if none was
	// LastJSON is Last as the API sent it, byte for byte; nil if no report was seen.
	LastJSON json.RawMessage
	Err      error // why the wait stopped
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
	return fmt.Sprintf("faxreport: job %s not final after %v and %d polls (%s): %s", quoteID(e.JobID), e.Waited.Round(time.Millisecond), e.Polls, state,
		withoutPrefix(e.Err))
}

// Unwrap returns the reason the wait stopped.
func (e *WaitError) Unwrap() error { return e.Err }

// WaitForStatusReport polls the status report of a job until it exists and no recipient is
// PENDING, and returns it. A wait exists to ride out what a job and a region go through while
// it runs, so these count as "not yet" and the wait goes on: a 404 everywhere (the job may not
// be visible yet) up to the not-found limit; and, until the deadline, every transient failure of
// the region: a data center unavailable, a 5xx, a connection error, or a 404 in one data center
// while another failed. Only final errors end it early: ErrInvalidArgument and ErrUnauthorized,
// which no poll can change, and ErrInvalidResponse, since a data center that breaks the API's
// contract is a fault to report, not to hide behind retries. These are returned as they are.
// Delays between polls grow from the minimum to the maximum poll interval with jitter. When the
// next delay would reach the deadline (the context's, or MaxWait's), one last poll comes
// halfway to it instead; if the report is still not final then, the wait stops at once rather
// than sleep until the deadline.
//
// Every other stop is a *WaitError that says how long it waited, what it saw last and why it
// stopped: it matches context.DeadlineExceeded (or the context's cause) on a timeout, and also
// the last poll's error when that poll failed, so errors.Is(err, ErrUnavailable) tells a wait
// that ended while the region was failing.
func (c *Client) WaitForStatusReport(ctx context.Context, jobID string, opts WaitOptions) (*Report, error) {
	final, err := c.wait(ctx, jobID, opts)
	return final.Value, err
}

// WaitForStatusReportJSON is WaitForStatusReport for callers that want the final report exactly
// as the API sent it, as GetStatusReportJSON returns it: the same polls, whose report is final
// as IsReportFinal says of its model, and the bytes of the poll that found it so, byte for byte,
// unknown fields included: no further request is made.
//
// The options, the stops and the errors are WaitForStatusReport's. A *WaitError's Last is the
// model of the last report seen that was not final, and its LastJSON that same report's bytes.
func (c *Client) WaitForStatusReportJSON(ctx context.Context, jobID string, opts WaitOptions) (json.RawMessage, error) {
	final, err := c.wait(ctx, jobID, opts)
	return final.JSON, err
}

// wait polls jobID's report until it is final, as WaitForStatusReport describes, and returns
// the poll that found it so.
func (c *Client) wait(ctx context.Context, jobID string, opts WaitOptions) (reportRead, error) {
	cfg, err := opts.config()
	if err != nil {
		return reportRead{}, err
	}
	if err := checkJobID(jobID); err != nil {
		return reportRead{}, err
	}
	ctx, cancel := cfg.bound(ctx)
	defer cancel()
	polls := cfg.schedule()
	stop := &WaitError{JobID: jobID}
	start := time.Now()
	notFound := 0
	var lastErr error // the error of the last poll that the deadline did not cut, nil for a report
	for {
		p, err := c.getReport(ctx, jobID, nil)
		stop.Polls++
		switch {
		case err == nil && IsReportFinal(p.Value):
			return p, nil
		case ended(ctx): // the deadline or a cancel ended the poll, whatever else it says
			return reportRead{}, stop.at(start, endedBy(ctx), lastErr)
		}
		lastErr = err
		switch {
		case err == nil:
			stop.Last, stop.LastJSON = p.Value, p.JSON
		case endsWait(err):
			return reportRead{}, err
		case errors.Is(err, ErrNotFound):
			if notFound++; notFound > cfg.notFoundLimit {
				return reportRead{}, stop.at(start, err, nil)
			}
		}
		if err := polls.next(ctx, time.Now()); err != nil {
			return reportRead{}, stop.at(start, err, lastErr)
		}
	}
}

// ended reports whether ctx is done or its deadline has passed: a request's context carries
// the same deadline on a timer of its own, which may fire first, so a poll can fail with
// context.DeadlineExceeded while ctx.Err() is still nil.
func ended(ctx context.Context) bool {
	deadline, has := ctx.Deadline()
	return ctx.Err() != nil || has && !time.Now().Before(deadline)
}

// endedBy is why ctx ended: its cause, or its deadline when that passed before ctx says so.
func endedBy(ctx context.Context) error {
	return cmp.Or(context.Cause(ctx), context.DeadlineExceeded)
}

// at completes the error with the time waited and the reason: why it stopped, and the error of
// the last poll that ended on its own, when there is one and it is not the reason itself.
func (e *WaitError) at(start time.Time, why, last error) *WaitError {
	e.Waited = time.Since(start)
	e.Err = why
	if last != nil && !errors.Is(last, why) {
		e.Err = &stoppedAfter{why: why, last: last}
	}
	return e
}

// stoppedAfter is why a wait stopped and the error of its last poll; it matches both.
type stoppedAfter struct{ why, last error }

func (e *stoppedAfter) Error() string {
	return fmt.Sprintf("%v (last poll: %s)", e.why, withoutPrefix(e.last))
}

func (e *stoppedAfter) Unwrap() []error { return []error{e.why, e.last} }

// withoutPrefix is err's text without the package's "faxreport: " prefix, for an error that
// quotes another: one prefix is enough.
func withoutPrefix(err error) string { return strings.TrimPrefix(fmt.Sprint(err), "faxreport: ") }

// bound is ctx bounded by MaxWait, when there is one.
func (cfg waitConfig) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if cfg.maxWait > 0 {
		return context.WithTimeout(ctx, cfg.maxWait)
	}
	return context.WithCancel(ctx)
}

// schedule paces the polls of a wait: delays that grow from the minimum to the maximum poll
// interval with jitter, and the last poll halfway to the deadline.
type schedule struct {
	delays backoff.ExponentialBackOff
	min    time.Duration
	last   bool // the poll just made was the last one
}

func (cfg waitConfig) schedule() *schedule {
	s := &schedule{min: cfg.minDelay, delays: backoff.ExponentialBackOff{
		InitialInterval: cfg.minDelay, MaxInterval: cfg.maxDelay, Multiplier: 1.5, RandomizationFactor: 0.5,
	}}
	s.delays.Reset()
	return s
}

// next waits for the next poll, counting its delay from since (and never less than the minimum
// from now), and returns nil then; or why the wait stops instead: context.DeadlineExceeded
// after the last poll, or the context's cause when it ends first. When the deadline would come
// before the next delay ends, the next poll is the last: it comes halfway to the deadline, so
// that it has time to be answered.
func (s *schedule) next(ctx context.Context, since time.Time) error {
	if s.last {
		return context.DeadlineExceeded
	}
	delay := max(s.delays.NextBackOff(), s.min)
	if deadline, has := ctx.Deadline(); has && time.Until(deadline) <= delay {
		delay, s.last = max(time.Until(deadline)/2, 0), true
	} else {
		delay = max(delay-time.Since(since), s.min)
	}
	timer := time.NewTimer(delay)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
