package faxreport_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
)

// failFirst answers the first n requests with fail, then with the example report.
func failFirst(n int64, fail http.HandlerFunc) http.HandlerFunc {
	var seen atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) <= n {
			fail(w, r)
			return
		}
		serveReport()(w, r)
	}
}

func TestGetStatusReportRetriesTransientFailures(t *testing.T) {
	for _, status := range []int{429, 500, 502, 503, 504, 520} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			dc := newDataCenter(t, failFirst(2, serveStatus(status)))
			if _, err := newClient(t, dc).GetStatusReport(testContext(t), testJobID); err != nil {
				t.Fatal(err)
			}
			if n := dc.requests.Load(); n != 3 {
				t.Fatalf("%d requests, want 3", n)
			}
		})
	}
}

func TestGetStatusReportGivesUpAfterMaxAttempts(t *testing.T) {
	dc := newDataCenter(t, serveJSON(503, []byte(`{"code":503,"message":"maintenance"}`)))
	_, err := newClient(t, dc).GetStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrUnavailable, faxreport.ErrNotFound)
	var apiErr *faxreport.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Message != "maintenance" {
		t.Fatalf("error %v: want the last 503", err)
	}
	if n := dc.requests.Load(); n != int64(fastRetry.MaxAttempts) {
		t.Fatalf("%d requests, want %d", n, fastRetry.MaxAttempts)
	}
}

func TestGetStatusReportDoesNotRetryClientErrors(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 418} {
		dc := newDataCenter(t, serveStatus(status))
		if _, err := newClient(t, dc).GetStatusReport(testContext(t), testJobID); err == nil {
			t.Fatalf("status %d: no error", status)
		}
		if n := dc.requests.Load(); n != 1 {
			t.Fatalf("status %d: %d requests, want 1", status, n)
		}
	}
}

func TestGetStatusReportRetriesDroppedConnections(t *testing.T) {
	drop := func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		conn.Close()
	}
	dc := newDataCenter(t, failFirst(2, drop))
	if _, err := newClient(t, dc).GetStatusReport(testContext(t), testJobID); err != nil {
		t.Fatal(err)
	}
	if n := dc.requests.Load(); n != 3 {
		t.Fatalf("%d requests, want 3", n)
	}
}

func TestGetStatusReportHonoursRetryAfter(t *testing.T) {
	unavailable := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	dc := newDataCenter(t, failFirst(1, unavailable))
	start := time.Now()
	if _, err := newClient(t, dc).GetStatusReport(testContext(t), testJobID); err != nil {
		t.Fatal(err)
	}
	// A lower bound only: the client must have waited at least what the server asked.
	if elapsed := time.Since(start); elapsed < time.Second {
		t.Fatalf("retried after %v, before the server's Retry-After of 1s", elapsed)
	}
}

func TestGetStatusReportRetryAfterBeyondCapOrDeadlineEndsRetries(t *testing.T) {
	unavailable := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	t.Run("cap", func(t *testing.T) {
		dc := newDataCenter(t, unavailable)
		_, err := newClientWith(t, func(c *faxreport.Config) { c.Retry.MaxRetryAfter = 5 * time.Second }, dc).
			GetStatusReport(testContext(t), testJobID)
		mustFail(t, err, faxreport.ErrUnavailable)
		if n := dc.requests.Load(); n != 1 {
			t.Fatalf("%d requests, want 1", n)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		dc := newDataCenter(t, unavailable)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, err := newClientWith(t, func(c *faxreport.Config) { c.Retry.MaxRetryAfter = time.Minute }, dc).
			GetStatusReport(ctx, testJobID)
		mustFail(t, err, faxreport.ErrUnavailable)
		if ctx.Err() != nil {
			t.Fatal("the client slept into the deadline instead of giving up at once")
		}
	})
}

func TestGetStatusReportDeadlineWhileRetrying(t *testing.T) {
	dc := newDataCenter(t, serveStatus(503))
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	_, err := newClientWith(t, func(c *faxreport.Config) {
		c.Retry = faxreport.RetryPolicy{MaxAttempts: 1000, MinDelay: 20 * time.Millisecond, MaxDelay: 50 * time.Millisecond}
	}, dc).GetStatusReport(ctx, testJobID)
	// The bound is loose for loaded CI machines; without the deadline the retries would go on
	// for 1000 attempts.
	if err == nil || time.Since(start) > 10*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
	if !strings.Contains(err.Error(), "503") {
		t.Errorf("error %q does not say what the data center answered", err)
	}
}
