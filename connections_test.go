package faxreport_test

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
)

// countingServer is a data center that answers with handler after 20 ms and records the most
// connections it had open at once.
func countingServer(t *testing.T, handler http.HandlerFunc) (baseURL string, maxOpen *atomic.Int64) {
	t.Helper()
	var open atomic.Int64
	maxOpen = new(atomic.Int64)
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond) // server latency, so that callers overlap
		handler(w, r)
	}))
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		switch state {
		case http.StateNew:
			n := open.Add(1)
			for m := maxOpen.Load(); n > m && !maxOpen.CompareAndSwap(m, n); m = maxOpen.Load() {
			}
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s.URL + "/rest/v1", maxOpen
}

// A burst of callers queues for the default client's connections instead of opening one each:
// no data center ever has more than MaxConnsPerDataCenter open (default
// DefaultMaxConnsPerDataCenter).
func TestConnectionsPerDataCenterAreBounded(t *testing.T) {
	for _, tc := range []struct{ bound, want int }{{4, 4}, {0, faxreport.DefaultMaxConnsPerDataCenter}} {
		t.Run(fmt.Sprint(tc.want), func(t *testing.T) {
			// One data center: with two, the 250 ms straggler grace would cancel queued
			// requests, and a cancelled request's connection lingers on the server's side.
			home, homeMax := countingServer(t, serveReportForPath(t))
			c := newClientWith(t, func(cfg *faxreport.Config) {
				cfg.Endpoints = []string{home}
				cfg.MaxConnsPerDataCenter = tc.bound
			})
			var wg sync.WaitGroup
			for i := range 200 {
				wg.Go(func() {
					if _, err := c.GetStatusReport(testContext(t), fmt.Sprintf("FJBURST%03d", i)); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if n := homeMax.Load(); n > int64(tc.want) {
				t.Errorf("%d connections open at once, want at most %d", n, tc.want)
			}
		})
	}
}
