package faxreport

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/faxreport/faxreport/internal/validate"
)

// WaitForStatusReportJSON is WaitForStatusReport for callers that want the final report exactly
// as the API sent it, as GetStatusReportJSON returns it: each poll reads the body as
// GetStatusReportJSON does (validated against openapi.yaml the same way), and the report in it
// is final as IsReportFinal says of its model, built from the document that was validated, not
// parsed again. The bytes returned are those of the poll that found the report final, byte for
// byte, unknown fields included: no further request is made.
//
// The options, the stops and the errors are WaitForStatusReport's. A *WaitError's Last is the
// model of the last report seen that was not final, and its LastJSON that same report's bytes.
func (c *Client) WaitForStatusReportJSON(ctx context.Context, jobID string, opts WaitOptions) (json.RawMessage, error) {
	final, err := c.wait(ctx, jobID, opts, func(ctx context.Context) (polled, error) {
		return c.pollJSON(ctx, jobID)
	})
	return final.body, err
}

// pollJSON reads jobID's report as the API sent it, with its model.
func (c *Client) pollJSON(ctx context.Context, jobID string) (polled, error) {
	raw, err := c.getStatusReportRaw(ctx, jobID, nil)
	if err != nil {
		return polled{}, err
	}
	r, err := reportModel().Of(raw.Doc)
	if err != nil { // validation refuses what the model cannot hold (int32 in openapi.yaml): a spec bug
		return polled{}, fmt.Errorf("faxreport: get job %s: %w: %s", quoteID(jobID), ErrInvalidResponse, c.scrub.String(err.Error()))
	}
	return polled{report: r, body: raw.Body}, nil
}

// reportModel builds a Report from a validated report document, once per process.
var reportModel = sync.OnceValue(validate.NewModel[Report])
