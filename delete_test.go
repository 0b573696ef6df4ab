package faxreport_test

import (
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

// A deletion whose answer was lost may have deleted the report: whatever "not there" the retry
// gets (200 NOT_FOUND, 404, or 400 "not available"), it is unconfirmed, never ErrNotFound.
func TestDeleteLostAnswerThenNotFoundIsUnconfirmed(t *testing.T) {
	notFound200 := serveJSON(200, []byte(`{"jobId":"`+testJobID+`","deleted":false,"reason":"NOT_FOUND"}`))
	for name, retryAnswer := range map[string]http.HandlerFunc{
		"200 NOT_FOUND": notFound200,
		"404":           serveStatus(http.StatusNotFound),
		"400":           serveStatus(http.StatusBadRequest),
	} {
		t.Run(name, func(t *testing.T) {
			var requests atomic.Int64
			home := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
				if requests.Add(1) == 1 { // deleted, but the answer never arrives
					conn, _, err := http.NewResponseController(w).Hijack()
					if err == nil {
						conn.Close()
					}
					return
				}
				retryAnswer(w, r)
			})
			other := newDataCenter(t, notFound200)
			_, err := newClient(t, other, home).DeleteStatusReport(testContext(t), testJobID)
			mustFail(t, err, faxreport.ErrDeleteUnconfirmed, faxreport.ErrNotFound)
		})
	}
}

// An answer without "deleted" is read as the vendor's Go SDK reads it: deleted when it gives no
// reason, not deleted when it gives one.
func TestDeleteAnswerWithoutDeletedField(t *testing.T) {
	dc := newDataCenter(t, serveJSON(200, []byte(`{"jobId":"`+testJobID+`"}`)))
	res, err := newClient(t, dc).DeleteStatusReport(testContext(t), testJobID)
	if err != nil || !faxreport.IsDeleted(res) {
		t.Fatalf("got %+v, %v: want deleted", res, err)
	}
	dc = newDataCenter(t, serveJSON(200, []byte(`{"jobId":"`+testJobID+`","reason":"NOT_FOUND"}`)))
	_, err = newClient(t, dc).DeleteStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrNotFound)
	dc = newDataCenter(t, serveJSON(200, []byte(`{"jobId":"`+testJobID+`","deleted":"yes"}`)))
	_, err = newClient(t, dc).DeleteStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrInvalidResponse)
}
