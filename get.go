package faxreport

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/faxreport/faxreport/internal/validate"
)

// GetStatusReport fetches the status report of a fax job. It asks every data center of the
// region at once, since a report lives only in the one that processed the job, and returns the
// first valid report without waiting for the others.
//
// Errors: ErrInvalidArgument for an empty or path-changing job ID (nothing is sent);
// ErrNotFound, as an *APIError with StatusCode 404, when every data center said 404; otherwise a
// *RegionError naming each data center that failed, which matches ErrUnauthorized,
// ErrUnavailable, ErrInvalidResponse or the context's error as they apply. A report for another
// job than the one asked for is an invalid response.
func (c *Client) GetStatusReport(ctx context.Context, jobID string) (*Report, error) {
	r, err := c.getReport(ctx, jobID, nil)
	return r.Value, err
}

// GetStatusReportJSON is GetStatusReport for callers that want the report exactly as the API
// sent it: the same read, whose body was validated against openapi.yaml, returned byte for
// byte, unknown fields included (without a leading UTF-8 byte-order mark, which is no part of
// the JSON).
func (c *Client) GetStatusReportJSON(ctx context.Context, jobID string) (json.RawMessage, error) {
	r, err := c.getReport(ctx, jobID, nil)
	return r.JSON, err
}

// reportRead is a report as one read gives it: its model, and its bytes as the API sent them.
type reportRead = validate.WithJSON[Report]

// getReport reads jobID's report from every data center, under GetStatusReport's rules, with
// optional per-data-center request slots.
func (c *Client) getReport(ctx context.Context, jobID string, slots []chan struct{}) (reportRead, error) {
	if err := checkJobID(jobID); err != nil {
		return reportRead{}, err
	}
	r, err := fetch(ctx, c, c.getCall(jobID, slots))
	if err != nil {
		return reportRead{}, err
	}
	return *r, nil
}

// getCall is the getStatusReport call for jobID: it accepts a report about that job.
func (c *Client) getCall(jobID string, slots []chan struct{}) call[reportRead] {
	return call[reportRead]{
		op: opGet, method: http.MethodGet, jobID: jobID, decoder: c.decode.report, slots: slots,
		bytes: func(r *reportRead) []byte { return r.JSON },
		accept: func(dc *dataCenter, _ int, r *reportRead, err error) error {
			if err != nil {
				return err
			}
			return c.sameJob(dc, jobID, r.Value.JobID)
		},
	}
}
