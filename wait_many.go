package faxreport

import (
	"context"
	"errors"
	"sync"
	"time"
)

// WaitForStatusReports waits for many jobs at once, as WaitForStatusReport waits for one, and
// polls in bulk: each round asks, with bulk GETs of at most ListLimit IDs, only about the jobs
// still pending. A job that a data center has shown is asked only there from then on (a report
// lives in one data center); a job that none has shown yet is asked everywhere, and a round in
// which no data center returns it counts toward the not-found limit. A data center that refuses
// a bulk request, or answers it unusably, is asked job by job for that request's jobs, as
// GetStatusReports does.
//
// The single wait's rules carry over, per job: one schedule of rounds whose delays grow from the
// minimum to the maximum poll interval with jitter, each counted from the start of the round
// before (and never less than the minimum after its end), the last round halfway to the deadline;
// transient failures (a data center unavailable, a 5xx, a connection error) ridden out until the
// deadline; ErrInvalidArgument, ErrUnauthorized and ErrInvalidResponse ending that job's wait,
// returned as they are. A job past the not-found limit is confirmed with the single-report call
// before its wait ends: a bulk answer without a job is not the documented 404, so such a job
// ends as not found only when every data center answered 404 for it. A job still pending at the
// deadline (or when ctx ends) gets a *WaitError with its last report (Last) that matches
// context.DeadlineExceeded (or the context's cause), as the single wait's; one that no data
// center has shown by then gets one that matches ErrNotFound too.
//
// final, when not nil, receives each job's outcome as soon as it is decided, in the order of
// completion, once per distinct job ID: a report the moment its bulk answer shows it final,
// errors at the end of their round. It is called from one goroutine at a time; the wait goes on
// while it runs, but a slow final delays the outcomes behind it. The results are returned at
// the end in the order of jobIDs, one per ID, as GetStatusReports returns them (a duplicated ID
// is waited for once and its result repeated; an invalid one gets ErrInvalidArgument and is
// not sent). A final report comes with its JSON as the API sent it: its item of the bulk answer
// that found it final, or the body of the single-report call that did; a *WaitError's LastJSON
// holds the last report seen as sent, with its model in Last. The options are
// WaitForStatusReport's; invalid ones are every job's error. A panic in final stops the wait
// and goes on, with the same value, in the goroutine that called WaitForStatusReports.
func (c *Client) WaitForStatusReports(ctx context.Context, jobIDs []string, final func(ReportResult), opts WaitOptions) []ReportResult {
	cfg, err := opts.config() // invalid options are every job's error
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	w := &manyWait{cfg: cfg, start: time.Now(), final: final, cancel: cancel}
	w.b = c.newBatch(jobIDs, DefaultConcurrency, err)
	for _, r := range w.b.jobs.results { // the invalid IDs' errors, handed over at once
		if r.Err != nil {
			w.report(r)
		}
	}
	w.jobs = make([]*waiting, len(w.b.jobs.ids))
	for n, id := range w.b.jobs.ids {
		w.jobs[n] = &waiting{id: id, home: everywhere, stop: WaitError{JobID: id}}
	}
	w.pending = len(w.jobs)
	w.run(ctx)
	if w.panicked { // in the caller's goroutine, where it can be recovered
		panic(w.panicVal)
	}
	return w.b.jobs.all()
}

// waiting is one distinct job of a many-job wait.
type waiting struct {
	id       string
	home     int // the data center that showed the job, -1 while none has
	notFound int // rounds in which no data center showed it, confirmations included
	stop     WaitError
	lastErr  error // the last round's error (not found when no data center showed it), nil when it saw a report
	done     bool
	// This round's: the report seen and the data center it came from (-1: none), and each
	// data center's failure (nil until one fails, then indexed like the data centers).
	seen   reportRead
	seenIn int
	failed []error
}

// manyWait is one call of WaitForStatusReports.
type manyWait struct {
	b     *batch // the bulk reads, the results and the request slots
	cfg   waitConfig
	start time.Time
	jobs  []*waiting // the distinct valid IDs, in order
	final func(ReportResult)

	mu       sync.Mutex // guards the jobs' state, the results and the calls of final
	pending  int        // jobs not done
	panicked bool       // final panicked: the wait stops and the panic goes on in the caller
	panicVal any
	cancel   context.CancelCauseFunc
}

// run polls in rounds until no job is pending or the deadline comes, as wait does for one job,
// except that the delay before a round runs from the start of the round before, not its end
// (but it is never shorter than the minimum poll interval): so a job is asked at most one
// delay apart, however long the rounds of many jobs take.
func (w *manyWait) run(ctx context.Context) {
	ctx, cancel := w.cfg.bound(ctx)
	defer cancel()
	polls := w.cfg.schedule()
	for w.pending > 0 {
		started := time.Now()
		w.round(ctx)
		switch {
		case ended(ctx): // the deadline or a cancel cut the round, whatever it says
			w.endAll(func(j *waiting) error { return j.stop.at(w.start, endedBy(ctx), j.lastErr) })
			return
		case w.pending == 0:
			return
		}
		// The delay runs from the round's start: a round of many jobs takes a while.
		if err := polls.next(ctx, started); err != nil {
			w.endAll(func(j *waiting) error { return j.stop.at(w.start, err, j.lastErr) })
			return
		}
	}
}

// finish ends j's wait with r and hands r over. The caller holds w.mu.
func (w *manyWait) finish(j *waiting, r ReportResult) {
	if j.done {
		return
	}
	j.done = true
	w.pending--
	r.JobID = j.id
	w.b.jobs.set(j.id, r)
	w.report(r)
}

// report hands a job's outcome to final. A panic in final stops the wait, which panics with
// the same value in the caller's goroutine once its polls have ended; final is not called again.
func (w *manyWait) report(r ReportResult) {
	if w.final == nil || w.panicked {
		return
	}
	defer func() {
		if v := recover(); v != nil {
			w.panicked, w.panicVal = true, v
			w.cancel(errFinalPanicked)
		}
	}()
	w.final(r)
}

// errFinalPanicked is the cause that ends a wait whose final panicked.
var errFinalPanicked = errors.New("faxreport: the wait's final callback panicked")

// endAll ends the wait of every job still pending with the error why gives it.
func (w *manyWait) endAll(why func(*waiting) error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, j := range w.jobs {
		if !j.done {
			w.finish(j, ReportResult{Err: why(j)})
		}
	}
}
