package faxreport

import (
	"context"
	"errors"
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
// for one that does not have the report, and neither is one that answered with report fields
// (recipientStatus, pages) instead of a deletion's result: ErrInvalidResponse, outcome unknown.
func (c *Client) DeleteStatusReport(ctx context.Context, jobID string) (*DeleteResult, error) {
	if err := checkJobID(jobID); err != nil {
		return nil, err
	}
	return fetch(ctx, c, c.deleteCall(jobID, 0))
}

// deleteCall is the deleteStatusReport call for jobID: it accepts an answer that the report was
// deleted (see deleted). earlier counts the attempts made before it that may already have
// deleted the report.
func (c *Client) deleteCall(jobID string, earlier int) call[DeleteResult] {
	return call[DeleteResult]{
		op: opDelete, method: http.MethodDelete, jobID: jobID, decoder: c.decode.deletion,
		accept: func(dc *dataCenter, attempts int, r *DeleteResult, err error) error {
			return c.deleted(dc, jobID, earlier+attempts, r, err)
		},
	}
}

// ErrDeleteUnconfirmed is matched by the error of a data center that answered "not found" after
// an earlier attempt to it failed without an answer: that attempt may have deleted the report.
var ErrDeleteUnconfirmed = errors.New("deletion unconfirmed: an earlier attempt may have deleted the report")

// IsDeleted reads a deletion's answer: deleted is true, or absent without a reason (the vendor's
// Go SDK reads an answer without "deleted" as a deletion; with a reason, it was not one).
func IsDeleted(r *DeleteResult) bool {
	if r.Deleted != nil {
		return *r.Deleted
	}
	return r.Reason == nil
}

// deleted accepts an answer that says the report was deleted and classifies the others: an
// attempt's error, or an answer that it was not. attempts counts the attempts made to dc, this
// one included. Every "not there" (404, 400 "not available", or NOT_FOUND) after an earlier
// attempt failed is unconfirmed, since that attempt may have deleted the report.
func (c *Client) deleted(dc *dataCenter, jobID string, attempts int, r *DeleteResult, err error) error {
	if err == nil {
		err = c.notDeleted(dc, jobID, r)
	}
	if err != nil && attempts > 1 && errors.Is(err, ErrNotFound) {
		return fmt.Errorf("%s: %w (not found on attempt %d: %w)", dc.url, ErrDeleteUnconfirmed, attempts, errNotNotFound{err})
	}
	return err
}

// notDeleted returns nil for an answer that says the report was deleted, and the error that the
// answer gives otherwise.
func (c *Client) notDeleted(dc *dataCenter, jobID string, r *DeleteResult) error {
	if err := c.sameJob(dc, jobID, r.JobID); err != nil {
		return err
	}
	if IsDeleted(r) {
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
	return fmt.Errorf("%s: not deleted: %s", dc.url, httpbody.Truncate(c.scrub.String(reason), httpbody.ExcerptBytes))
}

// errNotNotFound shows an error's text but hides what it matches: an unconfirmed deletion must
// never match ErrNotFound.
type errNotNotFound struct{ err error }

func (e errNotNotFound) Error() string { return e.err.Error() }
