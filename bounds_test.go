package faxreport_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/faxreport/faxreport"
)

func TestGetStatusReportRefusesOversizedBodies(t *testing.T) {
	const limit = 64 << 10
	written := make(chan int64, 1)
	endless := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		chunk := bytes.Repeat([]byte(" "), 32<<10)
		var n int64
		// An endless body: only the client hanging up stops it.
		for n < 1<<30 {
			if _, err := w.Write(chunk); err != nil {
				break
			}
			n += int64(len(chunk))
		}
		written <- n
	})
	c := newClientWith(t, func(c *faxreport.Config) { c.MaxResponseBytes = limit }, endless)
	_, err := c.GetStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrInvalidResponse)
	if n := <-written; n > 16<<20 {
		t.Fatalf("the client read on: the server wrote %d bytes before it hung up", n)
	}
	if endless.requests.Load() != 1 {
		t.Fatal("an oversized body was retried")
	}
}

func TestGetStatusReportBoundsErrorExcerpts(t *testing.T) {
	junk := bytes.Repeat([]byte("<html>oops</html>"), 1000)
	dc := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		w.Write(junk)
	})
	_, err := newClient(t, dc).GetStatusReport(testContext(t), testJobID)
	if err == nil || len(err.Error()) > 400 {
		t.Fatalf("error %d bytes: %v", len(err.Error()), err)
	}
}
