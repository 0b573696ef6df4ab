package faxreport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// DrainConfig says what DrainStatusReports does with the reports it drains. Exactly one of
// Handle and HandleJSON is required; HandleInvalid is optional.
type DrainConfig struct {
	// Handle is given each page of valid, final reports, oldest first, all from one data center.
	// Returning nil accepts the page: only then are its reports deleted. It must have stored
	// them durably by then, and be idempotent on the report's JobID (see DrainStatusReports).
	Handle func(ctx context.Context, reports []*Report) error
	// HandleJSON, set instead of Handle, is given each page's reports exactly as the data center
	// listed them (validated against openapi.yaml the same way, unknown fields and nulls
	// included), each with its job ID and data center, as PushConfig.HandleJSON is: for callers
	// that store or forward the bytes. Everything said of Handle holds for it.
	HandleJSON func(ctx context.Context, reports []RawReport) error
	// HandleInvalid, when set, takes the listed reports that break the contract of openapi.yaml
	// (quarantine): each is given as the API sent it, byte for byte, with its job ID, data center
	// and validation error, and once HandleInvalid has returned nil, it is deleted exactly as a
	// valid report is. It is called with the invalid reports of a page after Handle (or
	// HandleJSON) accepted that page's valid ones, and nothing of the page is deleted unless both
	// accept. Without it, such reports are left in place, unread, and named in the error.
	HandleInvalid func(ctx context.Context, reports []InvalidReport) error
}

// RawReport is a drained report exactly as the data center listed it.
type RawReport struct {
	JobID      string          // the report's jobId
	DataCenter string          // the base URL of the data center that listed it
	JSON       json.RawMessage // the report as sent, validated against openapi.yaml
}

// InvalidReport is a listed report that breaks the contract of openapi.yaml, given to
// DrainConfig.HandleInvalid.
type InvalidReport struct {
	JobID      string          // its jobId, as sent (always set: one without a jobId is never handed over)
	DataCenter string          // the base URL of the data center that listed it
	JSON       json.RawMessage // the report exactly as the data center sent it
	Err        error           // why it is invalid; matches ErrInvalidResponse
}

// DrainCounts says what DrainStatusReports did, over every data center.
type DrainCounts struct {
	Pages       int // listings handed over (to Handle or HandleJSON, and HandleInvalid)
	Reports     int // valid reports handed to Handle or HandleJSON
	Quarantined int // invalid reports handed to HandleInvalid
	// Deleted counts the reports handed over whose deletion the data center confirmed, less
	// those a later listing showed again (a deletion that did not happen is not counted).
	Deleted int
	// Gone counts reports handed over whose deletion was not confirmed as such: the data
	// center said NOT_FOUND (someone else deleted it: another drain, say), or said so only after
	// an attempt whose answer was lost (that attempt probably deleted it). The caller has them,
	// so they are done.
	Gone int
}

// DrainStatusReports reads and deletes every completed report of the region, the vendor's
// read-and-delete workflow done safely. In each data center, concurrently, it lists a page (the
// oldest ListLimit completed reports), hands it to cfg.Handle (or cfg.HandleJSON), and only once
// that has returned nil deletes exactly the jobs of that page there with a bulk DELETE (never
// delete-oldest, which could delete reports nobody has read); it repeats until the data center
// lists nothing (or answers the listing 404), then returns the counts.
//
// Guarantees:
//   - No report is deleted before the handler has accepted the page that holds it.
//   - When a handler returns an error or panics, nothing of that page is deleted and the drain
//     stops: no data center lists another page (those deleting a page already accepted finish
//     that). A panic is recovered in the drain and returned as a *HandlerPanicError naming the
//     data center.
//   - Delivery is at least once: a crash, a cancelled ctx or a failed deletion between the
//     handler and the deletion leaves the page in place, and the next drain hands the same
//     reports over again. The handlers must therefore be idempotent on the job ID.
//   - A deletion whose answer is lost is retried; NOT_FOUND then counts as done (Gone), since
//     the handler has the report. So does a report another consumer (a second drain of the
//     same account) took first: two drains may run at once, and neither fails for it.
//   - A data center that lists again a report whose deletion it confirmed (or said NOT_FOUND
//     for), however many pages later, stops its part of the drain with ErrDrainStalled rather
//     than looping; those reports are not counted as deleted. The memory this takes grows
//     with the reports drained: a job ID each.
//   - Only final reports are handed over and deleted, each job once per page. A job listed with
//     a PENDING recipient (the vendor lists only completed jobs), or twice with different
//     reports (a valid copy and one that breaks the contract included), is left in place,
//     unread. A report that breaks the contract of openapi.yaml is given to cfg.HandleInvalid
//     when it is set (one without a jobId cannot be deleted, and stays), and left in place
//     otherwise. The drain goes on with the others, and once a data center lists nothing else,
//     its part ends with ErrInvalidResponse naming the jobs left in place.
//   - Memory holds at most one page per data center, whatever the total, and the job IDs
//     drained.
//
// The handlers are never called concurrently; they get the drain's ctx and a page, oldest
// first, all from one data center. A data center that fails (after the retries) stops its own
// part; the others go on. The error is a *DataCentersError naming each data center whose part
// failed (a handler's error counts for the data center of its page); the counts are those of
// what was done before. A cfg with neither or both of Handle and HandleJSON is refused with
// ErrInvalidArgument, before anything is sent.
func (c *Client) DrainStatusReports(ctx context.Context, cfg DrainConfig) (DrainCounts, error) {
	if (cfg.Handle == nil) == (cfg.HandleJSON == nil) {
		return DrainCounts{}, fmt.Errorf("faxreport: %w: DrainConfig needs exactly one of Handle and HandleJSON", ErrInvalidArgument)
	}
	d := &drain{c: c, cfg: cfg}
	_, errs := askEach(ctx, c, func(ctx context.Context, i int) (struct{}, error) {
		return struct{}{}, d.dataCenter(ctx, c.dataCenters[i])
	})
	return d.counts, c.dataCentersError(opDrain, errs)
}

// opDrain names the drain in errors.
const opDrain = "drain"

// drain is the state DrainStatusReports shares between its data centers.
type drain struct {
	c    *Client
	cfg  DrainConfig
	stop atomic.Bool // set by a handler's error: no data center lists another page

	mu     sync.Mutex // serialises the handlers and guards counts
	counts DrainCounts
}

// errStopped says that a data center's part ended because another's handler failed.
var errStopped = errors.New("drain stopped")

// dataCenter drains one data center.
func (d *drain) dataCenter(ctx context.Context, dc *dataCenter) error {
	settled := map[string]bool{} // each job whose deletion is done: true if counted Deleted, false if Gone
	for !d.stop.Load() {
		listed, err := d.c.listIn(ctx, dc)
		if err != nil {
			return err
		}
		if listed.empty() {
			return nil
		}
		if err := d.listedAgain(listed, settled); err != nil {
			return err
		}
		h, leftOut := take(dc, listed, d.cfg.HandleInvalid != nil)
		if len(h.ids) == 0 {
			// Only reports that cannot be taken are listed: they stay, unread, for a later drain.
			return d.c.leftOut(dc, leftOut.invalid, leftOut.doubtful)
		}
		switch err := d.handOver(ctx, dc, h); {
		case errors.Is(err, errStopped):
			return nil
		case err != nil:
			return err
		}
		if err := d.settle(h.ids, d.c.deleteIn(ctx, dc, nil, DefaultConcurrency, h.ids), settled); err != nil {
			return err
		}
	}
	return nil
}

// handOver gives h to the handlers, and returns nil once they accepted it, errStopped when
// another data center's handler failed first, or the handler's error (a panic recovered as a
// *HandlerPanicError), which stops the drain.
func (d *drain) handOver(ctx context.Context, dc *dataCenter, h handover) (err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stop.Load() {
		return errStopped
	}
	defer func() {
		if v := recover(); v != nil {
			err = &HandlerPanicError{DataCenter: dc.url, Value: v, Stack: debug.Stack()}
		}
		if err != nil {
			d.stop.Store(true)
		}
	}()
	d.counts.Pages++
	if len(h.reports) > 0 {
		d.counts.Reports += len(h.reports)
		if d.cfg.Handle != nil {
			err = d.cfg.Handle(ctx, h.reports)
		} else {
			err = d.cfg.HandleJSON(ctx, h.raw)
		}
		if err != nil {
			return fmt.Errorf("handler: %w", err)
		}
	}
	if len(h.invalid) > 0 {
		d.counts.Quarantined += len(h.invalid)
		if err := d.cfg.HandleInvalid(ctx, h.invalid); err != nil {
			return fmt.Errorf("invalid-report handler: %w", err)
		}
	}
	return nil
}

// settle counts the outcomes of deleting ids, an accepted page, and records in settled each job
// whose deletion is done. It returns the first failure.
func (d *drain) settle(ids []string, outcomes []error, settled map[string]bool) (failed error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, err := range outcomes {
		switch {
		case err == nil:
			d.counts.Deleted++
			settled[ids[i]] = true
		case errors.Is(err, ErrDeleteUnconfirmed), errors.Is(err, ErrNotFound):
			d.counts.Gone++
			settled[ids[i]] = false
		case failed == nil:
			failed = err
		}
	}
	return failed
}

// listedAgain returns ErrDrainStalled when listed holds a job whose deletion in this data
// center is already done (settled): a data center that does not delete, or lists in a cycle.
// Those jobs are taken out of the counts: the listing shows that they were not deleted.
func (d *drain) listedAgain(listed page, settled map[string]bool) error {
	var again []string
	check := func(id string) {
		if _, done := settled[id]; done {
			again = append(again, id)
		}
	}
	for _, r := range listed.reports {
		check(r.JobID)
	}
	for _, item := range listed.invalid {
		check(item.JobID)
	}
	if len(again) == 0 {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	uncounted := 0
	for _, id := range again {
		deleted, ok := settled[id]
		if !ok {
			continue // listed twice
		}
		if deleted {
			d.counts.Deleted--
		} else {
			d.counts.Gone--
		}
		delete(settled, id)
		uncounted++
	}
	return fmt.Errorf("%w: %d reports listed again after their deletion, job %s among them", ErrDrainStalled, uncounted, d.c.quoteAnswered(again[0]))
}
