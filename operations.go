package faxreport

import (
	"sync"

	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/validate"
)

// Operations, as named in errors and logs.
const (
	opGet          = "get"
	opDelete       = "delete"
	opList         = "list"
	opBulkGet      = "bulk get"
	opBulkDelete   = "bulk delete"
	opDeleteOldest = "delete oldest"
)

// bodyLimit is the cap on the body of a 200 to op: a listing or a bulk answer holds up to
// ListLimit reports or results, so it has a cap of its own.
func (c *Client) bodyLimit(op string) int64 {
	switch op {
	case opList, opBulkGet, opBulkDelete, opDeleteOldest:
		return c.maxListBody
	}
	return c.maxBody
}

// decoders are the validating decoders of the responses, built once per process: one per
// schema of openapi.yaml that a 200 answers with.
type decoders struct {
	report    *validate.Decoder[reportRead]                      // a report, with its bytes
	deletion  *validate.Decoder[gen.DeleteResult]                // a deletion's result
	reports   *validate.Decoder[validate.List[gen.StatusReport]] // a listing, a bulk GET's answer
	deletions *validate.Decoder[gen.DeleteResultList]            // delete-oldest's, a bulk DELETE's
}

var loadDecoders = sync.OnceValues(func() (d decoders, err error) {
	if d.report, err = validate.NewWithJSONDecoder[Report]("StatusReport"); err != nil {
		return d, err
	}
	if d.deletion, err = validate.NewDecoder[gen.DeleteResult]("DeleteResult"); err != nil {
		return d, err
	}
	if d.reports, err = validate.NewListDecoder[gen.StatusReport]("StatusReportList"); err != nil {
		return d, err
	}
	d.deletions, err = validate.NewDecoder[gen.DeleteResultList]("DeleteResultList")
	return d, err
})
