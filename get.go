package faxreport

import (
	"context"
	"encoding/json"
	"fmt"
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
	return r.report, err
}

// GetStatusReportJSON is GetStatusReport for callers that want the report exactly as the API
// sent it: the same read, whose body was validated against openapi.yaml, returned byte for
// byte, unknown fields included (without a leading UTF-8 byte-order mark, which is no part of
// the JSON).
func (c *Client) GetStatusReportJSON(ctx context.Context, jobID string) (json.RawMessage, error) {
	r, err := c.getReport(ctx, jobID, nil)
	return r.body, err
}

// reportRead is a report as one read gives it: its model, and its bytes as the API sent them.
type reportRead struct {
	report *Report
	body   json.RawMessage
}

// getReport reads jobID's report from every data center, under GetStatusReport's rules, with
// optional per-data-center request slots.
func (c *Client) getReport(ctx context.Context, jobID string, slots []chan struct{}) (reportRead, error) {
	if err := checkJobID(jobID); err != nil {
		return reportRead{}, err
	}
	raw, err := fetch(ctx, c, c.getCall(jobID, slots))
	if err != nil {
		return reportRead{}, err
	}
	return c.reportOf(jobID, raw)
}

// getCall is the getStatusReport call for jobID: it accepts a report about that job.
func (c *Client) getCall(jobID string, slots []chan struct{}) call[validate.Raw] {
	return call[validate.Raw]{
		op: opGet, method: http.MethodGet, jobID: jobID, decoder: c.decode.reports, slots: slots, bytes: rawBody,
		accept: func(dc *dataCenter, _ int, raw *validate.Raw, err error) error {
			if err != nil {
				return err
			}
			got, _ := raw.Doc.(map[string]any)["jobId"].(string) // validated: an object with a string jobId
			return c.sameJob(dc, jobID, got)
		},
	}
}

// rawBody is the body of a validated answer, as sent.
func rawBody(raw *validate.Raw) []byte { return raw.Body }

// reportOf is the report read as raw, with its model built from the document validated, not
// parsed again.
func (c *Client) reportOf(jobID string, raw *validate.Raw) (reportRead, error) {
	r, err := reportModel().Of(raw.Doc)
	if err != nil { // validation refuses what the model cannot hold (int32 in openapi.yaml): a spec bug
		return reportRead{}, fmt.Errorf("faxreport: get job %s: %w: %s", quoteID(jobID), ErrInvalidResponse, c.scrub.String(err.Error()))
	}
	return reportRead{report: r, body: raw.Body}, nil
}
