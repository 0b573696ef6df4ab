package faxreport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/validate"
)

// ListLimit is the most reports a data center lists, and the most job IDs a bulk request may
// carry: the vendor's limit.
const ListLimit = 1000

// Listing is what ListStatusReports found: one part per data center, in the order of
// Client.Endpoints.
type Listing struct {
	Parts []ListPart
}

// ListPart is one data center's listing.
type ListPart struct {
	Endpoint string    // the data center's base URL
	Reports  []*Report // its oldest completed reports, oldest first; nil when it gave no listing
	// JSON holds each report of Reports exactly as the data center sent it (validated against
	// openapi.yaml like Reports), unknown fields and nulls included: for callers that store or
	// forward reports, as GetStatusReportJSON does for one.
	JSON []json.RawMessage
	// Invalid holds the listed reports that break the contract of openapi.yaml, left out of
	// Reports and named in Err: each as the data center sent it, with its error (JobID is ""
	// for one without a jobId).
	Invalid []InvalidReport
	// Truncated says the data center listed ListLimit reports: it may hold more, which it lists
	// only once these are deleted.
	Truncated bool
	// Err says why this data center gave no listing, or why Reports lacks some of what it
	// listed (reports that break the contract, named by job, are left out); nil when neither.
	Err error
}

// Count returns how many reports the listing holds in all.
func (l *Listing) Count() int {
	n := 0
	for _, p := range l.Parts {
		n += len(p.Reports)
	}
	return n
}

// Reports returns every listed report, data center by data center.
func (l *Listing) Reports() []*Report {
	all := make([]*Report, 0, l.Count())
	for _, p := range l.Parts {
		all = append(all, p.Reports...)
	}
	return all
}

// Truncated reports whether any data center listed ListLimit reports and may hold more.
func (l *Listing) Truncated() bool {
	for _, p := range l.Parts {
		if p.Truncated {
			return true
		}
	}
	return false
}

// ListStatusReports lists the completed jobs' reports of every data center of the region: each
// data center is asked on its own (with retries), since each holds only its own jobs, and lists
// at most its oldest ListLimit. There is no next page: a data center lists newer reports only
// once the listed ones are deleted (see DrainStatusReports).
//
// The Listing always has one part per data center. When a data center failed, its part has the
// error, and so does the call: the error names every data center that failed (as
// *DataCentersError, which errors.As finds) and matches their sentinels, while the Listing still
// holds what the others returned. A partial listing is thus never taken for a complete one. A
// data center that answers 404 lists nothing: its part is empty, not an error (the vendor's
// own SDK reads it so; logged at debug level).
func (c *Client) ListStatusReports(ctx context.Context) (*Listing, error) {
	parts, errs := askEach(ctx, c, func(ctx context.Context, i int) (ListPart, error) {
		dc := c.dataCenters[i]
		page, err := c.listIn(ctx, dc)
		if err == nil && len(page.invalid) > 0 {
			err = c.leftOut(dc, page.invalid, nil)
		}
		listed := len(page.reports) + len(page.invalid)
		return ListPart{Endpoint: dc.url, Reports: page.reports, JSON: page.raw, Invalid: page.invalid, Truncated: listed >= ListLimit, Err: err}, err
	})
	return &Listing{Parts: parts}, c.dataCentersError(opList, errs)
}

// page is one data center's listing: its valid reports, each one's JSON as sent, and the
// listed reports that broke the contract and were left out of them.
type page struct {
	reports []*Report
	raw     []json.RawMessage
	invalid []InvalidReport // JobID "" for one without a job ID (not a string); Err scrubbed
}

// empty reports whether the data center listed nothing at all.
func (p page) empty() bool { return len(p.reports) == 0 && len(p.invalid) == 0 }

// leftOut is the error of a data center whose listing left reports out (reports that broke the
// contract, and jobs listed not final or twice, differently): they are still there, unread.
func (c *Client) leftOut(dc *dataCenter, invalid []InvalidReport, doubtful []string) error {
	var parts []string
	for _, item := range invalid {
		reason := item.Err // its validation error, without the data center and ErrInvalidResponse, said once below
		if ve := (*validate.Error)(nil); errors.As(reason, &ve) {
			reason = ve
		}
		parts = append(parts, reason.Error())
	}
	for _, id := range doubtful {
		parts = append(parts, "job "+c.quoteAnswered(id)+" is listed not final, or twice with different reports")
	}
	const most = 5
	if len(parts) > most {
		parts = append(parts[:most], fmt.Sprintf("and %d more", len(parts)-most))
	}
	return fmt.Errorf("%s: %w: listed reports left out, still in place: %s", dc.url, ErrInvalidResponse, strings.Join(parts, "; "))
}

// listIn asks one data center for its listing. A 404 is an empty listing (see nothingThere).
func (c *Client) listIn(ctx context.Context, dc *dataCenter) (page, error) {
	list, err := ask(ctx, c, call[validate.List[gen.StatusReport]]{op: opList, method: http.MethodGet, decoder: c.decode.reports}, dc, nil)
	if c.nothingThere(ctx, opList, dc, err) {
		return page{}, nil
	}
	if err != nil {
		return page{}, err
	}
	var invalid []InvalidReport // nil when none, as ListPart.Invalid is
	for i, e := range list.Invalid {
		err := fmt.Errorf("%s: %w: %w", dc.url, ErrInvalidResponse, c.scrubbedValidation(e, list.InvalidRaw[i]))
		invalid = append(invalid, InvalidReport{JobID: e.Job, DataCenter: dc.url, JSON: list.InvalidRaw[i], Err: err})
	}
	return page{reports: pointers(list.Items), raw: list.Raw, invalid: invalid}, nil
}

// nothingThere reports whether err is a 404 answer to op, a call on a data center's reports as
// a whole (listing, delete-oldest): the vendor's own SDK reads it as a 200 with nothing in it,
// and so does this client, logging it at debug level. New refuses an endpoint that does not end
// in /rest/v1, so that a wrong base URL, which would answer 404 too, is not read so.
func (c *Client) nothingThere(ctx context.Context, op string, dc *dataCenter, err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		return false
	}
	c.log.LogAttrs(ctx, slog.LevelDebug, "faxreport: 404 read as nothing there", slog.String("op", op), slog.String("endpoint", dc.url))
	return true
}

// pointers returns pointers to the elements of reports, which it does not copy.
func pointers(reports []Report) []*Report {
	out := make([]*Report, len(reports))
	for i := range reports {
		out[i] = &reports[i]
	}
	return out
}
