package faxreport_test

import (
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/faxreport/faxreport"
)

func TestDeleteNotFoundHereDeletedThere(t *testing.T) {
	notFound := newDataCenter(t, serveStatus(http.StatusNotFound))
	home := newDataCenter(t, serveJSON(200, []byte(`{"jobId":"`+testJobID+`","deleted":true}`)))
	res, err := newClient(t, notFound, home).DeleteStatusReport(testContext(t), testJobID)
	if err != nil || !faxreport.IsDeleted(res) {
		t.Fatalf("got %+v, %v", res, err)
	}
}

// A deletion whose answer was lost, then "not found" on the retry, may have deleted the report:
// it is unconfirmed, never ErrNotFound.
func TestDeleteLostAnswerThenNotFoundIsUnconfirmed(t *testing.T) {
	var requests atomic.Int64
	home := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) == 1 { // deleted, but the answer never arrives
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		serveJSON(200, []byte(`{"jobId":"`+testJobID+`","deleted":false,"reason":"NOT_FOUND"}`))(w, r)
	})
	other := newDataCenter(t, serveJSON(200, []byte(`{"jobId":"`+testJobID+`","deleted":false,"reason":"NOT_FOUND"}`)))
	_, err := newClient(t, other, home).DeleteStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrDeleteUnconfirmed, faxreport.ErrNotFound)
	if !errors.Is(err, faxreport.ErrDeleteUnconfirmed) {
		t.Fatal(err)
	}
}
