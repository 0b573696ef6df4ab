package faxreport_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
)

// upgradingServer is a data center that answers every request with 101 Switching Protocols and
// then says nothing more. It returns its base URL, a channel that receives once for each
// request it upgraded, and one that receives once for each such connection the client closes.
func upgradingServer(t *testing.T) (baseURL string, upgraded, closed <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	done := make(chan struct{}, 100)
	answered := make(chan struct{}, 100)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				r := bufio.NewReader(conn)
				if _, err := http.ReadRequest(r); err != nil {
					return
				}
				fmt.Fprint(conn, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
				answered <- struct{}{}
				r.WriteTo(discard{}) // silent until the client hangs up
				done <- struct{}{}
			}()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return "http://" + ln.Addr().String() + "/rest/v1", answered, done
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// awaitClosed fails the test unless the client closes a connection within 5 s.
func awaitClosed(t *testing.T, closed <-chan struct{}) {
	t.Helper()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("the client kept the upgraded connection open")
	}
}

// A 101 is a final answer that net/http hands over without any deadline: it is an invalid
// response, and its connection is closed unread.
func TestSwitchingProtocolsIsInvalidAndNeverHangs(t *testing.T) {
	t.Run("context deadline", func(t *testing.T) {
		url, _, closed := upgradingServer(t)
		c := newClientWith(t, func(cfg *faxreport.Config) { cfg.Endpoints = []string{url} })
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		within(t, time.Second, func() {
			_, err := c.GetStatusReport(ctx, testJobID)
			mustFail(t, err, faxreport.ErrInvalidResponse, faxreport.ErrNotFound)
		})
		awaitClosed(t, closed)
	})
	t.Run("client timeout, no deadline", func(t *testing.T) {
		url, _, closed := upgradingServer(t)
		c := newClientWith(t, func(cfg *faxreport.Config) {
			cfg.Endpoints = []string{url}
			cfg.HTTPClient = &http.Client{Timeout: time.Second}
		})
		within(t, 900*time.Millisecond, func() {
			_, err := c.GetStatusReport(context.Background(), testJobID)
			mustFail(t, err, faxreport.ErrInvalidResponse)
		})
		awaitClosed(t, closed)
	})
	t.Run("a healthy second data center", func(t *testing.T) {
		url, upgraded, closed := upgradingServer(t)
		healthy := newDataCenter(t, serveReportForPath(t))
		c := newClientWith(t, func(cfg *faxreport.Config) { cfg.Endpoints = []string{url, healthy.BaseURL()} })
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		within(t, time.Second, func() {
			if _, err := c.GetStatusReport(ctx, testJobID); err != nil {
				t.Error(err)
			}
			for _, r := range c.GetStatusReports(ctx, []string{"FJA", "FJB", "FJC"}, faxreport.BatchOptions{}) {
				if r.Err != nil {
					t.Error(r.Err)
				}
			}
		})
		// The calls have returned: every upgraded connection must be closed, none left behind.
		for range len(upgraded) {
			awaitClosed(t, closed)
		}
	})
}

// A body that stops arriving ends with the call's context.
func TestStalledBodyEndsWithTheContext(t *testing.T) {
	dc := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte(`{"jobId":`))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	c := newClient(t, dc)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	within(t, 3*time.Second, func() {
		_, err := c.GetStatusReport(ctx, testJobID)
		mustFail(t, err, context.DeadlineExceeded, faxreport.ErrNotFound)
	})
}

// The default client refuses response headers beyond DefaultMaxResponseHeaderBytes.
func TestResponseHeadersAreBounded(t *testing.T) {
	dc := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Huge", strings.Repeat("h", 2*faxreport.DefaultMaxResponseHeaderBytes))
		serveReport()(w, r)
	})
	_, err := newClient(t, dc).GetStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrUnavailable, faxreport.ErrNotFound)
	if !strings.Contains(err.Error(), "headers exceeded") {
		t.Errorf("error does not say why: %v", err)
	}
}

// Transport errors read the same with the default client, whose requests go straight to its
// transport, as with an http.Client of the caller's own: http.Client.Do's *url.Error naming
// the method and URL; and a plain-http server behind an https endpoint is
// http.ErrSchemeMismatch, a final failure, not retried.
func TestTransportErrorsReadAsHTTPClientDoErrors(t *testing.T) {
	clients := map[string]*http.Client{"default client": nil, "own client": {}}
	for name, hc := range clients {
		t.Run(name+", connection refused", func(t *testing.T) {
			s := httptest.NewServer(http.NotFoundHandler())
			s.Close()
			c := newClientWith(t, func(cfg *faxreport.Config) {
				cfg.Endpoints, cfg.HTTPClient, cfg.Retry.MaxAttempts = []string{s.URL + "/rest/v1"}, hc, 1
			})
			_, err := c.GetStatusReport(testContext(t), testJobID)
			var ue *url.Error
			if !errors.As(err, &ue) || ue.Op != "Get" || !strings.Contains(err.Error(), `Get "`+s.URL+"/rest/v1/") || !errors.Is(err, faxreport.ErrUnavailable) {
				t.Fatalf("got %v", err)
			}
		})
		t.Run(name+", plain http behind https", func(t *testing.T) {
			var conns atomic.Int32
			s := httptest.NewUnstartedServer(serveReport())
			s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
				if state == http.StateNew {
					conns.Add(1)
				}
			}
			s.Start()
			defer s.Close()
			c := newClientWith(t, func(cfg *faxreport.Config) {
				cfg.Endpoints, cfg.HTTPClient = []string{strings.Replace(s.URL, "http:", "https:", 1) + "/rest/v1"}, hc
			})
			_, err := c.GetStatusReport(testContext(t), testJobID)
			if !errors.Is(err, http.ErrSchemeMismatch) || !errors.Is(err, faxreport.ErrUnavailable) || conns.Load() != 1 {
				t.Fatalf("%d connections: %v", conns.Load(), err)
			}
		})
	}
}
