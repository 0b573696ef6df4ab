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
	d, ok := c.doer.(transportDoer)
	if !ok {
		t.Fatalf("doer %T", c.doer)
	}
	tr := d.transport
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
	if hc, ok := c.doer.(*http.Client); !ok || hc.Timeout != attemptTimeout || c.attemptTimeout != 0 {
		t.Fatalf("doer %T, attempt timeout %v", c.doer, c.attemptTimeout)
	}
}
