package faxreport_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/faxreport/faxreport"
)

// PushHandler.FetchesInFlight counts the jobs being fetched, across pushes, while their data
// center holds them, and is back to 0 once the pushes are answered.
func TestPushHandlerCountsFetchesInFlight(t *testing.T) {
	dc := newHeldDataCenter(t)
	h, err := faxreport.NewPushHandler(newClient(t, dc.dataCenter), faxreport.PushConfig{
		Username: pushUser, Password: pushPassword,
		Handle: func(context.Context, *faxreport.Report) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	t.Cleanup(dc.releaseAll) // before the receiver closes
	if n := h.FetchesInFlight(); n != 0 {
		t.Fatalf("%d fetches in flight before any push", n)
	}

	ctx := testContext(t)
	answers := make(chan int, 2)
	for _, jobIDs := range [][]string{{"FJONE", "FJTWO"}, {"FJTHREE"}} {
		go func() {
			status, err := sendPush(ctx, srv.URL, jobIDs...)
			if err != nil {
				t.Error(err)
			}
			answers <- status
		}()
	}
	for range 3 {
		received(t, dc.asked, "fetch")
	}
	if n := h.FetchesInFlight(); n != 3 {
		t.Fatalf("%d fetches in flight while three are held, want 3", n)
	}

	dc.releaseAll()
	for range 2 {
		if status := received(t, answers, "answer"); status != http.StatusNoContent {
			t.Fatalf("a push was answered %d", status)
		}
	}
	if n := h.FetchesInFlight(); n != 0 {
		t.Fatalf("%d fetches in flight once every push is answered, want 0", n)
	}
}
