package faxreport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/faxreport/faxreport/internal/endpoint"
	"github.com/faxreport/faxreport/internal/fanout"
	"github.com/faxreport/faxreport/internal/httpbody"
	"github.com/faxreport/faxreport/internal/retry"
	"github.com/faxreport/faxreport/internal/validate"
)

// sendFunc sends one request to a data center.
type sendFunc func(ctx context.Context, dc *dataCenter) (*http.Response, error)

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
	// accept judges a decoded 200: nil wins; an error (maybe retry.Temporary) does not. attempts
	// counts the attempts made to dc so far, this one included.
	accept func(dc *dataCenter, attempts int, v *T) error
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
	var won atomic.Bool
	v, errs, ok := fanout.First(ctx, len(c.dataCenters), stragglerGrace, func(ctx context.Context, i int) (*T, error) {
		dc := c.dataCenters[i]
		if legDone != nil {
			defer close(legDone[i])
		}
		var slot chan struct{}
		if cl.slots != nil {
			slot = cl.slots[i]
		}
		attempts := 0
		return retry.Do(ctx, c.retry, func() (*T, error) {
			if won.Load() {
				return nil, fanout.ErrStraggler
			}
			attempts++
			v, err := attempt(ctx, c, cl.op, dc, slot, cl.send, cl.decoder)
			if err == nil && cl.accept != nil {
				err = cl.accept(dc, attempts, v)
			}
			return v, err
		})
	})
	if ok {
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
	regionErr := &RegionError{JobID: cl.jobID, cause: ctx.Err()}
	var firstNotFound error
	for i, err := range errs {
		if errors.Is(err, ErrNotFound) {
			regionErr.NotFound = append(regionErr.NotFound, c.dataCenters[i].url)
			if firstNotFound == nil {
				firstNotFound = err
			}
			continue
		}
		regionErr.Failed = append(regionErr.Failed, &EndpointError{Endpoint: c.dataCenters[i].url, Err: err})
	}
	if len(regionErr.Failed) == 0 && regionErr.cause == nil {
		return nil, fmt.Errorf("faxreport: %s job %q: not found in any of %d data centers: %w", cl.op, cl.jobID, len(errs), firstNotFound)
	}
	return nil, regionErr
}

// attempt sends one request to one data center and classifies the outcome: the decoded 200, a
// permanent error, or one marked retry.Temporary. With a slot, it holds it until the response
// has been read.
func attempt[T any](ctx context.Context, c *Client, op string, dc *dataCenter, slot chan struct{}, send sendFunc, decoder *validate.Decoder[T]) (*T, error) {
	if slot != nil {
		select {
		case slot <- struct{}{}:
			defer func() { <-slot }()
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
	}
	start := time.Now()
	resp, err := send(ctx, dc)
	logging := c.log.Enabled(ctx, slog.LevelDebug)
	if err != nil {
		if logging {
			c.log.LogAttrs(ctx, slog.LevelDebug, "faxreport request failed", slog.String("op", op), slog.String("endpoint", dc.url), slog.Duration("elapsed", time.Since(start)), slog.String("error", err.Error()))
		}
		return nil, transportError(ctx, err)
	}
	body, err := httpbody.Read(resp.Body, resp.ContentLength, c.maxBody)
	resp.Body.Close()
	if logging {
		c.log.LogAttrs(ctx, slog.LevelDebug, "faxreport request", slog.String("op", op), slog.String("endpoint", dc.url), slog.Int("status", resp.StatusCode), slog.Int("bytes", len(body)), slog.Duration("elapsed", time.Since(start)))
	}
	switch {
	case errors.Is(err, httpbody.ErrTooLarge):
		return nil, fmt.Errorf("%w: %w", ErrInvalidResponse, err)
	case err != nil:
		return nil, transportError(ctx, fmt.Errorf("read body: %w", err))
	case resp.StatusCode == http.StatusOK:
		v, err := decoder.Decode(resp.Header.Get("Content-Type"), body)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: %w", dc.url, ErrInvalidResponse, err)
		}
		return v, nil
	}
	apiErr := newAPIError(op, dc.url, resp.StatusCode, body)
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

// transportError wraps an error of sending or reading: the context's own errors and refusals to
// send are final; certificate errors too; every other network error is temporary.
func transportError(ctx context.Context, err error) error {
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
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalidCert), errors.As(err, &tlsRecord):
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return retry.Temporary(fmt.Errorf("%w: %w", ErrUnavailable, err), 0)
}

// ask sends one operation to one data center with retries, as fetch does for each of its legs:
// every attempt goes through attempt, then accept (when set) judges the decoded 200; attempts
// counts the attempts made so far, this one included. send may change between attempts (a bulk
// deletion resends only the jobs still to do).
func ask[T any](ctx context.Context, c *Client, op string, dc *dataCenter, slot chan struct{}, send sendFunc, decoder *validate.Decoder[T], accept func(attempts int, v *T) error) (*T, error) {
	attempts := 0
	return retry.Do(ctx, c.retry, func() (*T, error) {
		attempts++
		v, err := attempt(ctx, c, op, dc, slot, send, decoder)
		if err == nil && accept != nil {
			err = accept(attempts, v)
		}
		return v, err
	})
}

// askEach runs ask(ctx, i) for every data center i at once and keeps every data center's own
// outcome, indexed like c.dataCenters: unlike fetch, no answer wins over the others.
func askEach[T any](ctx context.Context, c *Client, ask func(ctx context.Context, i int) (T, error)) ([]T, []error) {
	return fanout.All(ctx, len(c.dataCenters), ask)
}
