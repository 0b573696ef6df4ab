package faxreport_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// pushAnswer sends a push for jobID with the right credentials, and delivers its answer when it
// comes, for a test that must not hang on it.
func (env *pushEnv) pushAnswer(t *testing.T, jobID string) <-chan *http.Response {
	answered := make(chan *http.Response, 1)
	go func() {
		resp, err := env.fake.Push(env.url, jobID, faxtest.PushBasicAuth(pushUser, pushPassword))
		if err != nil {
			t.Error(err)
			resp = &http.Response{StatusCode: 0, Body: http.NoBody}
		}
		answered <- resp
	}()
	return answered
}

// A Handle that ignores its context and never returns: the push is answered 503 after Timeout
// and a short grace, and its job's flight released, so that the next push fetches afresh.
func TestPushHandleThatNeverReturnsIsAbandoned(t *testing.T) {
	// Long enough for a loopback fetch under -race on a loaded machine: the second push must
	// fetch and handle its job within it.
	const timeout = time.Second
	unblock, returned := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	var outcomes outcomeRecorder
	env := newPushEnv(t, func(c *faxreport.PushConfig) {
		c.Timeout = timeout
		c.OnPush = outcomes.record
		c.Handle = func(context.Context, *faxreport.Report) error {
			if calls.Add(1) == 1 {
				<-unblock // ignores its context
				close(returned)
			}
			return nil
		}
	})
	t.Cleanup(func() { close(unblock); <-returned }) // before the servers close
	env.fake.LoadExamples()

	start := time.Now()
	wantStatus(t, received(t, env.pushAnswer(t, testJobID), "answer to the push whose Handle hangs"), http.StatusServiceUnavailable)
	if elapsed := time.Since(start); elapsed < timeout {
		t.Errorf("answered after %v, before the Timeout of %v", elapsed, timeout)
	}
	if out := outcomes.only(t); !errors.Is(out.Err, faxreport.ErrHandleFailed) || !errors.Is(out.Err, context.DeadlineExceeded) {
		t.Errorf("outcome error %v, want ErrHandleFailed and context.DeadlineExceeded", out.Err)
	}

	wantStatus(t, received(t, env.pushAnswer(t, testJobID), "answer to the next push of the job"), http.StatusNoContent)
	if n, fetches := calls.Load(), env.fetches(testJobID); n != 2 || fetches != 2 {
		t.Fatalf("%d Handle calls and %d fetches, want 2 and 2: the next push joined the stuck one", n, fetches)
	}
}
