package faxreport_test

import (
	"net/http"
	"sync/atomic"
	"testing"
)

// wrappingTransport stands for otelhttp, httpmock or a test recorder in http.DefaultTransport.
type wrappingTransport struct {
	next http.RoundTripper
	used *atomic.Int64
}

func (w wrappingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	w.used.Add(1)
	return w.next.RoundTrip(req)
}

// With http.DefaultTransport replaced by a wrapper, New does not panic: the default client
// starts from net/http's default settings, sends its requests itself and leaves the wrapper
// unused (a wrapper is used when given in Config.HTTPClient).
func TestNewWithAWrappedDefaultTransport(t *testing.T) {
	used := new(atomic.Int64)
	original := http.DefaultTransport
	http.DefaultTransport = wrappingTransport{next: original, used: used}
	t.Cleanup(func() { http.DefaultTransport = original })

	c := newClient(t, newDataCenter(t, serveReport()))
	if _, err := c.GetStatusReport(testContext(t), testJobID); err != nil {
		t.Fatal(err)
	}
	if n := used.Load(); n != 0 {
		t.Fatalf("the wrapped default transport sent %d requests, want none", n)
	}
}
