package faxreport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// DrainCounts says what DrainStatusReports did, over every data center.
type DrainCounts struct {
	Pages   int // pages handed to the handler
	Reports int // reports handed to the handler
	Deleted int // reports deleted after the handler accepted them
	// Gone counts accepted reports whose deletion was not confirmed as such: the data center
	// said NOT_FOUND (someone else deleted it), or said so only after an attempt whose answer
	// was lost (that attempt probably deleted it). The handler has them, so they are done.
	Gone int
}

// ErrDrainStalled is matched by the error of a drain that stopped because a data center listed
// again a report it had been asked to delete, or had every report of a page already gone
// (another drain running at the same time, or a data center that does not delete): going on
// could hand the same pages over forever.
var ErrDrainStalled = errors.New("drain stalled: a data center's listing does not shrink as its reports are deleted")

// DrainStatusReports reads and deletes every completed report of the region, the vendor's
// read-and-delete workflow done safely. In each data center, concurrently, it lists a page (the
// oldest ListLimit completed reports), hands it to handle, and only once handle has returned nil
// deletes exactly the jobs of that page there with a bulk DELETE (never delete-oldest, which
// could delete reports nobody has read); it repeats until the data center lists nothing, then
// returns the counts.
//
// Guarantees:
//   - No report is deleted before handle has accepted the page that holds it.
//   - When handle returns an error, nothing of that page is deleted and the drain stops: no data
//     center lists another page (those deleting a page already accepted finish that).
//   - Delivery is at least once: a crash, a cancelled ctx or a failed deletion between handle
//     and the deletion leaves the page in place, and the next drain hands the same reports over
//     again. handle must therefore be idempotent on the report's JobID.
//   - A deletion whose answer is lost is retried; NOT_FOUND then counts as done (Gone), since
//     handle has the report. A data center that lists again a report it was asked to delete
//     (within its last few pages), or whose page of deletions finds every report already gone
//     (NOT_FOUND, with no lost answer that could have deleted it), stops its part of the drain
//     with ErrDrainStalled rather than looping.
//   - Only final, valid reports are handed over and deleted, each job once per page. A job
//     listed with a PENDING recipient (the vendor lists only completed jobs) or twice with
//     different reports, and a report that breaks the contract of openapi.yaml, are left in
//     place, unread; the drain goes on with the others, and once a data center lists nothing
//     else, its part ends with ErrInvalidResponse naming those jobs.
//   - Memory holds at most one page per data center, whatever the total.
//
// handle is never called concurrently; it gets the drain's ctx and the page, oldest first, all
// from one data center. A data center that fails (after the retries) stops its own part; the
// others go on. The error joins the handler's error and each failed data center's
// *EndpointError; the counts are those of what was done before.
func (c *Client) DrainStatusReports(ctx context.Context, handle func(ctx context.Context, reports []*Report) error) (DrainCounts, error) {
	if handle == nil {
		return DrainCounts{}, fmt.Errorf("faxreport: %w: nil drain handler", ErrInvalidArgument)
	}
	return c.drain(ctx, func(ctx context.Context, p page) error { return handle(ctx, p.reports) })
}

// DrainStatusReportsJSON is DrainStatusReports for callers that store or forward the reports as
// the API sent them: handle gets each page's reports exactly as the data center listed them,
// validated against openapi.yaml the same way, unknown fields and nulls included. The
// guarantees are the same.
func (c *Client) DrainStatusReportsJSON(ctx context.Context, handle func(ctx context.Context, reports []json.RawMessage) error) (DrainCounts, error) {
	if handle == nil {
		return DrainCounts{}, fmt.Errorf("faxreport: %w: nil drain handler", ErrInvalidArgument)
	}
	return c.drain(ctx, func(ctx context.Context, p page) error { return handle(ctx, p.raw) })
}

// drain runs a drain that hands each page to handle.
func (c *Client) drain(ctx context.Context, handle func(context.Context, page) error) (DrainCounts, error) {
	d := &drain{c: c, handle: handle}
	_, errs := askEach(ctx, c, func(ctx context.Context, i int) (struct{}, error) {
		return struct{}{}, d.dataCenter(ctx, c.dataCenters[i])
	})
	var failed []error
	if d.handlerErr != nil {
		failed = append(failed, fmt.Errorf("handler: %w", d.handlerErr))
	}
	for i, err := range errs {
		if err != nil {
			failed = append(failed, &EndpointError{Endpoint: c.dataCenters[i].url, Err: err})
		}
	}
	if len(failed) > 0 {
		return d.counts, fmt.Errorf("faxreport: drain: %w", errors.Join(failed...))
	}
	return d.counts, nil
}

// drain is the state DrainStatusReports shares between its data centers.
type drain struct {
	c      *Client
	handle func(context.Context, page) error
	stop   atomic.Bool // set by a handler error: no data center lists another page

	mu         sync.Mutex // serialises handle and guards what follows
	counts     DrainCounts
	handlerErr error
}

// recentPages is how many of its last pages a drain remembers per data center, to notice one
// that lists again what it was asked to delete: a bound, so that memory stays a few pages.
const recentPages = 4

// dataCenter drains one data center; the handler's error is kept in d, not returned.
func (d *drain) dataCenter(ctx context.Context, dc *dataCenter) error {
	var recent []map[string]bool // the jobs of the last pages, asked to be deleted, newest last
	for !d.stop.Load() {
		listed, err := d.c.listIn(ctx, dc)
		if err != nil {
			return err
		}
		if len(listed.reports) == 0 && len(listed.invalid) == 0 {
			return nil
		}
		p, doubtful := finalOnce(listed)
		for _, r := range p.reports {
			for _, asked := range recent {
				if asked[r.JobID] {
					return fmt.Errorf("%w: job %s", ErrDrainStalled, d.c.quoteAnswered(r.JobID))
				}
			}
		}
		if len(p.reports) == 0 {
			// Only reports that cannot be taken are listed: they stay, unread, for a later drain.
			return d.c.leftOut(dc, listed.invalid, doubtful)
		}
		if !d.handOver(ctx, p) {
			return nil
		}
		ids := make([]string, len(p.reports))
		asked := make(map[string]bool, len(p.reports))
		for i, r := range p.reports {
			ids[i], asked[r.JobID] = r.JobID, true
		}
		recent = append(recent[max(len(recent)-recentPages+1, 0):], asked)
		progress, err := d.deleted(d.c.deleteIn(ctx, dc, nil, ids))
		if err != nil {
			return err
		}
		if progress == 0 {
			return fmt.Errorf("%w: every report of a page of %d was already gone", ErrDrainStalled, len(p.reports))
		}
	}
	return nil
}

// finalOnce returns the reports of a listing that can be taken, each job once, and the IDs of
// the jobs that cannot: a job listed with a recipient still PENDING, or listed twice with
// different reports, is neither handed over nor deleted.
func finalOnce(listed page) (p page, leftOut []string) {
	first := make(map[string]int, len(listed.reports)) // job ID -> index of its first copy
	doubtful := map[string]bool{}
	for i, r := range listed.reports {
		j, seen := first[r.JobID]
		if !seen {
			first[r.JobID] = i
		}
		if !IsReportFinal(r) || seen && !bytes.Equal(listed.raw[j], listed.raw[i]) {
			doubtful[r.JobID] = true
		}
	}
	for i, r := range listed.reports {
		switch {
		case first[r.JobID] != i:
		case doubtful[r.JobID]:
			leftOut = append(leftOut, r.JobID)
		default:
			p.reports, p.raw = append(p.reports, r), append(p.raw, listed.raw[i])
		}
	}
	return p, leftOut
}

// handOver gives p to the handler and reports whether it accepted it.
func (d *drain) handOver(ctx context.Context, p page) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stop.Load() {
		return false
	}
	d.counts.Pages++
	d.counts.Reports += len(p.reports)
	if err := d.handle(ctx, p); err != nil {
		d.handlerErr = err
		d.stop.Store(true)
		return false
	}
	return true
}

// deleted counts the outcomes of deleting an accepted page. It returns how many reports this
// drain deleted or probably deleted (an answer lost, then NOT_FOUND), and the first failure.
func (d *drain) deleted(outcomes []error) (progress int, failed error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, err := range outcomes {
		switch {
		case err == nil:
			d.counts.Deleted++
			progress++
		case errors.Is(err, ErrDeleteUnconfirmed):
			d.counts.Gone++
			progress++
		case errors.Is(err, ErrNotFound):
			d.counts.Gone++
		case failed == nil:
			failed = err
		}
	}
	return progress, failed
}
