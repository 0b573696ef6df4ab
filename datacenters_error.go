package faxreport

import (
	"errors"
	"fmt"
)

// DataCentersError is the error of a call on the reports of every data center as a whole
// (ListStatusReports, DrainStatusReports, DeleteOldestStatusReports) that failed in one or more
// of them. It lists every failed data center, so that errors.As finds them all, not only the
// first; errors.Is matches the sentinel of each failure. The other data centers' results stand.
type DataCentersError struct {
	Op     string           // "list", "drain" or "delete oldest"
	Failed []*EndpointError // the data centers that failed, in the order of Client.Endpoints
	Asked  int              // how many data centers were asked
}

func (e *DataCentersError) Error() string {
	return fmt.Sprintf("faxreport: %s: %d of %d data centers failed: %v", e.Op, len(e.Failed), e.Asked, errors.Join(e.Unwrap()...))
}

// Unwrap returns each failed data center's *EndpointError.
func (e *DataCentersError) Unwrap() []error { return endpointErrors(e.Failed) }

// dataCentersError returns the error of op over c's data centers, whose outcomes errs holds
// (indexed like c.dataCenters): a *DataCentersError naming each failure, or nil when none failed.
func (c *Client) dataCentersError(op string, errs []error) error {
	e := &DataCentersError{Op: op, Asked: len(errs)}
	for i, err := range errs {
		if err != nil {
			e.Failed = append(e.Failed, &EndpointError{Endpoint: c.dataCenters[i].url, Err: err})
		}
	}
	if len(e.Failed) == 0 {
		return nil
	}
	return e
}
