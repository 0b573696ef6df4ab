// Package fanout asks several data centers the same question at once and takes the first answer.
package fanout

import (
	"context"
	"errors"
	"time"

	"golang.org/x/sync/errgroup"
)

// ErrStraggler is the cause given to the context of a call still running a grace period after
// another call won.
var ErrStraggler = errors.New("another data center answered first")

type result[T any] struct {
	index int
	value T
	err   error
}

// First runs call(ctx, i) for i in [0, n) concurrently and returns the value of the first call
// that succeeds, without waiting for the others. Those keep running for at most grace, so that a
// response already on its way is read to the end and its connection reused, and are then
// cancelled. When no call succeeds, First waits for all of them and returns each one's error,
// indexed like the calls.
//
// The calls run under a context that carries ctx's values and deadline and is cancelled when ctx
// is, but not when the caller cancels ctx after First has returned: the grace, not the caller,
// bounds the stragglers.
func First[T any](ctx context.Context, n int, grace time.Duration, call func(ctx context.Context, i int) (T, error)) (value T, errs []error, ok bool) {
	callCtx, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	if deadline, has := ctx.Deadline(); has {
		var cancelDeadline context.CancelFunc
		callCtx, cancelDeadline = context.WithDeadline(callCtx, deadline)
		cancel = chain(cancel, cancelDeadline)
	}
	stopFollowing := context.AfterFunc(ctx, func() { cancel(context.Cause(ctx)) })

	results := make(chan result[T], n) // buffered: a call never blocks on sending
	for i := range n {
		go func() {
			v, err := call(callCtx, i)
			results <- result[T]{index: i, value: v, err: err}
		}()
	}
	errs = make([]error, n)
	for range n {
		r := <-results
		if r.err == nil {
			stopFollowing()
			time.AfterFunc(grace, func() { cancel(ErrStraggler) })
			return r.value, nil, true
		}
		errs[r.index] = r.err
	}
	stopFollowing()
	cancel(nil)
	return value, errs, false
}

func chain(cancel context.CancelCauseFunc, also context.CancelFunc) context.CancelCauseFunc {
	return func(cause error) {
		cancel(cause)
		also()
	}
}

// All runs call(ctx, i) for i in [0, n) concurrently, waits for every one, and returns each
// one's value and error, indexed like the calls.
func All[T any](ctx context.Context, n int, call func(ctx context.Context, i int) (T, error)) ([]T, []error) {
	values, errs := make([]T, n), make([]error, n)
	var g errgroup.Group // n calls at once: n is the number of data centers
	for i := range n {
		g.Go(func() error {
			values[i], errs[i] = call(ctx, i)
			return nil
		})
	}
	_ = g.Wait() // each call keeps its own error
	return values, errs
}
