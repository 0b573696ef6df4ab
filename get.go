package faxreport

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/faxreport/faxreport/internal/fanout"
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
	r, _, err := c.getStatusReport(ctx, jobID)
	return r, err
}

// getStatusReport is GetStatusReport that also says when its last request has ended.
func (c *Client) getStatusReport(ctx context.Context, jobID string) (*Report, <-chan struct{}, error) {
	if err := checkJobID(jobID); err != nil {
		return nil, fanout.Closed, err
	}
	return fetch(ctx, c, opGet, jobID, c.sendGet(jobID), c.decode.reports, nil)
}

// GetStatusReportJSON is GetStatusReport for callers that want the report exactly as the API
// sent it: the body is validated against openapi.yaml the same way, then returned byte for
// byte, unknown fields included.
func (c *Client) GetStatusReportJSON(ctx context.Context, jobID string) (json.RawMessage, error) {
	if err := checkJobID(jobID); err != nil {
		return nil, err
	}
	raw, _, err := fetch(ctx, c, opGet, jobID, c.sendGet(jobID), c.decode.rawReports, nil)
	if err != nil {
		return nil, err
	}
	return *raw, nil
}

// sendGet sends the getStatusReport request for jobID.
func (c *Client) sendGet(jobID string) sendFunc {
	return func(ctx context.Context, dc *dataCenter) (*http.Response, error) {
		return dc.api.GetStatusReport(ctx, c.customerNumber, jobID, c.editors...)
	}
}
