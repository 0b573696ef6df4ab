package faxreport

import (
	"net/http"
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

// decoders are the validating decoders of the responses, built once per process. A report is
// read with its bytes as sent (validate.Raw) and its model built from the document validated
// (reportModel), so that one read gives both.
type decoders struct {
	reports   *validate.Decoder[validate.Raw]
	deletions *validate.Decoder[gen.DeleteResult]
	// The reports resource as a whole: a listing, delete-oldest, and bulk answers by action.
	listing      *validate.Decoder[validate.List[gen.StatusReport]]
	oldest       *validate.Decoder[gen.DeleteResultList]
	bulkReports  *validate.Decoder[validate.List[gen.StatusReport]] // with each report's JSON
	bulkDeletion *validate.Decoder[gen.DeleteResultList]
}

var loadDecoders = sync.OnceValues(func() (d decoders, err error) {
	if d.reports, err = validate.NewRawDecoder(http.MethodGet, validate.ReportPath, http.StatusOK); err != nil {
		return d, err
	}
	if d.deletions, err = validate.NewDecoder[gen.DeleteResult](http.MethodDelete, validate.ReportPath, http.StatusOK); err != nil {
		return d, err
	}
	if d.listing, err = validate.NewListDecoder[gen.StatusReport](http.MethodGet, validate.ReportsPath, http.StatusOK); err != nil {
		return d, err
	}
	if d.oldest, err = validate.NewDecoder[gen.DeleteResultList](http.MethodDelete, validate.ReportsPath, http.StatusOK); err != nil {
		return d, err
	}
	if d.bulkReports, err = validate.NewSchemaListDecoder[gen.StatusReport]("StatusReportList", true); err != nil {
		return d, err
	}
	d.bulkDeletion, err = validate.NewSchemaDecoder[gen.DeleteResultList]("DeleteResultList")
	return d, err
})

// reportModel builds a Report from a validated report document, once per process.
var reportModel = sync.OnceValue(validate.NewModel[Report])
