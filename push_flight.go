package faxreport

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// pushGrace is how long a push waits, past its deadline, for a Handle that ignores its context,
// before it is answered without it.
const pushGrace = time.Second

// flight is the fetch and Handle of one job, shared by the pushes of that job that arrive while
// it runs.
type flight struct {
	done chan struct{} // closed once err is set
	err  error
	// Guarded by flightGroup.mu:
	waiters   int                // pushes waiting for it
	handling  bool               // the report is fetched and being handled
	stopFetch context.CancelFunc // stops the fetch, when no push waits for it any more
}

// flightGroup holds the flights by job ID, and bounds how many run at once.
type flightGroup struct {
	mu    sync.Mutex
	byJob map[string]*flight
	// slots has one element for each flight running, until its Handle truly returns; its
	// capacity is PushConfig.MaxFetches.
	slots chan struct{}
}

// deliver fetches jobID's report and hands it to Handle, sharing the work with any concurrent
// push of the same job, until ctx's deadline (plus pushGrace for a Handle that ignores it). A
// panic in Handle is returned as a *handlePanic to each push that shared it.
func (h *PushHandler) deliver(ctx context.Context, jobID string) error {
	f, err := h.join(ctx, jobID)
	if err != nil {
		return fmt.Errorf("faxreport: job %s: %w", quoteID(jobID), err)
	}
	if flightJoined != nil {
		flightJoined(jobID)
	}
	select {
	case <-f.done:
		h.leave(jobID, f, false)
		return f.err
	case <-ctx.Done():
	}
	expired := errors.Is(ctx.Err(), context.DeadlineExceeded)
	if expired {
		grace := time.NewTimer(pushGrace)
		defer grace.Stop()
		select {
		case <-f.done:
			h.leave(jobID, f, false)
			return f.err
		case <-grace.C:
		}
	}
	if handling := h.leave(jobID, f, expired); handling && expired {
		return fmt.Errorf("faxreport: job %s: %w: Handle has not returned: %w", quoteID(jobID), ErrHandleFailed, ctx.Err())
	}
	return fmt.Errorf("faxreport: job %s: %w", quoteID(jobID), ctx.Err())
}

// join returns the flight of jobID, starting one, with a slot of its own, if none is running.
func (h *PushHandler) join(ctx context.Context, jobID string) (*flight, error) {
	g := &h.flights
	g.mu.Lock()
	defer g.mu.Unlock()
	if f := g.byJob[jobID]; f != nil {
		f.waiters++
		return f, nil
	}
	select {
	case g.slots <- struct{}{}:
	default:
		return nil, ErrPushOverloaded
	}
	// The work keeps the push's values and deadline, but not its cancellation: only the fetch
	// stops when the pushes waiting for it are gone.
	deadline, _ := ctx.Deadline()
	work, cancelWork := context.WithDeadline(context.WithoutCancel(ctx), deadline)
	fetch, stopFetch := context.WithCancel(work)
	f := &flight{done: make(chan struct{}), waiters: 1, stopFetch: stopFetch}
	g.byJob[jobID] = f
	go func() {
		defer cancelWork()
		h.land(jobID, f, h.fly(fetch, work, jobID, f))
	}()
	return f, nil
}

// leave takes a push off f, which it no longer waits for: when no other push waits for the
// fetch, the fetch stops and a later push starts afresh, as it does after a push gave up on f
// (expired). It says whether f had fetched the report and was handling it.
func (h *PushHandler) leave(jobID string, f *flight, expired bool) (handling bool) {
	g := &h.flights
	g.mu.Lock()
	defer g.mu.Unlock()
	f.waiters--
	unwanted := f.waiters == 0 && !f.handling
	if unwanted {
		f.stopFetch()
	}
	if (unwanted || expired) && g.byJob[jobID] == f {
		delete(g.byJob, jobID)
	}
	return f.handling
}

// land ends f with err: a later push starts afresh, f's slot is free, and its pushes have err.
func (h *PushHandler) land(jobID string, f *flight, err error) {
	g := &h.flights
	g.mu.Lock()
	if g.byJob[jobID] == f {
		delete(g.byJob, jobID)
	}
	g.mu.Unlock()
	<-g.slots // before done, so that the next job of the same push finds the slot free
	if err != nil {
		f.err = fmt.Errorf("faxreport: job %s: %w", quoteID(jobID), err)
	}
	close(f.done)
}

// fly fetches jobID's report with fetch, as a model or as JSON, and hands it to the callback
// with work once it is final. A callback's error is a *handleError, its panic a *handlePanic.
func (h *PushHandler) fly(fetch, work context.Context, jobID string, f *flight) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &handlePanic{value: p}
		}
	}()
	p, err := h.client.getReport(fetch, jobID, nil)
	switch {
	case err != nil:
		return err
	case !IsReportFinal(p.Value):
		return ErrReportNotFinal
	}
	h.flights.mu.Lock()
	f.handling = true
	h.flights.mu.Unlock()
	if h.json != nil {
		err = h.json(work, jobID, p.JSON)
	} else {
		err = h.handle(work, p.Value)
	}
	if err != nil {
		return &handleError{err}
	}
	return nil
}

// handleError is an error returned by PushConfig.Handle; it matches ErrHandleFailed and the
// error returned.
type handleError struct{ err error }

func (e *handleError) Error() string   { return "handle: " + e.err.Error() }
func (e *handleError) Unwrap() []error { return []error{ErrHandleFailed, e.err} }

// handlePanic carries a panic of Handle to each push that shared it, which raises it again.
type handlePanic struct{ value any }

func (p *handlePanic) Error() string { return fmt.Sprintf("handle panicked: %v", p.value) }
func (p *handlePanic) Unwrap() error { return ErrHandleFailed }

// flightJoined, set only by tests, is called when a push has joined the delivery of its job,
// so that a test can hold the delivery until every concurrent push has joined it.
var flightJoined func(jobID string)
