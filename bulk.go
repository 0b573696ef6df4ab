package faxreport

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/httpbody"
	"github.com/faxreport/faxreport/internal/validate"
)

// Bulk actions of bulkStatusReports.
const (
	actionGet    = "GET"
	actionDelete = "DELETE"
)

// bulkReadIn reads the reports of ids (at most ListLimit) from data center i in one bulk GET,
// with retries, and returns the reports found by job. An item that breaks the contract, one
// about a job not asked for, or a job listed twice makes the whole answer invalid.
func (b *batch) bulkReadIn(ctx context.Context, i int, ids []string) (map[string]reportRead, error) {
	c := b.c
	asked := make(map[string]bool, len(ids))
	for _, id := range ids {
		asked[id] = true
	}
	list, err := ask(ctx, c, call[validate.List[gen.StatusReport]]{
		op: opBulkGet, method: http.MethodPost, body: &gen.BulkRequest{Action: actionGet, JobIds: ids}, decoder: c.decode.reports, slots: b.slots,
		accept: func(dc *dataCenter, _ int, list *validate.List[gen.StatusReport], err error) error {
			if err != nil {
				return err
			}
			if len(list.Invalid) > 0 { // the decoder keeps a list's valid items: not here
				return fmt.Errorf("%s: %w: %w", dc.url, ErrInvalidResponse, c.scrubbedValidation(list.Invalid[0], list.InvalidRaw[0]))
			}
			listed := make(map[string]bool, len(list.Items))
			for _, r := range list.Items {
				switch {
				case !asked[r.JobID]:
					return c.notAskedFor(dc, r.JobID)
				case listed[r.JobID]:
					return fmt.Errorf("%s: %w: bulk answer lists job %s twice", dc.url, ErrInvalidResponse, quoteID(r.JobID))
				}
				listed[r.JobID] = true
			}
			return nil
		},
	}, c.dataCenters[i], nil)
	if err != nil {
		return nil, err
	}
	found := make(map[string]reportRead, len(list.Items))
	for n := range list.Items {
		found[list.Items[n].JobID] = reportRead{Value: &list.Items[n], JSON: list.Raw[n]}
	}
	return found, nil
}

// refusedBulk reports a bulk request that the data center refused or answered unusably, for
// which asking job by job may still succeed: a 4xx other than 401 and 429 (the vendor warns of
// errors about unknown job IDs), or an invalid answer (one bad report spoils the whole list).
func refusedBulk(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		s := apiErr.StatusCode
		return s >= 400 && s < 500 && s != http.StatusUnauthorized && s != http.StatusTooManyRequests
	}
	return errors.Is(err, ErrInvalidResponse)
}

// readChunk reads one chunk of ids from every data center in bulk. It stores the reports found
// and the errors of jobs that cannot be decided, and returns the IDs that no data center
// returned and that must be confirmed with the single-report call: a bulk answer without a job
// is not the documented "not found".
func (b *batch) readChunk(ctx context.Context, ids []string) (confirm []string) {
	found, errs := b.readChunkEverywhere(ctx, ids)
	undecidable := false // a data center failed in a way that asking per job would not mend
	for _, err := range errs {
		if err != nil && !refusedBulk(err) {
			undecidable = true
		}
	}
	for _, id := range ids {
		if item, ok := found[id]; ok {
			b.set(id, resultOf(item))
			continue
		}
		switch {
		case ctx.Err() != nil:
			b.set(id, notFetched(ctx, id))
		case undecidable:
			b.set(id, ReportResult{Err: b.c.regionError(ctx, id, errs)})
		default:
			confirm = append(confirm, id)
		}
	}
	return confirm
}

// errChunkComplete cancels the bulk reads still running once others have returned every job.
var errChunkComplete = errors.New("every job of the chunk was returned by other data centers")

// readChunkEverywhere sends the bulk GET of ids to every data center at once and returns the
// reports found and each data center's error. As soon as the answers in hand hold
// every job, the data centers still working are cancelled (their error is then
// errChunkComplete's): a slow or hanging data center holds nothing up that it could not change.
func (b *batch) readChunkEverywhere(ctx context.Context, ids []string) (map[string]reportRead, []error) {
	c := b.c
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var mu sync.Mutex // guards what follows
	found := make(map[string]reportRead, len(ids))
	from := make(map[string]int, len(ids)) // the data center each report was found in
	errs := make([]error, len(c.dataCenters))
	var g errgroup.Group // one request per data center
	for i := range c.dataCenters {
		g.Go(func() error {
			got, err := b.bulkReadIn(ctx, i, ids)
			mu.Lock()
			defer mu.Unlock()
			errs[i] = err
			for id, r := range got {
				switch first, seen := found[id]; {
				case !seen:
					found[id], from[id] = r, i
				case !bytes.Equal(first.JSON, r.JSON): // a job lives in one data center: an invariant broken
					c.warnDiffering(ctx, opBulkGet, id, from[id], i)
				}
			}
			if len(found) == len(ids) {
				cancel(errChunkComplete)
			}
			return nil
		})
	}
	_ = g.Wait() // each data center keeps its own error
	return found, errs
}

// jobResults holds the results of a call about many jobs, one per ID given, in order. Each
// distinct valid ID is handled once (ids) and its result repeated for its duplicates.
type jobResults[R any] struct {
	given   []string
	ids     []string       // the distinct valid IDs, in order: the jobs to handle
	first   map[string]int // each distinct ID's first position in given
	results []R
}

// newJobResults sorts jobIDs into the jobs to handle and the others, which get failed's result
// at once: an invalid ID, or every ID when err (a bad option) is set.
func newJobResults[R any](jobIDs []string, err error, failed func(id string, err error) R) *jobResults[R] {
	s := &jobResults[R]{given: jobIDs, first: make(map[string]int, len(jobIDs)), results: make([]R, len(jobIDs))}
	for i, id := range jobIDs {
		if _, seen := s.first[id]; seen {
			continue
		}
		s.first[id] = i
		if err := cmp.Or(err, checkJobID(id)); err != nil {
			s.results[i] = failed(id, err)
			continue
		}
		s.ids = append(s.ids, id)
	}
	return s
}

// set stores the result of job id; jobs of their own may be set concurrently.
func (s *jobResults[R]) set(id string, r R) { s.results[s.first[id]] = r }

// all returns the results, in the order of the IDs given: a duplicate's is its first one's.
func (s *jobResults[R]) all() []R {
	for i, id := range s.given {
		s.results[i] = s.results[s.first[id]]
	}
	return s.results
}

// notAskedFor reports a bulk answer's item about a job the request did not ask for.
func (c *Client) notAskedFor(dc *dataCenter, jobID string) error {
	return fmt.Errorf("%s: %w: bulk answer about job %s, which was not asked for", dc.url, ErrInvalidResponse, httpbody.Excerpt(c.scrub.Bytes([]byte(jobID))))
}
