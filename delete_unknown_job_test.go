package faxreport_test

import (
	"net/http"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// statusAnswered reports whether any data center of s answered a DELETE or a bulk request with
// status.
func statusAnswered(t *testing.T, s *faxtest.Server, status int) bool {
	t.Helper()
	if err := s.WaitIdle(testContext(t)); err != nil {
		t.Fatal(err)
	}
	for _, r := range s.Requests() {
		if r.Method != http.MethodGet && r.Status == status {
			return true
		}
	}
	return false
}

// The deletion of a job a data center does not hold reads as "not deleted here" under each of
// the vendor's three readings (200 NOT_FOUND, 400, 404), single and bulk: the job deleted
// elsewhere is deleted, the job no data center holds is not found.
func TestDeleteUnknownJobUnderEveryReading(t *testing.T) {
	for _, reading := range unknownDeleteReadings {
		t.Run(reading.name, func(t *testing.T) {
			s, c := fakeClient(t, faxtest.Options{UnknownDelete: reading.reading})
			s.DataCenter(0).Put(newReport("FJDEL", faxreport.StatusOK).model())
			if res, err := c.DeleteStatusReport(testContext(t), "FJDEL"); err != nil || !faxreport.IsDeleted(res) {
				t.Fatalf("FJDEL: %+v, %v", res, err)
			}
			_, err := c.DeleteStatusReport(testContext(t), "FJDEL")
			mustFail(t, err, faxreport.ErrNotFound, faxreport.ErrDeleteUnconfirmed, faxreport.ErrUnavailable)
			_, err = c.DeleteStatusReport(testContext(t), "FJNOSUCH")
			mustFail(t, err, faxreport.ErrNotFound, faxreport.ErrDeleteUnconfirmed, faxreport.ErrUnavailable)

			s.DataCenter(0).Put(newReport("FJA", faxreport.StatusOK).model())
			s.DataCenter(1).Put(newReport("FJB", faxreport.StatusOK).model())
			results := c.DeleteStatusReports(testContext(t), []string{"FJA", "FJNONE", "FJB"}, faxreport.BatchOptions{})
			if results[0].Err != nil || results[2].Err != nil {
				t.Fatalf("FJA: %v, FJB: %v: want deleted", results[0].Err, results[2].Err)
			}
			mustFail(t, results[1].Err, faxreport.ErrNotFound, faxreport.ErrDeleteUnconfirmed, faxreport.ErrUnavailable)
			for _, r := range c.DeleteStatusReports(testContext(t), []string{"FJNONE", "FJA"}, faxreport.BatchOptions{}) {
				mustFail(t, r.Err, faxreport.ErrNotFound, faxreport.ErrDeleteUnconfirmed, faxreport.ErrUnavailable)
			}
			if s.Count() != 0 {
				t.Fatalf("%d reports left", s.Count())
			}
			// The fake played the reading: its status was answered, or none but 200.
			for _, status := range []int{http.StatusBadRequest, http.StatusNotFound} {
				want := reading.reading == faxtest.UnknownDelete400 && status == 400 || reading.reading == faxtest.UnknownDelete404 && status == 404
				if got := statusAnswered(t, s, status); got != want {
					t.Errorf("answered %d: %t, want %t", status, got, want)
				}
			}
		})
	}
}

// A single deletion whose answer was lost, then retried into "not there", is unconfirmed under
// every reading of "not there".
func TestDeleteLostAnswerIsUnconfirmedUnderEveryReading(t *testing.T) {
	forEachUnknownDeleteReading(t, func(t *testing.T, opts faxtest.Options) {
		s, c := fakeClient(t, opts)
		home := s.DataCenter(0)
		home.Put(newReport("FJA", faxreport.StatusOK).model())
		home.Inject(faxtest.Fault{DropAnswer: true, Times: 1}) // deleted, answer lost
		_, err := c.DeleteStatusReport(testContext(t), "FJA")
		mustFail(t, err, faxreport.ErrDeleteUnconfirmed, faxreport.ErrNotFound)
		if home.Has("FJA") {
			t.Fatal("the deletion was not applied: the fault is not a lost answer")
		}
	})
}
