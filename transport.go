package faxreport

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/httpbody"
	"github.com/faxreport/faxreport/internal/retry"
)

// How a request leaves the client. Every attempt goes through attempt (request.go), which gives
// it its deadline, then through send, which builds it, and the client's http.Client: a copy of
// the caller's own, or the default client over defaultTransport.

// send builds a request, gives it the credentials and the user agent, and sends it through the
// client's http.Client. Every request is built here, one way: its URL
// is the data center's reports URL, made once by the generated builder (see New), with the
// escaped job ID of a request on one report; a bulk request's body is encoded as the generated
// builder encodes it. The generated builders themselves would parse the base URL and format
// each path parameter by reflection on every request: 12 more allocations and several
// microseconds a call, which P1's budget has no room for. TestReportURLIsTheGeneratedOne checks
// that what is sent is the generated client's request.
func (c *Client) send(ctx context.Context, dc *dataCenter, method, jobID string, body *gen.BulkRequest) (*http.Response, error) {
	target := dc.reportsURL
	if jobID != "" {
		target += "/" + url.PathEscape(jobID)
	}
	var content io.Reader
	if body != nil {
		encoded, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		content = bytes.NewReader(encoded)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, content)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	c.setAuth(req)
	req.Header.Set("User-Agent", c.userAgent)
	return c.http.Do(req)
}

// newHTTPClient returns the http.Client of a client whose Config.HTTPClient is hc, and the
// timeout that attempt gives each request on top of it (0 when the http.Client has one of its
// own). The default client follows no redirect, keeps no cookies and has no timeout of its own:
// attempt's context carries the per-attempt deadline.
func newHTTPClient(hc *http.Client, maxConns int) (*http.Client, time.Duration) {
	if hc == nil {
		return &http.Client{Transport: defaultTransport(maxConns), CheckRedirect: noRedirect}, attemptTimeout
	}
	return ownHTTPClient(hc), 0
}

// noRedirect is the redirect policy of the default client: an API that redirects is
// misbehaving, and a redirect must not carry the credentials elsewhere.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// defaultTransport pools connections, at most maxConns to each data center (a burst of calls
// queues for them rather than open thousands of sockets), bounds response headers and requires
// TLS 1.2 or later. It starts from a clone of http.DefaultTransport; when that has been
// replaced by something other than an *http.Transport (a wrapper such as otelhttp's, httpmock, a
// test recorder), it starts from a fresh transport with net/http's default settings instead:
// the wrapper is not used, since its transport's limits could not be set (to send through a
// wrapper, give it as Config.HTTPClient's Transport).
func defaultTransport(maxConns int) *http.Transport {
	t := baseTransport()
	t.MaxConnsPerHost = maxConns
	t.MaxIdleConnsPerHost = maxConns
	t.MaxResponseHeaderBytes = DefaultMaxResponseHeaderBytes
	t.ResponseHeaderTimeout = 30 * time.Second
	t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	return t
}

// baseTransport is a clone of http.DefaultTransport when it is an *http.Transport, and a
// transport with net/http's default settings otherwise.
func baseTransport() *http.Transport {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		return t.Clone()
	}
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}
}

// attemptTimeout bounds each attempt (its answer read to the end) of a client without an
// http.Client of the caller's own, and of a caller's http.Client without a timeout, so that a
// data center that never answers cannot hold a call without a deadline forever.
const attemptTimeout = 60 * time.Second

// attemptTimeoutError is the cause of an attempt that outlived the client's attempt timeout.
type attemptTimeoutError struct{ after time.Duration }

func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("no complete answer within the attempt timeout (%v)", e.after)
}

// Timeout reports true, so that the *url.Error that holds it is a net.Error timeout.
func (e *attemptTimeoutError) Timeout() bool { return true }

// Is matches context.DeadlineExceeded, as net/http's own timeout errors do.
func (e *attemptTimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// ownHTTPClient returns a copy of hc that the client can rely on: it has a timeout, and it
// follows a redirect only where hc's own policy allows it and only to the same host without
// leaving https. Without a policy of its own it follows none: an API that redirects is
// misbehaving, and a redirect must not carry the credentials elsewhere.
func ownHTTPClient(hc *http.Client) *http.Client {
	copied := *hc
	if copied.Timeout == 0 {
		copied.Timeout = attemptTimeout
	}
	own := copied.CheckRedirect
	copied.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		from := via[0].URL
		if own == nil || req.URL.Host != from.Host || from.Scheme == "https" && req.URL.Scheme != "https" {
			return noRedirect(req, via)
		}
		return own(req, via)
	}
	return &copied
}

// maxQuotedURL bounds the URL a transport error quotes: it holds the job ID.
const maxQuotedURL = 200

// transportError wraps an error of sending or reading: the context's own errors and refusals to
// send are final; certificate errors too; every other network error is temporary.
func transportError(ctx context.Context, err error) error {
	if ue, ok := err.(*url.Error); ok && len(ue.URL) > maxQuotedURL { //nolint:errorlint // http.Client.Do's own error, never wrapped
		bounded := *ue
		bounded.URL = httpbody.Truncate(ue.URL, maxQuotedURL)
		err = &bounded
	}
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalidCert      x509.CertificateInvalidError
		tlsRecord        tls.RecordHeaderError
	)
	switch {
	case ctx.Err() != nil:
		return err
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalidCert), errors.As(err, &tlsRecord),
		errors.Is(err, http.ErrSchemeMismatch): // a plain-http server behind an https endpoint
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return retry.Temporary(fmt.Errorf("%w: %w", ErrUnavailable, err), 0)
}
