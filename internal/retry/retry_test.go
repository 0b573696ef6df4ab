package retry

import (
	"context"
	"errors"
	"testing"
	"time"
)

var errBoom = errors.New("boom")

func TestDoRetriesTemporaryErrorsOnly(t *testing.T) {
	p := Policy{MaxAttempts: 4, MinDelay: time.Millisecond, MaxDelay: time.Millisecond}
	calls := 0
	_, err := Do(context.Background(), p, func(int) (int, error) { calls++; return 0, Temporary(errBoom, 0) })
	if calls != 4 || err != errBoom { //nolint:errorlint // the very error op returned, unwrapped
		t.Fatalf("temporary: %d calls, error %v (%T)", calls, err, err)
	}
	calls = 0
	_, err = Do(context.Background(), p, func(int) (int, error) { calls++; return 0, errBoom })
	if calls != 1 || err != errBoom { //nolint:errorlint // as above
		t.Fatalf("permanent: %d calls, error %v", calls, err)
	}
	calls = 0
	v, err := Do(context.Background(), p, func(n int) (int, error) {
		if calls++; n != calls {
			t.Errorf("attempt %d numbered %d", calls, n)
		}
		if calls < 3 {
			return 0, Temporary(errBoom, 0)
		}
		return 7, nil
	})
	if v != 7 || err != nil || calls != 3 {
		t.Fatalf("recovery: %d, %v after %d calls", v, err, calls)
	}
}

func TestDoRetryAfterBeyondCapOrDeadlineStopsAtOnce(t *testing.T) {
	p := Policy{MaxAttempts: 4, MinDelay: time.Millisecond, MaxDelay: time.Millisecond, MaxRetryAfter: time.Second}
	calls := 0
	op := func(int) (int, error) { calls++; return 0, Temporary(errBoom, time.Minute) }
	if _, err := Do(context.Background(), p, op); calls != 1 || !errors.Is(err, errBoom) {
		t.Fatalf("beyond the cap: %d calls, %v", calls, err)
	}
	calls, p.MaxRetryAfter = 0, time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := Do(ctx, p, op); calls != 1 || !errors.Is(err, errBoom) || ctx.Err() != nil {
		t.Fatalf("beyond the deadline: %d calls, %v, context %v", calls, err, ctx.Err())
	}
}

func TestDoWrapsTheContextAndTheLastError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := Policy{MaxAttempts: 100, MinDelay: time.Hour, MaxDelay: time.Hour}
	_, err := Do(ctx, p, func(int) (int, error) { cancel(); return 0, Temporary(errBoom, 0) })
	if !errors.Is(err, context.Canceled) || !errors.Is(err, errBoom) {
		t.Fatalf("got %v", err)
	}
}
