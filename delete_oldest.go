package faxreport

import (
	"context"
	"net/http"

	"github.com/faxreport/faxreport/gen"
)

// DeleteOldestStatusReports deletes up to ListLimit of the oldest reports of every data center,
// whether anyone has read them or not, and returns the data centers' results.
//
// Warning: this deletes reports nobody may have read, including ones completed after a listing
// was taken. Never use it to acknowledge what was read: delete the jobs read with
// DeleteStatusReports, or use DrainStatusReports, which never calls this.
//
// Each data center is asked once, without retries: repeating a deletion whose answer was lost
// would delete the next oldest reports too. A data center that fails makes the call return an
// error naming it (*DataCentersError) with the results of the others. A data center that
// answers 404 holds nothing to delete: it adds no result and no error.
func (c *Client) DeleteOldestStatusReports(ctx context.Context) ([]DeleteResult, error) {
	lists, errs := askEach(ctx, c, func(ctx context.Context, i int) ([]DeleteResult, error) {
		list, err := ask(ctx, c, call[gen.DeleteResultList]{
			op: opDeleteOldest, method: http.MethodDelete, decoder: c.decode.deletions, once: true,
		}, c.dataCenters[i], nil)
		if c.nothingThere(ctx, opDeleteOldest, c.dataCenters[i], err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return list.Reports, nil
	})
	var results []DeleteResult
	for _, list := range lists {
		results = append(results, list...)
	}
	return results, c.dataCentersError(opDeleteOldest, errs)
}
