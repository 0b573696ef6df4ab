package faxreport

import (
	"context"
	"fmt"
	"net/http"

	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/httpbody"
	"github.com/faxreport/faxreport/internal/retry"
)

// DeleteResult is the service's answer to a deletion, as generated from openapi.yaml.
type DeleteResult = gen.DeleteResult

// Reasons a data center gives for not deleting a report.
const (
	DeleteReasonNotFound      = "NOT_FOUND"      // the report is not in this data center
	DeleteReasonInternalError = "INTERNAL_ERROR" // the data center failed; worth a retry
)

// DeleteStatusReport deletes the status report of a fax job. Like GetStatusReport it asks every
// data center at once, since only the one that holds the report can delete it, and succeeds as
// soon as one of them has deleted it; the others answering "not found" is expected.
//
// Errors: ErrInvalidArgument for a bad job ID; ErrNotFound when no data center has the report
// (each answered 404, 400 "not available" or deleted=false with reason NOT_FOUND); otherwise a
// *RegionError naming each data center that failed. A data center that failed is never taken
// for one that does not have the report.
func (c *Client) DeleteStatusReport(ctx context.Context, jobID string) (*DeleteResult, error) {
	if err := checkJobID(jobID); err != nil {
		return nil, err
	}
	send := func(ctx context.Context, dc *dataCenter) (*http.Response, error) {
		return dc.api.DeleteStatusReport(ctx, c.customerNumber, jobID, c.editors...)
	}
	r, _, err := fetch(ctx, c, opDelete, jobID, send, c.decode.deletions, deleted)
	return r, err
}

// deleted accepts an answer that says the report was deleted and classifies the others.
func deleted(dc *dataCenter, r *DeleteResult) error {
	if r.Deleted {
		return nil
	}
	reason := "no reason given"
	if r.Reason != nil {
		reason = *r.Reason
	}
	switch reason {
	case DeleteReasonNotFound:
		return fmt.Errorf("%s: %w (not deleted: %s)", dc.url, ErrNotFound, reason)
	case DeleteReasonInternalError:
		return retry.Temporary(fmt.Errorf("%s: %w (not deleted: %s)", dc.url, ErrUnavailable, reason), 0)
	}
	return fmt.Errorf("%s: not deleted: %s", dc.url, httpbody.Truncate(reason, httpbody.ExcerptBytes))
}
