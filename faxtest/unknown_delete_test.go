package faxtest_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

// Each reading of UnknownDelete answers the deletion of an unknown job its own way, single and
// bulk; a bulk DELETE naming a job the data center holds still answers an item per job.
func TestUnknownDeleteReadings(t *testing.T) {
	for _, tc := range []struct {
		reading faxtest.UnknownDelete
		status  int
		body    string
	}{
		{faxtest.UnknownDeleteNotFoundItem, 200, `"reason":"NOT_FOUND"`},
		{faxtest.UnknownDelete400, 400, `Status report not available`},
		{faxtest.UnknownDelete404, 404, `"code":404`},
	} {
		s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1, UnknownDelete: tc.reading})
		dc := s.DataCenter(0)
		dc.Put(report("FJHELD"))
		if status, _, body := send(t, s, dc, http.MethodDelete, s.CustomerNumber, "FJNOSUCH", true); status != tc.status || !strings.Contains(string(body), tc.body) {
			t.Errorf("reading %d: single DELETE of an unknown job answered %d %s", tc.reading, status, body)
		}
		if status, body := sendReports(t, s, dc, http.MethodPost, `{"action":"DELETE","jobIds":["FJNOSUCH","FJNONE"]}`); status != tc.status || !strings.Contains(string(body), tc.body) {
			t.Errorf("reading %d: bulk DELETE of unknown jobs answered %d %s", tc.reading, status, body)
		}
		status, body := sendReports(t, s, dc, http.MethodPost, `{"action":"DELETE","jobIds":["FJNOSUCH","FJHELD"]}`)
		if want := []string{"FJNOSUCH false NOT_FOUND", "FJHELD true"}; status != 200 || !slices.Equal(items(t, body), want) {
			t.Errorf("reading %d: bulk DELETE with a held job answered %d %s, want 200 %s", tc.reading, status, body, want)
		}
	}
}
