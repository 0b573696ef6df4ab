package faxreport

import (
	"context"
	"net/http"
)

// GetStatusReport fetches the status report of a fax job. It asks every data center of the
// region at once, since a report lives only in the one that processed the job, and returns the
// first valid report without waiting for the others.
//
// Errors: ErrInvalidArgument for an empty or path-changing job ID (nothing is sent);
// ErrNotFound, as an *APIError with StatusCode 404, when every data center said 404; otherwise a
// *RegionError naming each data center that failed, which matches ErrUnauthorized,
// ErrUnavailable, ErrInvalidResponse or the context's error as they apply.
func (c *Client) GetStatusReport(ctx context.Context, jobID string) (*Report, error) {
	if err := checkJobID(jobID); err != nil {
		return nil, err
	}
	send := func(ctx context.Context, dc dataCenter) (*http.Response, error) {
		return dc.api.GetStatusReport(ctx, c.customerNumber, jobID, c.editors...)
	}
	return fetch(ctx, c, "get", jobID, send, c.reports, nil)
}
