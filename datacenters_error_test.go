package faxreport_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// A listing, a drain or a delete-oldest that fails in several data centers names each of them
// in a *DataCentersError that errors.As finds, not only the first.
func TestEveryFailedDataCenterIsFoundWithErrorsAs(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{DataCenters: 3})
	s.SeedReports(6)
	for _, i := range []int{0, 2} {
		s.DataCenter(i).Inject(faxtest.Fault{Status: http.StatusServiceUnavailable})
	}
	want := []string{s.DataCenter(0).URL(), s.DataCenter(2).URL()}
	_, listErr := c.ListStatusReports(testContext(t))
	_, drainErr := c.DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: func(context.Context, []*faxreport.Report) error { return nil }})
	_, oldestErr := c.DeleteOldestStatusReports(testContext(t))
	for op, err := range map[string]error{"list": listErr, "drain": drainErr, "delete oldest": oldestErr} {
		var failed *faxreport.DataCentersError
		if !errors.As(err, &failed) || failed.Op != op || failed.Asked != 3 {
			t.Fatalf("%s: %v is no *DataCentersError of 3", op, err)
		}
		var got []string
		for _, f := range failed.Failed {
			got = append(got, f.Endpoint)
		}
		if !slices.Equal(got, want) || !errors.Is(err, faxreport.ErrUnavailable) {
			t.Errorf("%s: failed %v, want %v (%v)", op, got, want, err)
		}
	}
}
