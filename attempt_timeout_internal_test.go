package faxreport

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport/api"
)

// The default client has no http.Client timeout: each attempt's context carries the attempt
// timeout. An attempt whose answer never comes, or never ends, is cut there and retried as a
// temporary failure; when every attempt is, the error matches context.DeadlineExceeded (as
// net/http's own timeouts do) and names the attempt timeout, long before the caller's deadline.
func TestAttemptTimeoutEndsAnAttemptThatNeverAnswers(t *testing.T) {
	report := api.Example(api.ReportExample)
	stalls := map[string]func(w http.ResponseWriter, r *http.Request){
		"no headers": func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
		"stalled body": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "100000")
			w.Write(report[:10])
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		},
	}
	for name, stall := range stalls {
		t.Run(name, func(t *testing.T) {
			var requests, stalling atomic.Int32
			stalling.Store(1)
			s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				if stalling.Add(-1) >= 0 {
					stall(w, r)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.Write(report)
			}))
			defer s.Close()
			c, err := New(Config{CustomerNumber: "12345", Username: "u", Password: "p", Endpoints: []string{s.URL + "/rest/v1"},
				Retry: RetryPolicy{MaxAttempts: 2, MinDelay: time.Millisecond, MaxDelay: time.Millisecond}})
			if err != nil {
				t.Fatal(err)
			}
			c.attemptTimeout, c.attemptCause = 100*time.Millisecond, &attemptTimeoutError{100 * time.Millisecond}
			jobID := "FJJ66GHGX105ZZBIELVCN1"
			// A bound for the test alone, far beyond the attempts': reaching it is a failure.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()

			if _, err := c.GetStatusReport(ctx, jobID); err != nil || requests.Load() != 2 {
				t.Fatalf("one attempt cut, the next answered: %v after %d requests", err, requests.Load())
			}

			requests.Store(0)
			stalling.Store(2)
			_, err = c.GetStatusReport(ctx, jobID)
			if !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil ||
				!strings.Contains(err.Error(), "attempt timeout (100ms)") || requests.Load() != 2 {
				t.Fatalf("every attempt cut: %v after %d requests", err, requests.Load())
			}
			if te := (interface{ Timeout() bool })(nil); !errors.As(err, &te) || !te.Timeout() {
				t.Fatalf("every attempt cut, yet no timeout (as net.Error says it): %v", err)
			}
		})
	}
}
