package faxreport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/retry"
)

// DeletionOutcome is what became of one job of DeleteStatusReports: Err is nil when a data
// center deleted its report. (DeleteResult is a data center's answer about one job.)
type DeletionOutcome struct {
	JobID string
	Err   error
}

// DeleteStatusReports deletes the reports of many jobs with bulk requests: at most ListLimit
// jobs per request, sent to every data center, since each holds only its own jobs. The results
// are in the order of jobIDs, one per ID (a duplicate is deleted once and its result
// repeated), with the same rules as DeleteStatusReport:
//
//   - deleted by one data center: success (Err nil), the others' NOT_FOUND is expected;
//   - NOT_FOUND from every data center: an error matching ErrNotFound;
//   - INTERNAL_ERROR: the job is sent again, with the retry policy;
//   - NOT_FOUND from a data center after an earlier attempt to it failed (an answer lost on the
//     way may have carried the deletion): ErrDeleteUnconfirmed in a *RegionError, never
//     ErrNotFound;
//   - an answer that leaves the outcome unknown (the job named twice with items that
//     disagree, or the answer carries report fields: the report itself, not a deletion's
//     result): ErrInvalidResponse in a *RegionError, never ErrNotFound;
//   - any other failure: a *RegionError naming each data center that failed.
//
// NOT_FOUND is any of the vendor's readings of "not here": the item, 404, or 400 "not
// available" (a data center that answers a bulk DELETE with 400 or 404 is asked job by job).
// A bad job ID gets ErrInvalidArgument and is not sent. At most opts.Concurrency chunks are
// handled at once, and at most that many requests are in flight to each data center.
// Cancelling ctx ends the call; the jobs not yet decided get the context's error.
func (c *Client) DeleteStatusReports(ctx context.Context, jobIDs []string, opts BatchOptions) []DeletionOutcome {
	workers, err := opts.concurrency()
	jobs := newJobResults(jobIDs, err, func(id string, err error) DeletionOutcome { return DeletionOutcome{JobID: id, Err: err} })
	slots := c.requestSlots(workers)
	var g errgroup.Group
	g.SetLimit(workers)
	for chunk := range slices.Chunk(jobs.ids, ListLimit) { // a bulk request carries at most ListLimit
		g.Go(func() error {
			outcomes, _ := askEach(ctx, c, func(ctx context.Context, i int) ([]error, error) {
				return c.deleteIn(ctx, c.dataCenters[i], slots, workers, chunk), nil
			})
			for n, id := range chunk {
				errs := make([]error, len(outcomes))
				for i := range outcomes {
					errs[i] = outcomes[i][n]
				}
				jobs.set(id, DeletionOutcome{JobID: id, Err: c.deletionError(ctx, id, errs)})
			}
			return nil
		})
	}
	_ = g.Wait() // each job keeps its own error
	return jobs.all()
}

// deletionError combines the data centers' outcomes of deleting jobID: nil when one deleted
// it, ErrNotFound when every one said NOT_FOUND, a *RegionError otherwise.
func (c *Client) deletionError(ctx context.Context, jobID string, errs []error) error {
	if slices.Contains(errs, nil) { // deleted there, whatever the others said
		return nil
	}
	return c.notFoundOrRegionError(ctx, opDelete, jobID, errs)
}

// deleteIn deletes the reports of ids (at most ListLimit) in one data center with bulk DELETE
// and returns each job's outcome, indexed like ids: nil when deleted, an error matching
// ErrNotFound when the data center does not hold it, ErrDeleteUnconfirmed when it said so only
// after an earlier attempt failed, or the failure. Jobs answered INTERNAL_ERROR are sent again,
// alone, under the retry policy. A data center that refuses the bulk request is asked job by
// job, perJob at a time.
func (c *Client) deleteIn(ctx context.Context, dc *dataCenter, slots []chan struct{}, perJob int, ids []string) []error {
	outcome := make([]error, len(ids))
	position := make(map[string]int, len(ids))
	for i, id := range ids {
		position[id] = i
	}
	pending := append([]string(nil), ids...)
	body := &gen.BulkRequest{Action: actionDelete, JobIds: pending} // each attempt sends the jobs still pending
	bulkAttempts := 0
	_, err := ask(ctx, c, call[gen.DeleteResultList]{
		op: opBulkDelete, method: http.MethodPost, body: body, decoder: c.decode.deletions, slots: slots,
		accept: func(dc *dataCenter, attempts int, list *gen.DeleteResultList, err error) error {
			bulkAttempts = attempts
			if err != nil {
				return err
			}
			items, contradicted, err := c.itemsByJob(dc, pending, list.Reports)
			if err != nil {
				return err
			}
			var again []string
			var internal error
			for _, id := range pending {
				r, ok := items[id]
				switch {
				case !ok:
					outcome[position[id]] = fmt.Errorf("%s: %w: bulk answer has no item for job %s", dc.url, ErrInvalidResponse, c.quoteAnswered(id))
				case contradicted[id]:
					outcome[position[id]] = fmt.Errorf("%s: %w: bulk answer names job %s more than once, with items that disagree: outcome unknown", dc.url, ErrInvalidResponse, c.quoteAnswered(id))
				case !IsDeleted(r) && r.Reason != nil && *r.Reason == DeleteReasonInternalError:
					again = append(again, id)
					internal = retry.Temporary(fmt.Errorf("%s: %w (not deleted: %s)", dc.url, ErrUnavailable, *r.Reason), 0)
				default:
					outcome[position[id]] = c.deleted(dc, id, attempts, r, nil)
				}
			}
			pending, body.JobIds = again, again
			return internal
		},
	}, dc, nil)
	switch {
	case err == nil:
	case refusedBulkDelete(err):
		// Refused, so not carried out: the data center (the vendor's older API has no bulk
		// requests) is asked job by job. The attempts before the refusal failed without a
		// usable answer and may have deleted the reports.
		var g errgroup.Group
		g.SetLimit(perJob) // a few at a time, not a thousand
		for _, id := range pending {
			g.Go(func() error {
				outcome[position[id]] = c.deleteOneIn(ctx, dc, slots, id, bulkAttempts-1)
				return nil
			})
		}
		_ = g.Wait() // each job's outcome is its own; none fails the group
	default:
		for _, id := range pending {
			outcome[position[id]] = err
		}
	}
	return outcome
}

// itemsByJob indexes a bulk DELETE answer's items by job. A job named more than once with items
// that disagree (NOT_FOUND, then deleted, say) is contradicted: its outcome is unknown, whatever
// the order of the items. An item about a job that was not asked for spoils the whole answer.
func (c *Client) itemsByJob(dc *dataCenter, asked []string, items []DeleteResult) (byJob map[string]*DeleteResult, contradicted map[string]bool, err error) {
	wanted := make(map[string]bool, len(asked))
	for _, id := range asked {
		wanted[id] = true
	}
	byJob = make(map[string]*DeleteResult, len(items))
	for n := range items {
		r := &items[n]
		if !wanted[r.JobID] {
			return nil, nil, c.notAskedFor(dc, r.JobID)
		}
		first, seen := byJob[r.JobID]
		switch {
		case !seen:
			byJob[r.JobID] = r
		case !reflect.DeepEqual(first, r):
			if contradicted == nil {
				contradicted = map[string]bool{}
			}
			contradicted[r.JobID] = true
		}
	}
	return byJob, contradicted, nil
}

// refusedBulkDelete reports a bulk DELETE that the data center refused with a 4xx other than
// 401 and 429: it deleted nothing, and asking job by job may succeed. An invalid answer is not
// a refusal: the deletions may have been carried out.
func refusedBulkDelete(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && refusedBulk(apiErr)
}

// deleteOneIn deletes jobID's report in one data center with the single-report call, under the
// rules of DeleteStatusReport; earlier counts the attempts that may already have deleted it.
func (c *Client) deleteOneIn(ctx context.Context, dc *dataCenter, slots []chan struct{}, jobID string, earlier int) error {
	if err := checkJobID(jobID); err != nil {
		return err
	}
	cl := c.deleteCall(jobID, earlier)
	cl.slots = slots
	_, err := ask(ctx, c, cl, dc, nil)
	return err
}
