package faxreport_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
)

func TestGetStatusReportAsksEveryDataCenterWithAuth(t *testing.T) {
	check := func(next http.HandlerFunc) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			user, pass, ok := r.BasicAuth()
			switch {
			case r.Method != http.MethodGet:
				t.Errorf("method %s, want GET", r.Method)
			case r.URL.EscapedPath() != "/rest/v1/"+testCustNr+"/fax/reports/"+testJobID:
				t.Errorf("path %s", r.URL.EscapedPath())
			case !ok || user != testUser || pass != testPassword:
				t.Errorf("basic auth %q %q %v", user, pass, ok)
			case !strings.HasPrefix(r.UserAgent(), "faxreport-go/"):
				t.Errorf("user agent %q", r.UserAgent())
			}
			next(w, r)
		}
	}
	de1Asked := make(chan struct{})
	de1 := newDataCenter(t, check(func(w http.ResponseWriter, r *http.Request) {
		close(de1Asked)
		serveStatus(http.StatusNotFound)(w, r)
	}))
	de2 := newDataCenter(t, check(func(w http.ResponseWriter, r *http.Request) {
		<-de1Asked // answer once both were asked, so that the count below cannot race
		serveReport()(w, r)
	}))
	c := newClient(t, de1, de2)

	r, err := c.GetStatusReport(testContext(t), testJobID)
	if err != nil {
		t.Fatal(err)
	}
	if r.JobID != testJobID || r.Pages != 1 || len(r.RecipientStatus) != 1 || r.RecipientStatus[0].Status != "OK" {
		t.Fatalf("report %+v", r)
	}
	if *r.Reference.BillingCode != "2022-04-7T11:04:37.057Z_billingCode" || r.RecipientStatus[0].SentTS.Year() != 2017 {
		t.Fatalf("report fields %+v", r)
	}
	if de1.requests.Load() != 1 || de2.requests.Load() != 1 {
		t.Fatalf("requests de1=%d de2=%d, want 1 each", de1.requests.Load(), de2.requests.Load())
	}
}

func TestGetStatusReportNotFoundEverywhere(t *testing.T) {
	de1 := newDataCenter(t, serveStatus(http.StatusNotFound))
	de2 := newDataCenter(t, serveJSON(http.StatusNotFound, []byte(`{"code":404,"message":"not found"}`)))
	_, err := newClient(t, de1, de2).GetStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrNotFound, faxreport.ErrUnavailable)
	var apiErr *faxreport.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		t.Fatalf("error %v is not an *APIError 404", err)
	}
	if de1.requests.Load() != 1 || de2.requests.Load() != 1 {
		t.Fatal("a 404 was retried")
	}
	for _, dc := range []*dataCenter{de1, de2} { // every data center, with its own answer
		if !strings.Contains(err.Error(), dc.BaseURL()+": 404") {
			t.Errorf("%q does not name %s and its answer", err, dc.BaseURL())
		}
	}
	if n := strings.Count(err.Error(), "faxreport: "); n != 1 {
		t.Errorf("%q has %d prefixes, want 1", err, n)
	}
}

func TestGetStatusReportNotFoundHereFailedThereIsNotNotFound(t *testing.T) {
	notFound := newDataCenter(t, serveStatus(http.StatusNotFound))
	down := newDataCenter(t, serveStatus(http.StatusServiceUnavailable))
	refused := newDataCenter(t, serveReport())
	refused.Close() // connection refused from now on
	invalid := newDataCenter(t, serveJSON(200, []byte(`{"jobId":"x"}`)))
	unauthorized := newDataCenter(t, serveStatus(http.StatusUnauthorized))

	for _, tc := range []struct {
		name   string
		other  *dataCenter
		want   error
		status int
	}{
		{"503", down, faxreport.ErrUnavailable, 503},
		{"connection refused", refused, faxreport.ErrUnavailable, 0},
		{"invalid 200", invalid, faxreport.ErrInvalidResponse, 0},
		{"401", unauthorized, faxreport.ErrUnauthorized, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newClient(t, notFound, tc.other).GetStatusReport(testContext(t), testJobID)
			mustFail(t, err, tc.want, faxreport.ErrNotFound)
			var regionErr *faxreport.RegionError
			if !errors.As(err, &regionErr) {
				t.Fatalf("%v is not a *RegionError", err)
			}
			if len(regionErr.Failed) != 1 || regionErr.Failed[0].Endpoint != tc.other.BaseURL() ||
				len(regionErr.NotFound) != 1 || regionErr.NotFound[0] != notFound.BaseURL() {
				t.Fatalf("region error %+v", regionErr)
			}
			if !strings.Contains(err.Error(), tc.other.BaseURL()) {
				t.Errorf("error %q does not name the failed data center", err)
			}
			var apiErr *faxreport.APIError
			if tc.status != 0 && (!errors.As(err, &apiErr) || apiErr.StatusCode != tc.status) {
				t.Errorf("error %v: want an *APIError %d in the chain", err, tc.status)
			}
		})
	}
}

func TestGetStatusReportUnauthorizedEverywhere(t *testing.T) {
	body := []byte(`{"code":401,"message":"Authenication failed"}`)
	de1 := newDataCenter(t, serveJSON(http.StatusUnauthorized, body))
	de2 := newDataCenter(t, serveJSON(http.StatusUnauthorized, body))
	_, err := newClient(t, de1, de2).GetStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrUnauthorized, faxreport.ErrNotFound)
	var apiErr *faxreport.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 401 || apiErr.Message != "Authenication failed" {
		t.Fatalf("error %v: want the 401 body's code and message", err)
	}
	if de1.requests.Load() != 1 {
		t.Fatal("a 401 was retried")
	}
}
