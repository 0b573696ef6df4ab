package faxreport_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

func TestDeleteStatusReport(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	home := s.Put(newReport("FJDEL", faxreport.StatusOK).model())
	res, err := c.DeleteStatusReport(testContext(t), "FJDEL")
	if err != nil || !faxreport.IsDeleted(res) || res.JobID != "FJDEL" {
		t.Fatalf("got %+v, %v", res, err)
	}
	if home.Has("FJDEL") {
		t.Fatal("still stored")
	}
	// The home data center answered the call; the other may not have seen its straggler yet.
	for _, dc := range s.DataCenters() {
		got := dc.Requests()
		if len(got) > 1 || dc == home && len(got) != 1 || len(got) == 1 && got[0].Method != http.MethodDelete {
			t.Fatalf("%s: %+v", dc.URL(), got)
		}
	}
	_, err = c.GetStatusReport(testContext(t), "FJDEL")
	mustFail(t, err, faxreport.ErrNotFound)
	_, err = c.DeleteStatusReport(testContext(t), "FJDEL")
	mustFail(t, err, faxreport.ErrNotFound, faxreport.ErrUnavailable)
}

func TestDeleteStatusReportUnknownJob(t *testing.T) {
	_, c := fakeClient(t, faxtest.Options{})
	_, err := c.DeleteStatusReport(testContext(t), "FJNOSUCH")
	mustFail(t, err, faxreport.ErrNotFound)
	_, err = c.DeleteStatusReport(testContext(t), ".")
	mustFail(t, err, faxreport.ErrInvalidArgument)
}

func TestDeleteStatusReportFailedDataCenterIsNotNotFound(t *testing.T) {
	notDeleted := func(reason string) http.HandlerFunc {
		return serveJSON(200, []byte(`{"jobId":"`+testJobID+`","deleted":false,"reason":"`+reason+`"}`))
	}
	for _, tc := range []struct {
		name  string
		other http.HandlerFunc
		want  error
	}{
		{"503", serveStatus(503), faxreport.ErrUnavailable},
		{"internal error", notDeleted(faxreport.DeleteReasonInternalError), faxreport.ErrUnavailable},
		{"invalid body", serveJSON(200, []byte(`{"deleted":true}`)), faxreport.ErrInvalidResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			notFound := newDataCenter(t, notDeleted(faxreport.DeleteReasonNotFound))
			other := newDataCenter(t, tc.other)
			_, err := newClient(t, notFound, other).DeleteStatusReport(testContext(t), testJobID)
			mustFail(t, err, tc.want, faxreport.ErrNotFound)
			var regionErr *faxreport.RegionError
			if !errors.As(err, &regionErr) || len(regionErr.Failed) != 1 || regionErr.Failed[0].Endpoint != other.BaseURL() {
				t.Fatalf("%v", err)
			}
		})
	}
	t.Run("400 means not available", func(t *testing.T) {
		de1 := newDataCenter(t, serveStatus(http.StatusBadRequest))
		de2 := newDataCenter(t, serveStatus(http.StatusNotFound))
		_, err := newClient(t, de1, de2).DeleteStatusReport(testContext(t), testJobID)
		mustFail(t, err, faxreport.ErrNotFound, faxreport.ErrUnauthorized)
	})
}
