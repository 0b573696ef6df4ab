package faxreport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/fanout"
	"github.com/faxreport/faxreport/internal/httpbody"
	"github.com/faxreport/faxreport/internal/retry"
	"github.com/faxreport/faxreport/internal/validate"
)

// call describes one operation, asked of one data center (ask) or of each of them (fetch,
// askEach).
type call[T any] struct {
	op     string
	method string
	jobID  string // the job of a request on a report; "" for one on the reports as a whole
	// body, when set, is the bulk request's body, read at each attempt: a retry may carry
	// fewer jobs than the first attempt.
	body    *gen.BulkRequest
	decoder *validate.Decoder[T]
	// accept judges the outcome of an attempt to dc, a decoded 200 (err nil) or an error: nil
	// wins; an error (maybe retry.Temporary) does not. attempts counts the attempts made to dc
	// so far, this one included. Without accept, every 200 wins.
	accept func(dc *dataCenter, attempts int, v *T, err error) error
	// slots, when set, bounds the requests in flight to each data center (one buffered channel
	// per data center, a slot held for each request).
	slots []chan struct{}
	// once makes one attempt, without retries (delete-oldest: a repeat would delete more).
	once bool
	// bytes, when set, gives the bytes of an answer that a fan-out compares with the winner's
	// (a report's; deletions that win all say the same: deleted).
	bytes func(*T) []byte
}

// fetch asks every data center at once and returns the first one's decoded 200 that passes
// accept. When none does, the error is the first data center's not-found error if every one of
// them said the job is not there, and a *RegionError naming each failure otherwise. Once one
// has won, the others finish the request they have in flight but start no new attempt.
func fetch[T any](ctx context.Context, c *Client, cl call[T]) (*T, error) {
	if len(c.dataCenters) == 1 { // nothing to race
		v, err := ask(ctx, c, cl, c.dataCenters[0], nil)
		if err != nil {
			return nil, c.notFoundOrRegionError(ctx, cl.op, cl.jobID, []error{err})
		}
		return v, nil
	}
	// Sequential calls reuse connections by waiting for the last call's stragglers (see
	// reuseWait); a batch bounds its requests with slots instead, and does not wait.
	var legDone []chan struct{} // closed as each leg ends, to find the stragglers
	if cl.slots == nil {
		c.awaitStragglers(ctx)
		legDone = make([]chan struct{}, len(c.dataCenters))
		for i := range legDone {
			legDone[i] = make(chan struct{})
		}
	}
	won := new(atomic.Bool)
	var first atomic.Pointer[answer] // with cl.bytes, the answer that wins: the first one
	v, errs, ok := fanout.First(ctx, len(c.dataCenters), c.stragglerGrace, func(ctx context.Context, i int) (*T, error) {
		if legDone != nil {
			defer close(legDone[i])
		}
		v, err := ask(ctx, c, cl, c.dataCenters[i], won)
		if err != nil || cl.bytes == nil {
			return v, err
		}
		mine := &answer{dc: i, bytes: cl.bytes(v)}
		if !first.CompareAndSwap(nil, mine) {
			if winner := first.Load(); !bytes.Equal(winner.bytes, mine.bytes) {
				c.warnDiffering(ctx, cl.op, cl.jobID, winner.dc, i)
			}
			return nil, fanout.ErrStraggler
		}
		return v, nil
	})
	if !ok {
		return nil, c.notFoundOrRegionError(ctx, cl.op, cl.jobID, errs)
	}
	won.Store(true)
	for i, done := range legDone {
		select {
		case <-done:
		default:
			c.dataCenters[i].straggler.Store(&done)
		}
	}
	return v, nil
}

// ask sends cl to data center dc with retries (one attempt when cl.once), which stop once won
// is set (won may be nil): every attempt goes through attempt, then cl.accept (when set) judges
// its outcome. It is the one way into the request path: fetch and askEach run it for each data
// center.
func ask[T any](ctx context.Context, c *Client, cl call[T], dc *dataCenter, won *atomic.Bool) (*T, error) {
	var slot chan struct{}
	if cl.slots != nil {
		slot = cl.slots[dc.index]
	}
	policy := c.retry
	if cl.once {
		policy = retry.Policy{MaxAttempts: 1}
	}
	return retry.Do(ctx, policy, func(attempts int) (*T, error) {
		if won != nil && won.Load() {
			return nil, fanout.ErrStraggler
		}
		v, err := attempt(ctx, c, cl, attempts, dc, slot)
		if cl.accept != nil {
			if err = cl.accept(dc, attempts, v, err); err != nil {
				v = nil
			}
		}
		return v, err
	})
}

// askEach runs ask(ctx, i) for every data center i at once and keeps every data center's own
// outcome, indexed like c.dataCenters: unlike fetch, no answer wins over the others.
func askEach[T any](ctx context.Context, c *Client, ask func(ctx context.Context, i int) (T, error)) ([]T, []error) {
	return fanout.All(ctx, len(c.dataCenters), ask)
}

// notFoundOrRegionError is the error of a call about jobID that no data center answered as
// asked, given each one's error (indexed like c.dataCenters): notFoundEverywhere's when every
// one said the job is not there, and a *RegionError otherwise.
func (c *Client) notFoundOrRegionError(ctx context.Context, op, jobID string, errs []error) error {
	regionErr := c.regionError(ctx, jobID, errs)
	if len(regionErr.Failed) == 0 && regionErr.cause == nil {
		return c.notFoundEverywhere(op, jobID, errs)
	}
	return regionErr
}

// regionError is the error of a job that no data center gave, given each data center's error
// (indexed like c.dataCenters; nil for one that answered without the job, errNotAsked for one
// not asked): each error that matches ErrNotFound, and is not an unconfirmed deletion, names a
// data center that does not hold the job, every other one a failure. The context's cause is
// kept when it ended the call.
func (c *Client) regionError(ctx context.Context, jobID string, errs []error) *RegionError {
	e := &RegionError{JobID: jobID}
	if ctx.Err() != nil {
		e.cause = context.Cause(ctx)
	}
	for i, err := range errs {
		switch url := c.dataCenters[i].url; {
		case err == errNotAsked: //nolint:errorlint // our own mark, never wrapped
		case err == nil, errors.Is(err, ErrNotFound) && !errors.Is(err, ErrDeleteUnconfirmed):
			e.NotFound = append(e.NotFound, url)
		default:
			e.Failed = append(e.Failed, &EndpointError{Endpoint: url, Err: err})
		}
	}
	return e
}

// errNotAsked marks, among the errors given to regionError, a data center that was not asked.
var errNotAsked = errors.New("not asked")

// notFoundEverywhere is the error of a call about jobID that every data center answered with
// an error matching ErrNotFound (errs, indexed like c.dataCenters): it names each data center
// with its answer and unwraps to the first (an *APIError for a 404).
func (c *Client) notFoundEverywhere(op, jobID string, errs []error) error {
	answers := make([]string, len(errs))
	for i, err := range errs {
		answers[i] = (&EndpointError{Endpoint: c.dataCenters[i].url, Err: err}).Error()
	}
	return &notFoundError{
		text:  fmt.Sprintf("faxreport: %s job %s: not found in any of %d data centers: %s", op, quoteID(jobID), len(errs), strings.Join(answers, "; ")),
		first: errs[0],
	}
}

// notFoundError is the error of notFoundEverywhere.
type notFoundError struct {
	text  string
	first error
}

func (e *notFoundError) Error() string { return e.text }
func (e *notFoundError) Unwrap() error { return e.first }

// answer is a data center's answer that passed accept, as bytes to compare: a job lives in one
// data center, so two that answer it differently break an invariant of the service, which is
// logged at warn level (the first answer is still the one returned).
type answer struct {
	dc    int
	bytes []byte
}

// warnDiffering logs that data centers used and ignored answered differently about one job.
func (c *Client) warnDiffering(ctx context.Context, op, jobID string, used, ignored int) {
	c.log.LogAttrs(ctx, slog.LevelWarn, "faxreport: two data centers answered differently about one job; the first answer is used",
		slog.String("op", op), slog.String("job", boundedID(c.scrub.String(jobID))),
		slog.String("used", c.dataCenters[used].url), slog.String("ignored", c.dataCenters[ignored].url))
}

// attempt sends one request of cl to data center dc and classifies the outcome: the decoded
// 200, a permanent error, or one marked retry.Temporary. With a slot, it holds it until the
// response has been read. The request and the reading of its answer end at the client's attempt
// timeout (when its http.Client has none of its own), as a temporary failure. n, the attempt's
// number, is for the debug log.
func attempt[T any](ctx context.Context, c *Client, cl call[T], n int, dc *dataCenter, slot chan struct{}) (*T, error) {
	if slot != nil {
		select {
		case slot <- struct{}{}:
			defer func() { <-slot }()
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
	}
	sendCtx := ctx
	if deadline, ok := ctx.Deadline(); c.attemptTimeout > 0 && (!ok || time.Until(deadline) > c.attemptTimeout) { // else ctx's is sooner
		var cancel context.CancelFunc
		sendCtx, cancel = context.WithTimeoutCause(ctx, c.attemptTimeout, c.attemptCause)
		defer cancel()
	}
	start := time.Now()
	op, jobID := cl.op, cl.jobID
	resp, err := c.send(sendCtx, dc, cl.method, jobID, cl.body)
	logging := c.log.Enabled(ctx, slog.LevelDebug)
	if err != nil {
		err = transportError(ctx, err)
		if logging {
			c.log.LogAttrs(ctx, slog.LevelDebug, "faxreport request failed", slog.String("op", op), slog.String("job", boundedID(jobID)), slog.Int("attempt", n), // job "" for calls about many jobs
				slog.String("endpoint", dc.url), slog.Duration("elapsed", time.Since(start)), slog.String("error", c.scrub.String(err.Error())))
		}
		return nil, err
	}
	body, err := readBody(resp, c.bodyLimit(op))
	if logging {
		c.log.LogAttrs(ctx, slog.LevelDebug, "faxreport request", slog.String("op", op), slog.String("job", boundedID(jobID)), slog.Int("attempt", n),
			slog.String("endpoint", dc.url), slog.Int("status", resp.StatusCode), slog.Int("bytes", len(body)), slog.Duration("elapsed", time.Since(start)))
	}
	switch {
	case errors.Is(err, errInformational), errors.Is(err, httpbody.ErrTooLarge):
		return nil, fmt.Errorf("%s: %w: %w", dc.url, ErrInvalidResponse, err)
	case err != nil:
		return nil, transportError(ctx, fmt.Errorf("read body: %w", err))
	case resp.StatusCode == http.StatusOK:
		v, err := cl.decoder.Decode(resp.Header.Get("Content-Type"), body)
		if err != nil {
			err = fmt.Errorf("%s: %w: %w", dc.url, ErrInvalidResponse, c.scrubbed(err, body))
		}
		return v, err
	}
	apiErr := newAPIError(op, dc.url, resp.StatusCode, c.scrub.Bytes(body))
	apiErr.Message = c.scrub.String(apiErr.Message) // it may have been JSON-escaped in the body
	if retryableStatus(resp.StatusCode) {
		after, _ := retry.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		return nil, retry.Temporary(apiErr, after)
	}
	return nil, apiErr
}

// retryableStatus lists the statuses after which the same request may succeed.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout, 520:
		return true
	}
	return false
}

// sameJob reports an answer about another job than the one asked for (a misrouting proxy or
// cache) as an invalid response.
func (c *Client) sameJob(dc *dataCenter, asked, got string) error {
	if got == asked {
		return nil
	}
	return fmt.Errorf("%s: %w: answer about job %s, not %s", dc.url, ErrInvalidResponse, httpbody.Excerpt(c.scrub.Bytes([]byte(got))), quoteID(asked))
}
