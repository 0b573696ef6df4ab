package faxreport

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/faxreport/faxreport/internal/httpbody"
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
	return c.getStatusReport(ctx, jobID, nil)
}

// getStatusReport is GetStatusReport with optional per-data-center request slots.
func (c *Client) getStatusReport(ctx context.Context, jobID string, slots []chan struct{}) (*Report, error) {
	if err := checkJobID(jobID); err != nil {
		return nil, err
	}
	return fetch(ctx, c, call[Report]{
		op: opGet, jobID: jobID, send: sendGet, decoder: c.decode.reports, slots: slots, accept: acceptReport,
	})
}

// acceptReport accepts a report about the job asked for.
func acceptReport(c *Client, dc *dataCenter, jobID string, _ int, r *Report, err error) error {
	if err != nil {
		return err
	}
	return c.sameJob(dc, jobID, r.JobID)
}

// GetStatusReportJSON is GetStatusReport for callers that want the report exactly as the API
// sent it: the body is validated against openapi.yaml the same way, then returned byte for
// byte, unknown fields included (without a leading UTF-8 byte-order mark, which is no part of
// the JSON).
func (c *Client) GetStatusReportJSON(ctx context.Context, jobID string) (json.RawMessage, error) {
	raw, err := c.getStatusReportRaw(ctx, jobID, nil)
	if err != nil {
		return nil, err
	}
	return raw.Body, nil
}

// getStatusReportRaw is GetStatusReportJSON with the document the body was validated as, and
// with optional per-data-center request slots.
func (c *Client) getStatusReportRaw(ctx context.Context, jobID string, slots []chan struct{}) (*validate.Raw, error) {
	if err := checkJobID(jobID); err != nil {
		return nil, err
	}
	return fetch(ctx, c, call[validate.Raw]{
		op: opGet, jobID: jobID, send: sendGet, decoder: c.decode.rawReports, slots: slots, accept: acceptRawReport,
	})
}

// acceptRawReport accepts a report about the job asked for, as the API sent it.
func acceptRawReport(c *Client, dc *dataCenter, jobID string, _ int, raw *validate.Raw, err error) error {
	if err != nil {
		return err
	}
	got, _ := raw.Doc.(map[string]any)["jobId"].(string) // validated: an object with a string jobId
	return c.sameJob(dc, jobID, got)
}

// sameJob reports a response about another job than the one asked for (a misrouting proxy or
// cache) as an invalid response.
func (c *Client) sameJob(dc *dataCenter, asked, got string) error {
	if got == asked {
		return nil
	}
	return fmt.Errorf("%s: %w: answer about job %s, not %s", dc.url, ErrInvalidResponse, httpbody.Excerpt(c.scrub.Bytes([]byte(got))), quoteID(asked))
}

// sendGet sends the getStatusReport request for jobID: the generated client's request
// (gen.Client.GetStatusReport), with the same URL, editors and doer, but with the URL
// built from the data center's reportsURL and the escaped job ID instead of parsing and
// resolving the base URL on every call (TestReportURLIsTheGeneratedOne).
func sendGet(ctx context.Context, c *Client, dc *dataCenter, jobID string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, dc.reportsURL+url.PathEscape(jobID), nil)
	if err != nil {
		return nil, err
	}
	for _, edit := range c.editors {
		if err := edit(ctx, req); err != nil {
			return nil, err
		}
	}
	return c.doer.Do(req)
}
