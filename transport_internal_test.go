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
	if c.httpClient.CheckRedirect == nil || !errors.Is(c.httpClient.CheckRedirect(nil, nil), http.ErrUseLastResponse) {
		t.Error("redirects are followed")
	}
}
