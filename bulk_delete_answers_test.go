package faxreport_test

import (
	"net/http"
	"testing"

	"github.com/faxreport/faxreport"
)

// bulkDeleteAnswer is a data center that answers every bulk DELETE with body.
func bulkDeleteAnswer(t *testing.T, body string) *dataCenter {
	return newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			t.Errorf("%s %s: want only the bulk request", r.Method, r.URL.Path)
		}
		serveJSON(200, []byte(body))(w, r)
	})
}

const (
	itemDeleted  = `{"jobId":"FJA","deleted":true}`
	itemNotFound = `{"jobId":"FJA","deleted":false,"reason":"NOT_FOUND"}`
)

// A bulk DELETE answer that names a job twice with items that disagree leaves its outcome
// unknown, whatever the order of the items: never "not found", never "deleted".
func TestBulkDeleteContradictoryItemsAreInvalid(t *testing.T) {
	for name, items := range map[string]string{
		"NOT_FOUND then deleted": itemNotFound + "," + itemDeleted,
		"deleted then NOT_FOUND": itemDeleted + "," + itemNotFound,
	} {
		t.Run(name, func(t *testing.T) {
			here := bulkDeleteAnswer(t, `{"reports":[`+items+`]}`)
			other := bulkDeleteAnswer(t, `{"reports":[`+itemNotFound+`]}`)
			results := newClient(t, here, other).DeleteStatusReports(testContext(t), []string{"FJA"}, faxreport.BatchOptions{})
			mustFail(t, results[0].Err, faxreport.ErrInvalidResponse, faxreport.ErrNotFound)
		})
	}
}

// A job named twice with the same item is read as named once.
func TestBulkDeleteRepeatedIdenticalItemsAgree(t *testing.T) {
	here := bulkDeleteAnswer(t, `{"reports":[`+itemDeleted+`,`+itemDeleted+`]}`)
	other := bulkDeleteAnswer(t, `{"reports":[`+itemNotFound+`]}`)
	results := newClient(t, here, other).DeleteStatusReports(testContext(t), []string{"FJA"}, faxreport.BatchOptions{})
	if results[0].Err != nil {
		t.Fatalf("got %v, want deleted", results[0].Err)
	}
}

// A DELETE answered with the status report itself (a server or proxy that ignored the method or
// the bulk action) is no deletion: its outcome is unknown, never "deleted" nor "not found".
func TestDeleteAnsweredWithTheReportIsInvalid(t *testing.T) {
	report := string(newReport("FJA").json())
	t.Run("single", func(t *testing.T) {
		dc := newDataCenter(t, serveJSON(200, []byte(report)))
		_, err := newClient(t, dc).DeleteStatusReport(testContext(t), "FJA")
		mustFail(t, err, faxreport.ErrInvalidResponse, faxreport.ErrNotFound)
	})
	for name, item := range map[string]string{
		"report":               report,
		"pages only":           `{"jobId":"FJA","pages":1}`,
		"recipientStatus only": `{"jobId":"FJA","recipientStatus":[]}`,
		"deleted and a report": `{"jobId":"FJA","deleted":true,"pages":1}`,
	} {
		t.Run("bulk, "+name, func(t *testing.T) {
			here := bulkDeleteAnswer(t, `{"reports":[`+item+`]}`)
			other := bulkDeleteAnswer(t, `{"reports":[`+itemNotFound+`]}`)
			results := newClient(t, here, other).DeleteStatusReports(testContext(t), []string{"FJA"}, faxreport.BatchOptions{})
			mustFail(t, results[0].Err, faxreport.ErrInvalidResponse, faxreport.ErrNotFound)
		})
	}
}
