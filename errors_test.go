package faxreport_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/faxreport/faxreport"
)

func TestAPIErrorKeepsWhatErrorBodiesSay(t *testing.T) {
	for _, tc := range []struct {
		name        string
		body        string
		wantCode    int
		wantMessage string
		wantExcerpt string
	}{
		{"empty", "", 0, "", ""},
		{"json", `{"code":404,"message":"no such job"}`, 404, "no such job", ""},
		{"other json", `{"error":"x"}`, 0, "", `"{\"error\":\"x\"}"`},
		{"text", "Not Found", 0, "", `"Not Found"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dc := newDataCenter(t, serveJSON(http.StatusNotFound, []byte(tc.body)))
			_, err := newClient(t, dc).GetStatusReport(testContext(t), testJobID)
			mustFail(t, err, faxreport.ErrNotFound)
			var apiErr *faxreport.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("%v is not an *APIError", err)
			}
			if apiErr.StatusCode != 404 || apiErr.Code != tc.wantCode || apiErr.Message != tc.wantMessage ||
				apiErr.Excerpt != tc.wantExcerpt || apiErr.Endpoint != dc.BaseURL() {
				t.Fatalf("%+v", apiErr)
			}
		})
	}
}
