// Package retry runs an operation again after errors marked temporary, with jittered exponential
// backoff (cenkalti/backoff), honouring the server's Retry-After but never sleeping past the
// context's deadline or a configured cap.
package retry

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// Policy says how often and how long to retry. Its zero fields take the defaults of Defaults.
type Policy struct {
	MaxAttempts   int           // attempts in all, the first included
	MinDelay      time.Duration // the first backoff delay, before jitter
	MaxDelay      time.Duration // the longest backoff delay
	MaxRetryAfter time.Duration // the longest Retry-After honoured; a longer one ends the retries
}

// Defaults is the policy used for zero fields.
var Defaults = Policy{MaxAttempts: 4, MinDelay: 100 * time.Millisecond, MaxDelay: 2 * time.Second, MaxRetryAfter: 10 * time.Second}

// WithDefaults returns p with its zero fields set from Defaults.
func (p Policy) WithDefaults() Policy {
	if p.MaxAttempts == 0 {
		p.MaxAttempts = Defaults.MaxAttempts
	}
	if p.MinDelay == 0 {
		p.MinDelay = Defaults.MinDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = max(Defaults.MaxDelay, p.MinDelay)
	}
	if p.MaxRetryAfter == 0 {
		p.MaxRetryAfter = Defaults.MaxRetryAfter
	}
	return p
}

// Check reports a policy that cannot work.
func (p Policy) Check() error {
	if p.MaxAttempts < 0 || p.MinDelay < 0 || p.MaxDelay < 0 || p.MaxRetryAfter < 0 || p.MinDelay > p.MaxDelay {
		return fmt.Errorf("retry policy %+v: values must be positive and MinDelay <= MaxDelay", p)
	}
	return nil
}

// temporary marks an error as worth another attempt.
type temporary struct {
	err   error
	after time.Duration // the server's Retry-After, 0 when it gave none
}

func (t *temporary) Error() string { return t.err.Error() }
func (t *temporary) Unwrap() error { return t.err }

// Temporary marks err as worth another attempt, after at least the server's Retry-After delay
// (0 when it gave none).
func Temporary(err error, retryAfter time.Duration) error {
	return &temporary{err: err, after: retryAfter}
}

// Do calls op until it succeeds, returns an error not marked Temporary, or the policy or the
// context ends the retries; op gets the number of its attempt, from 1. The error returned is
// op's last one, never a wrapper of this package; when the context ended the wait, it wraps both
// the context's cause and op's last error.
func Do[T any](ctx context.Context, p Policy, op func(attempt int) (T, error)) (T, error) {
	// The first attempt runs before any retry machinery is set up: most calls need no more.
	v, err := op(1)
	if err == nil || !errors.As(err, new(*temporary)) || p.MaxAttempts == 1 { // no target allocated on success
		return v, unwrapMarks(err)
	}
	return retryAfterFirst(ctx, p.WithDefaults(), op, v, err)
}

// retryAfterFirst runs op under backoff.Retry, from its second attempt: the first one's outcome
// (handed back by the first call of backoff's attempt) was first, firstErr. Kept apart from Do
// so that nothing of the first attempt escapes to the heap unless there is a retry.
func retryAfterFirst[T any](ctx context.Context, p Policy, op func(attempt int) (T, error), first T, firstErr error) (T, error) {
	deadline, _ := ctx.Deadline()
	var last error
	n := 0
	attempt := func() (T, error) {
		v, err := first, firstErr
		if n++; n > 1 {
			v, err = op(n)
		}
		if last == nil || ctx.Err() == nil { // an attempt the context cut short says less than the one before
			last = err
		}
		var t *temporary
		switch {
		case err == nil:
			return v, nil
		case !errors.As(err, &t):
			return v, backoff.Permanent(err)
		case t.after == 0:
			return v, err
		case t.after > p.MaxRetryAfter || !deadline.IsZero() && time.Until(deadline) < t.after:
			return v, backoff.Permanent(err)
		}
		return v, &retryAfter{err: err, wait: &backoff.RetryAfterError{Duration: t.after}}
	}
	exp := backoff.NewExponentialBackOff()
	exp.InitialInterval = p.MinDelay
	exp.MaxInterval = p.MaxDelay
	v, err := backoff.Retry(ctx, attempt,
		backoff.WithBackOff(&beforeDeadline{BackOff: exp, deadline: deadline}),
		backoff.WithMaxTries(uint(p.MaxAttempts)),
		backoff.WithMaxElapsedTime(0))
	if err == nil {
		return v, nil
	}
	if last != nil && ctx.Err() != nil && !errors.Is(last, ctx.Err()) {
		return v, fmt.Errorf("%w (last attempt: %w)", context.Cause(ctx), unwrapMarks(last))
	}
	return v, unwrapMarks(err)
}

// unwrapMarks strips this package's markers from err.
func unwrapMarks(err error) error {
	for {
		switch e := err.(type) { //nolint:errorlint // only this package's own markers, always outermost
		case *temporary:
			err = e.err
		case *retryAfter:
			err = e.err
		default:
			return err
		}
	}
}

// retryAfter carries the server's delay to backoff.Retry, which finds it with errors.As.
type retryAfter struct {
	err  error
	wait *backoff.RetryAfterError
}

func (r *retryAfter) Error() string   { return r.err.Error() }
func (r *retryAfter) Unwrap() []error { return []error{r.err, r.wait} }

// beforeDeadline stops the backoff when the next delay would end after the deadline: sleeping
// only to fail is worse than failing now with the last error.
type beforeDeadline struct {
	backoff.BackOff
	deadline time.Time
}

func (b *beforeDeadline) NextBackOff() time.Duration {
	d := b.BackOff.NextBackOff()
	if d != backoff.Stop && !b.deadline.IsZero() && time.Until(b.deadline) < d {
		return backoff.Stop
	}
	return d
}

// maxRetryAfterSeconds bounds the parsed value so that it cannot overflow a time.Duration.
const maxRetryAfterSeconds = 1 << 31

// ParseRetryAfter reads a Retry-After header value: delay-seconds or an HTTP date, relative to
// now. It reports false for an empty, malformed or negative value; a date in the past is 0.
func ParseRetryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if strings.Trim(value, "0123456789") == "" {
		secs, err := strconv.ParseUint(value, 10, 64)
		if err != nil || secs > maxRetryAfterSeconds { // too many digits: a very long wait
			secs = maxRetryAfterSeconds
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}
