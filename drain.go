package faxreport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/retry"
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
// again a report it had been asked to delete: going on would hand the same page over forever.
var ErrDrainStalled = errors.New("drain stalled: a data center lists again reports it was asked to delete")

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
//     stops its part of the drain with ErrDrainStalled rather than looping.
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
	handle func(context.Context, []*Report) error
	stop   atomic.Bool // set by a handler error: no data center lists another page

	mu         sync.Mutex // serialises handle and guards what follows
	counts     DrainCounts
	handlerErr error
}

// dataCenter drains one data center; the handler's error is kept in d, not returned.
func (d *drain) dataCenter(ctx context.Context, dc *dataCenter) error {
	var asked map[string]bool // the jobs of the last page, asked to be deleted
	for !d.stop.Load() {
		page, err := d.c.listIn(ctx, dc)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		for _, r := range page {
			if asked[r.JobID] {
				return fmt.Errorf("%w: job %s", ErrDrainStalled, quoteID(r.JobID))
			}
		}
		if !d.handOver(ctx, page) {
			return nil
		}
		ids := make([]string, len(page))
		asked = make(map[string]bool, len(page))
		for i, r := range page {
			ids[i], asked[r.JobID] = r.JobID, true
		}
		if err := d.deleted(d.c.deleteIn(ctx, dc, nil, ids)); err != nil {
			return err
		}
	}
	return nil
}

// handOver gives page to the handler and reports whether it accepted it.
func (d *drain) handOver(ctx context.Context, page []*Report) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stop.Load() {
		return false
	}
	d.counts.Pages++
	d.counts.Reports += len(page)
	if err := d.handle(ctx, page); err != nil {
		d.handlerErr = err
		d.stop.Store(true)
		return false
	}
	return true
}

// deleted counts the outcomes of deleting an accepted page and returns the first failure.
func (d *drain) deleted(outcomes []error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var failed error
	for _, err := range outcomes {
		switch {
		case err == nil:
			d.counts.Deleted++
		case errors.Is(err, ErrNotFound), errors.Is(err, ErrDeleteUnconfirmed):
			d.counts.Gone++
		case failed == nil:
			failed = err
		}
	}
	return failed
}

// DeleteOldestStatusReports deletes up to ListLimit of the oldest reports of every data center,
// whether anyone has read them or not, and returns the data centers' results.
//
// Warning: this deletes reports nobody may have read, including ones completed after a listing
// was taken. Never use it to acknowledge what was read: delete the jobs read with
// DeleteStatusReports, or use DrainStatusReports, which never calls this.
//
// Each data center is asked once, without retries: repeating a deletion whose answer was lost
// would delete the next oldest reports too. A data center that fails makes the call return an
// error naming it (*EndpointError, joined) with the results of the others.
func (c *Client) DeleteOldestStatusReports(ctx context.Context) ([]DeleteResult, error) {
	send := func(ctx context.Context, dc *dataCenter) (*http.Response, error) {
		return dc.api.DeleteOldestStatusReports(ctx, c.customerNumber, c.editors...)
	}
	lists, errs := askEach(ctx, c, func(ctx context.Context, i int) ([]DeleteResult, error) {
		list, err := retry.Do(ctx, retry.Policy{MaxAttempts: 1}, func() (*gen.DeleteResultList, error) {
			return attempt(ctx, c, opDeleteOldest, "", 1, c.dataCenters[i], nil, send, c.decode.oldest)
		})
		if err != nil {
			return nil, err
		}
		return list.Reports, nil
	})
	var results []DeleteResult
	var failed []error
	for i, list := range lists {
		results = append(results, list...)
		if errs[i] != nil {
			failed = append(failed, &EndpointError{Endpoint: c.dataCenters[i].url, Err: errs[i]})
		}
	}
	if len(failed) > 0 {
		return results, fmt.Errorf("faxreport: delete oldest: %d of %d data centers failed: %w", len(failed), len(errs), errors.Join(failed...))
	}
	return results, nil
}
