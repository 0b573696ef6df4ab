package faxreport

import (
	"crypto/tls"
	"net/http"
	"testing"
)

// The default transport's policies, which no loopback server can show: TLS 1.2 or later (Go's
// own client default today, pinned here) and timeouts. (That no redirect is followed, and that
// an attempt ends at its timeout, loopback servers show: TestRedirectsNeverCarryCredentials,
// TestAttemptTimeoutEndsAnAttemptThatNeverAnswers.)
func TestDefaultHTTPClientPolicies(t *testing.T) {
	c, err := New(Config{CustomerNumber: "1", Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	tr, ok := c.http.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport %T", c.http.Transport)
	}
	if tr.TLSClientConfig == nil || tr.TLSClientConfig.MinVersion != tls.VersionTLS12 {
		t.Errorf("TLS minimum version not 1.2: %+v", tr.TLSClientConfig)
	}
	if tr.ResponseHeaderTimeout == 0 || c.attemptTimeout != attemptTimeout {
		t.Errorf("no timeouts: header %v, attempt %v", tr.ResponseHeaderTimeout, c.attemptTimeout)
	}
}

// A client of the user's own without a timeout gets one: a silent data center cannot hold a
// call without a deadline forever.
func TestOwnHTTPClientGetsATimeout(t *testing.T) {
	c, err := New(Config{CustomerNumber: "1", Username: "u", Password: "p", HTTPClient: &http.Client{}})
	if err != nil {
		t.Fatal(err)
	}
	if hc := c.http; hc.Timeout != attemptTimeout || c.attemptTimeout != 0 {
		t.Fatalf("timeout %v, attempt timeout %v", hc.Timeout, c.attemptTimeout)
	}
}

// With http.DefaultTransport replaced by a wrapper, the default client is built from net/http's
// default settings and keeps its own policies: proxies from the environment, TLS 1.2 or later,
// the connection and header limits.
func TestDefaultHTTPClientPoliciesWithAWrappedDefaultTransport(t *testing.T) {
	original := http.DefaultTransport
	http.DefaultTransport = roundTripperFunc(original.RoundTrip)
	t.Cleanup(func() { http.DefaultTransport = original })

	c, err := New(Config{CustomerNumber: "1", Username: "u", Password: "p", MaxConnsPerDataCenter: 3})
	if err != nil {
		t.Fatal(err)
	}
	tr := c.http.Transport.(*http.Transport)
	if tr.Proxy == nil || tr.DialContext == nil || tr.TLSClientConfig.MinVersion != tls.VersionTLS12 ||
		tr.MaxConnsPerHost != 3 || tr.MaxResponseHeaderBytes != DefaultMaxResponseHeaderBytes || tr.IdleConnTimeout == 0 {
		t.Fatalf("transport %+v", tr)
	}
}

// roundTripperFunc is a RoundTripper that is not an *http.Transport.
type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
