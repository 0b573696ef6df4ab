package faxreport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/faxreport/faxreport/internal/endpoint"
	"github.com/faxreport/faxreport/internal/fanout"
	"github.com/faxreport/faxreport/internal/httpbody"
	"github.com/faxreport/faxreport/internal/retry"
	"github.com/faxreport/faxreport/internal/validate"
)

// sendFunc sends one request about jobID ("" for a request about many jobs) to a data center,
// through c.doer, with ctx's deadline. A plain function, not a closure, where it can be: it is
// called on every attempt and made on every call.
type sendFunc func(ctx context.Context, c *Client, dc *dataCenter, jobID string) (*http.Response, error)

// Operations, as named in errors and logs.
const (
	opGet    = "get"
	opDelete = "delete"
)

// call describes one operation on a job, asked of every data center.
type call[T any] struct {
	op, jobID string
	send      sendFunc
	decoder   *validate.Decoder[T]
	// accept judges the outcome of an attempt about jobID, a decoded 200 (err nil) or an error:
	// nil wins; an error (maybe retry.Temporary) does not. attempts counts the attempts made to
	// dc so far, this one included. Without accept, every 200 wins.
	accept func(c *Client, dc *dataCenter, jobID string, attempts int, v *T, err error) error
	// slots, when set, bounds the requests in flight to each data center (one buffered channel
	// per data center, a slot held for each request).
	slots []chan struct{}
}

// fetch asks every data center at once and returns the first one's decoded 200 that passes
// accept. When none does, the error is the first data center's not-found error if every one of
// them said the job is not there, and a *RegionError naming each failure otherwise. Once one
// has won, the others finish the request they have in flight but start no new attempt.
func fetch[T any](ctx context.Context, c *Client, cl call[T]) (*T, error) {
	// Sequential calls reuse connections by waiting for the last call's stragglers (see
	// reuseWait); a batch bounds its requests with slots instead, and does not wait.
	var legDone []chan struct{} // closed as each leg ends, to find the stragglers
	if len(c.dataCenters) > 1 && cl.slots == nil {
		c.awaitStragglers(ctx)
		legDone = make([]chan struct{}, len(c.dataCenters))
		for i := range legDone {
			legDone[i] = make(chan struct{})
		}
	}
	var (
		v    *T
		errs []error
		ok   bool
	)
	if len(c.dataCenters) == 1 { // nothing to race: no goroutine, no closure
		var err error
		if v, err = fetchFrom(ctx, c, cl, 0, nil, nil, nil); err != nil {
			errs = []error{err}
		}
		ok = err == nil
	} else {
		won, seen := new(atomic.Bool), &answers[T]{}
		v, errs, ok = fanout.First(ctx, len(c.dataCenters), stragglerGrace, func(ctx context.Context, i int) (*T, error) {
			return fetchFrom(ctx, c, cl, i, won, legDone, seen)
		})
		if ok {
			won.Store(true)
			seen.decide(ctx, c, cl, v)
		}
	}
	if ok {
		for i, done := range legDone {
			select {
			case <-done:
			default:
				c.dataCenters[i].straggler.Store(&done)
			}
		}
		return v, nil
	}
	regionErr := &RegionError{JobID: cl.jobID, cause: ctx.Err()}
	for i, err := range errs {
		if errors.Is(err, ErrNotFound) {
			regionErr.NotFound = append(regionErr.NotFound, c.dataCenters[i].url)
			continue
		}
		regionErr.Failed = append(regionErr.Failed, &EndpointError{Endpoint: c.dataCenters[i].url, Err: err})
	}
	if len(regionErr.Failed) == 0 && regionErr.cause == nil {
		return nil, c.notFoundEverywhere(cl.op, cl.jobID, errs)
	}
	return nil, regionErr
}

// fetchFrom is fetch's leg to data center i: the call with retries, which stop once won is
// set (nil with a single data center). It closes legDone[i] (when there are legDone) as it
// ends, and adds its answer to seen (when set).
func fetchFrom[T any](ctx context.Context, c *Client, cl call[T], i int, won *atomic.Bool, legDone []chan struct{}, seen *answers[T]) (*T, error) {
	dc := c.dataCenters[i]
	if legDone != nil {
		defer close(legDone[i])
	}
	var slot chan struct{}
	if cl.slots != nil {
		slot = cl.slots[i]
	}
	v, err := retry.Do(ctx, c.retry, func(attempts int) (*T, error) {
		if won != nil && won.Load() {
			return nil, fanout.ErrStraggler
		}
		v, err := attempt(ctx, c, cl.op, cl.jobID, attempts, dc, slot, cl.send, cl.decoder)
		if cl.accept != nil {
			if err = cl.accept(c, dc, cl.jobID, attempts, v, err); err != nil {
				v = nil
			}
		}
		return v, err
	})
	if err == nil && seen != nil {
		seen.add(ctx, c, cl, i, v)
	}
	return v, err
}

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

// answers keeps the successful answers of a fan-out to compare them with the winner's: a job
// lives in one data center, so two that answer it differently break an invariant of the
// service, which is logged at warn level (the winner's answer is still the one returned).
type answers[T any] struct {
	mu      sync.Mutex
	winner  *T
	decided bool
	winDC   int
	others  []answer[T]
}

type answer[T any] struct {
	dc int
	v  *T
}

// add records data center dc's answer; once the winner is known, it is compared at once.
func (a *answers[T]) add(ctx context.Context, c *Client, cl call[T], dc int, v *T) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.decided {
		a.others = append(a.others, answer[T]{dc, v})
		return
	}
	a.compare(ctx, c, cl, dc, v)
}

// decide names the winner and compares it with the answers that came before it was known.
func (a *answers[T]) decide(ctx context.Context, c *Client, cl call[T], winner *T) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.decided, a.winner = true, winner
	for _, o := range a.others {
		if o.v == winner {
			a.winDC = o.dc
		}
	}
	for _, o := range a.others {
		if o.v != winner {
			a.compare(ctx, c, cl, o.dc, o.v)
		}
	}
	a.others = nil
}

func (a *answers[T]) compare(ctx context.Context, c *Client, cl call[T], dc int, v *T) {
	if !reflect.DeepEqual(v, a.winner) {
		c.warnDiffering(ctx, cl.op, cl.jobID, a.winDC, dc)
	}
}

// warnDiffering logs that data centers used and ignored answered differently about one job.
func (c *Client) warnDiffering(ctx context.Context, op, jobID string, used, ignored int) {
	c.log.LogAttrs(ctx, slog.LevelWarn, "faxreport: two data centers answered differently about one job; the first answer is used",
		slog.String("op", op), slog.String("job", boundedID(c.scrub.String(jobID))),
		slog.String("used", c.dataCenters[used].url), slog.String("ignored", c.dataCenters[ignored].url))
}

// attempt sends one request to one data center and classifies the outcome: the decoded 200, a
// permanent error, or one marked retry.Temporary. With a slot, it holds it until the response
// has been read. The request and the reading of its answer end at the client's attempt timeout
// (when its doer has none of its own), as a temporary failure. jobID is the request's, and
// also for the debug log with n, the attempt's number.
func attempt[T any](ctx context.Context, c *Client, op, jobID string, n int, dc *dataCenter, slot chan struct{}, send sendFunc, decoder *validate.Decoder[T]) (*T, error) {
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
	resp, err := send(sendCtx, c, dc, jobID)
	logging := c.log.Enabled(ctx, slog.LevelDebug)
	if err != nil {
		err = transportError(ctx, err)
		if logging {
			c.log.LogAttrs(ctx, slog.LevelDebug, "faxreport request failed", slog.String("op", op), slog.String("job", boundedID(jobID)), slog.Int("attempt", n), // job "" for calls about many jobs
				slog.String("endpoint", dc.url), slog.Duration("elapsed", time.Since(start)), slog.String("error", c.scrub.String(err.Error())))
		}
		return nil, err
	}
	body, err := readBody(resp, c.maxBody)
	if logging {
		c.log.LogAttrs(ctx, slog.LevelDebug, "faxreport request", slog.String("op", op), slog.String("job", boundedID(jobID)), slog.Int("attempt", n),
			slog.String("endpoint", dc.url), slog.Int("status", resp.StatusCode), slog.Int("bytes", len(body)), slog.Duration("elapsed", time.Since(start)))
	}
	switch {
	case errors.Is(err, errInformational):
		return nil, fmt.Errorf("%s: %w: %w", dc.url, ErrInvalidResponse, err)
	case errors.Is(err, httpbody.ErrTooLarge):
		return nil, fmt.Errorf("%s: %w: %w", dc.url, ErrInvalidResponse, err)
	case err != nil:
		return nil, transportError(ctx, fmt.Errorf("read body: %w", err))
	case resp.StatusCode == http.StatusOK:
		v, err := decoder.Decode(resp.Header.Get("Content-Type"), body)
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

// errInformational says that a data center's final answer was a 1xx status (a 101 Switching
// Protocols, say): net/http hands over such a connection with no deadline, so it is closed
// unread.
var errInformational = errors.New("informational status as the final answer")

// maxErrorBody bounds what is read of a response that is not a 200: enough for any error object
// the API sends; the rest is dropped with the connection.
const maxErrorBody = 64 << 10

// readBody reads and closes the body of resp: a 200's through the cap (too long is an error),
// an error status's up to maxErrorBody (the excess ignored), a 1xx's not at all.
func readBody(resp *http.Response, maxBody int64) ([]byte, error) {
	defer resp.Body.Close()
	switch {
	case resp.StatusCode < 200:
		return nil, fmt.Errorf("%w: %d %s", errInformational, resp.StatusCode, http.StatusText(resp.StatusCode))
	case resp.StatusCode == http.StatusOK:
		return httpbody.Read(resp.Body, resp.ContentLength, maxBody)
	}
	return httpbody.Read(io.LimitReader(resp.Body, maxErrorBody), min(resp.ContentLength, maxErrorBody), maxErrorBody)
}

// scrubbed returns the decoder's error with every credential removed from what it quotes.
func (c *Client) scrubbed(err error, body []byte) error {
	var ve *validate.Error
	if !errors.As(err, &ve) {
		return errors.New(c.scrub.String(err.Error()))
	}
	return c.scrubbedValidation(ve, body)
}

// scrubbedValidation is a validation error with what it quotes of the server withheld if it
// holds a credential: its excerpt is made anew from quoted, scrubbed, and the job ID is cut only
// once scrubbed. Field and Reason are ours and the spec's, so they stay as they are: withholding
// them would tell that the password is one of their words.
func (c *Client) scrubbedValidation(ve *validate.Error, quoted []byte) *validate.Error {
	return &validate.Error{Field: ve.Field, Job: boundedID(c.scrub.String(ve.Job)), Reason: ve.Reason, Detail: c.scrub.String(ve.Detail), Excerpt: httpbody.Excerpt(c.scrub.Bytes(quoted))}
}

// maxQuotedID bounds how much of a job ID an error or log record quotes.
const maxQuotedID = 64

// quoteAnswered quotes a job ID that a data center sent, for an error: at most maxQuotedID
// bytes of it, with any echoed credential scrubbed.
func (c *Client) quoteAnswered(jobID string) string { return quoteID(c.scrub.String(jobID)) }

// quoteID quotes a job ID for an error, at most maxQuotedID bytes of it.
func quoteID(jobID string) string { return strconv.Quote(boundedID(jobID)) }

// boundedID is at most maxQuotedID bytes of a job ID, for a log record.
func boundedID(jobID string) string { return httpbody.Truncate(jobID, maxQuotedID) }

// boundedIDs is boundedID of each job ID, for a log record.
func boundedIDs(jobIDs []string) []string {
	bounded := make([]string, len(jobIDs))
	for i, jobID := range jobIDs {
		bounded[i] = boundedID(jobID)
	}
	return bounded
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

// maxQuotedURL bounds the URL a transport error quotes: it holds the job ID.
const maxQuotedURL = 200

// transportError wraps an error of sending or reading: the context's own errors and refusals to
// send are final; certificate errors too; every other network error is temporary.
func transportError(ctx context.Context, err error) error {
	if ue, ok := err.(*url.Error); ok && len(ue.URL) > maxQuotedURL { //nolint:errorlint // http.Client.Do's own error, never wrapped
		bounded := *ue
		bounded.URL = httpbody.Truncate(ue.URL, maxQuotedURL)
		err = &bounded
	}
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalidCert      x509.CertificateInvalidError
		tlsRecord        tls.RecordHeaderError
	)
	switch {
	case ctx.Err() != nil:
		return err
	case errors.Is(err, endpoint.ErrInvalid):
		return fmt.Errorf("%w: %w", ErrInvalidArgument, err)
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalidCert), errors.As(err, &tlsRecord),
		errors.Is(err, http.ErrSchemeMismatch): // a plain-http server behind an https endpoint
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return retry.Temporary(fmt.Errorf("%w: %w", ErrUnavailable, err), 0)
}

// ask sends one operation to one data center with retries, as fetch does for each of its legs:
// every attempt goes through attempt, then accept (when set) judges its outcome, a decoded 200
// (err nil) or an error, as fetch's call.accept does; attempts counts the attempts made so far,
// this one included. jobID names the job for the debug log, "" for an operation on many. send
// may change between attempts (a bulk deletion resends only the jobs still to do).
func ask[T any](ctx context.Context, c *Client, op, jobID string, dc *dataCenter, slot chan struct{}, send sendFunc, decoder *validate.Decoder[T], accept func(attempts int, v *T, err error) error) (*T, error) {
	return retry.Do(ctx, c.retry, func(attempts int) (*T, error) {
		v, err := attempt(ctx, c, op, jobID, attempts, dc, slot, send, decoder)
		if accept != nil {
			if err = accept(attempts, v, err); err != nil {
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
