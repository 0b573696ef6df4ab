package faxreport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"
)

// everywhere is the home of a job that no data center has shown yet: it is asked in all.
const everywhere = -1

// round polls every pending job once: in bulk, in its home data center or, while it has none,
// in every data center. A job seen final is handed over at once; the others are judged once
// every answer is in, and those past the not-found limit are confirmed one by one.
func (w *manyWait) round(ctx context.Context) {
	asks := make([][]*waiting, len(w.b.c.dataCenters))
	for _, j := range w.jobs {
		if j.done {
			continue
		}
		j.stop.Polls++
		j.seenIn, j.failed = -1, nil
		for i := range asks {
			if j.home == everywhere || j.home == i {
				asks[i] = append(asks[i], j)
			}
		}
	}
	g := new(errgroup.Group)
	g.SetLimit(DefaultConcurrency)
	for i, jobs := range asks {
		for chunk := range slices.Chunk(jobs, ListLimit) {
			g.Go(func() error {
				w.readIn(ctx, i, chunk)
				return nil
			})
		}
	}
	_ = g.Wait()    // each job keeps its own errors
	if ended(ctx) { // a round cut short changes no job's last error
		return
	}
	var confirm []*waiting
	w.mu.Lock()
	for _, j := range w.jobs {
		if !j.done && w.judge(ctx, j) {
			confirm = append(confirm, j)
		}
	}
	w.mu.Unlock()
	w.confirm(ctx, confirm)
}

// readIn reads chunk (at most ListLimit jobs) in data center i with one bulk GET, or job by job
// when the data center refuses it, and records each job's answer.
func (w *manyWait) readIn(ctx context.Context, i int, chunk []*waiting) {
	ids := make([]string, len(chunk))
	for n, j := range chunk {
		ids[n] = j.id
	}
	found, err := w.b.bulkReadIn(ctx, i, ids)
	var errs []error // each job's error, indexed like chunk: nil when read, or not there
	if err != nil && refusedBulk(err) && ctx.Err() == nil {
		found, errs = w.readEachIn(ctx, i, ids)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for n, j := range chunk {
		if item, ok := found[j.id]; ok {
			w.seen(ctx, j, i, item)
			continue
		}
		failed := err
		if errs != nil {
			failed = errs[n]
		}
		if failed != nil {
			if j.failed == nil {
				j.failed = make([]error, len(w.b.c.dataCenters))
			}
			j.failed[i] = failed
		}
	}
}

// readEachIn reads ids in data center i with the single-report call, a few at a time: the
// fallback of a data center that refused a bulk GET. It returns the reports found and each
// job's error, indexed like ids: nil for a report and for a 404.
func (w *manyWait) readEachIn(ctx context.Context, i int, ids []string) (map[string]reportRead, []error) {
	found := make(map[string]reportRead)
	errs := make([]error, len(ids))
	var mu sync.Mutex
	g := new(errgroup.Group)
	g.SetLimit(DefaultConcurrency)
	for n, id := range ids {
		g.Go(func() error {
			item, err := w.b.readOneIn(ctx, i, id)
			switch {
			case err == nil:
				mu.Lock()
				found[id] = item
				mu.Unlock()
			case !errors.Is(err, ErrNotFound):
				errs[n] = err
			}
			return nil
		})
	}
	_ = g.Wait()
	return found, errs
}

// seen records that data center i returned j's report this round: a final one ends j's wait at
// once; a pending one makes i j's home. A second data center's answer is only compared with the
// first. The caller holds w.mu.
func (w *manyWait) seen(ctx context.Context, j *waiting, i int, item reportRead) {
	if j.seenIn >= 0 { // a job lives in one data center: an invariant broken
		if !bytes.Equal(j.seen.JSON, item.JSON) {
			w.b.c.warnDiffering(ctx, opBulkGet, j.id, j.seenIn, i)
		}
		return
	}
	j.seen, j.seenIn = item, i
	if IsReportFinal(item.Value) {
		w.finish(j, resultOf(item))
		return
	}
	j.home = i
	j.stop.Last, j.stop.LastJSON, j.lastErr = item.Value, item.JSON, nil
}

// judge decides, at the end of a round, what became of a job not seen in it, and reports
// whether it is past the not-found limit and must be confirmed. A failure that no poll can
// change ends its wait; another is "not yet". A round in which every data center asked answered
// without it counts toward the limit, and the job is asked everywhere again. A failure's
// *RegionError names each data center asked that failed, and the others asked as not holding
// the job. The caller holds w.mu.
func (w *manyWait) judge(ctx context.Context, j *waiting) (confirm bool) {
	switch {
	case j.seenIn >= 0:
		return false
	case j.failed != nil:
		errs := slices.Clone(j.failed)
		for i := range errs {
			if j.home != everywhere && j.home != i {
				errs[i] = errNotAsked
			}
		}
		err := w.b.c.regionError(ctx, j.id, errs)
		if endsWait(err) {
			w.finish(j, ReportResult{Err: err})
		}
		j.lastErr = err
		return false
	}
	j.home, j.lastErr = everywhere, w.notShown(j)
	j.notFound++
	return j.notFound > w.cfg.notFoundLimit
}

// notShown is the error of a round in which every data center asked answered without j: not
// found, as the single wait's 404 from every data center reads, so that a wait whose deadline
// comes first says so.
func (w *manyWait) notShown(j *waiting) error {
	return fmt.Errorf("faxreport: %w: job %s: in none of %d data centers", ErrNotFound, w.b.c.quoteAnswered(j.id), len(w.b.c.dataCenters))
}

// confirm reads each of jobs, past the not-found limit, with the single-report call in every
// data center, a few at a time: only a 404 from each ends a wait as not found.
func (w *manyWait) confirm(ctx context.Context, jobs []*waiting) {
	g := new(errgroup.Group)
	g.SetLimit(DefaultConcurrency)
	for _, j := range jobs {
		g.Go(func() error {
			item, err := w.b.c.getReport(ctx, j.id, w.b.slots)
			w.mu.Lock()
			defer w.mu.Unlock()
			switch {
			case ended(ctx): // the wait ends all pending jobs
			case err == nil && IsReportFinal(item.Value):
				w.finish(j, resultOf(item))
			case err == nil:
				j.stop.Last, j.stop.LastJSON, j.lastErr = item.Value, item.JSON, nil
			case errors.Is(err, ErrNotFound):
				w.finish(j, ReportResult{Err: j.stop.at(w.start, err, nil)})
			case endsWait(err):
				w.finish(j, ReportResult{Err: err})
			default:
				j.lastErr = err
			}
			return nil
		})
	}
	_ = g.Wait()
}

// endsWait reports an error that no later poll can change, which ends a wait: a bad argument,
// refused credentials, or an answer that broke the contract.
func endsWait(err error) bool {
	return errors.Is(err, ErrInvalidArgument) || errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrInvalidResponse)
}

// readOneIn reads jobID's report in data center i alone, with the single-report call and its
// retries.
func (b *batch) readOneIn(ctx context.Context, i int, jobID string) (reportRead, error) {
	r, err := ask(ctx, b.c, b.c.getCall(jobID, b.slots), b.c.dataCenters[i], nil)
	if err != nil {
		return reportRead{}, err
	}
	return *r, nil
}
