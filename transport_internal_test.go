package faxreport

import (
	"crypto/tls"
	"errors"
	"net/http"
	"testing"
)

// The default transport's policies, which no loopback server can show: TLS 1.2 or later (Go's
// own client default today, pinned here), timeouts, and no redirects.
func TestDefaultHTTPClientPolicies(t *testing.T) {
	c, err := New(Config{CustomerNumber: "1", Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	tr, ok := c.httpClient.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport %T", c.httpClient.Transport)
	}
	if tr.TLSClientConfig == nil || tr.TLSClientConfig.MinVersion != tls.VersionTLS12 {
		t.Errorf("TLS minimum version not 1.2: %+v", tr.TLSClientConfig)
	}
	if tr.ResponseHeaderTimeout == 0 || c.httpClient.Timeout == 0 {
		t.Errorf("no timeouts: header %v, overall %v", tr.ResponseHeaderTimeout, c.httpClient.Timeout)
	}
	from, _ := http.NewRequest(http.MethodGet, "https://faxws.de1.retarus.com/rest/v1/1/fax/reports/J", nil)
	to, _ := http.NewRequest(http.MethodGet, "https://faxws.de1.retarus.com/rest/v1/1/fax/reports/K", nil)
	if !errors.Is(c.httpClient.CheckRedirect(to, []*http.Request{from}), http.ErrUseLastResponse) {
		t.Error("redirects are followed")
	}
}

// A client of the user's own without a timeout gets one: a silent data center cannot hold a
// call without a deadline forever.
func TestOwnHTTPClientGetsATimeout(t *testing.T) {
	c, err := New(Config{CustomerNumber: "1", Username: "u", Password: "p", HTTPClient: &http.Client{}})
	if err != nil {
		t.Fatal(err)
	}
	if c.httpClient.Timeout != attemptTimeout {
		t.Fatalf("timeout %v", c.httpClient.Timeout)
	}
}
