package faxreport_test

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
)

func TestRedirectsNeverCarryCredentials(t *testing.T) {
	sawAuth := make(chan bool, 10)
	other := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		sawAuth <- r.Header.Get("Authorization") != ""
		serveReport()(w, r)
	})
	redirecting := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	})
	_, err := newClient(t, redirecting).GetStatusReport(testContext(t), testJobID)
	var apiErr *faxreport.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("got %v, want the 307 as an *APIError", err)
	}
	assertNoSecret(t, err)
	select {
	case auth := <-sawAuth:
		t.Fatalf("the redirect was followed (credentials sent: %v)", auth)
	default:
	}
}

// A client of the user's own that follows every redirect still does not follow one to another
// host, and the user's client itself is left as it was.
func TestOwnHTTPClientIsMadeSafe(t *testing.T) {
	sawRequest := make(chan struct{}, 10)
	other := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) { sawRequest <- struct{}{} })
	redirecting := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	})
	followAll := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
	_, err := newClientWith(t, func(cfg *faxreport.Config) { cfg.HTTPClient = followAll }, redirecting).
		GetStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrInvalidResponse)
	select {
	case <-sawRequest:
		t.Fatal("a redirect to another host was followed")
	default:
	}
	if followAll.Timeout != 0 {
		t.Fatal("the user's client was modified")
	}
}

// TestHTTPSWithTLS12OrLater shows https end to end and a TLS 1.1 server refused. Go's client
// refuses TLS 1.1 by default too, so the refusal alone cannot tell our setting from Go's:
// TestDefaultHTTPClientPolicies pins MinVersion itself.
func TestHTTPSWithTLS12OrLater(t *testing.T) {
	modern := httptest.NewTLSServer(serveReport())
	defer modern.Close()
	c := newClientWith(t, func(cfg *faxreport.Config) {
		cfg.Endpoints = []string{modern.URL + "/rest/v1"}
		cfg.HTTPClient = modern.Client() // trusts the test certificate
	})
	if _, err := c.GetStatusReport(testContext(t), testJobID); err != nil {
		t.Fatalf("https: %v", err)
	}

	old := httptest.NewUnstartedServer(serveReport())
	old.TLS = &tls.Config{MaxVersion: tls.VersionTLS11}
	old.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	old.StartTLS()
	defer old.Close()
	_, err := newClientWith(t, func(cfg *faxreport.Config) {
		cfg.Endpoints = []string{old.URL + "/rest/v1"}
	}).GetStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrUnavailable)
	if !strings.Contains(err.Error(), "protocol version") {
		t.Fatalf("a TLS 1.1 server failed with %v, not a protocol version refusal", err)
	}
}

// Credentials that a server or proxy echoes back never reach an error: the password, the
// user:password pair and the Authorization token are scrubbed, in their JSON-escaped forms too.
func TestEchoedCredentialsAreScrubbedFromErrors(t *testing.T) {
	echoAuth := func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, "<html>proxy error for request with Authorization: %s</html>", r.Header.Get("Authorization"))
	}
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		want    error
	}{
		{"401 quoting user:password", serveJSON(401, []byte(`{"code":401,"message":"bad login `+testUser+`:`+testPassword+`"}`)), faxreport.ErrUnauthorized},
		{"401 quoting it JSON-escaped", serveJSON(401, []byte(`{"code":401,"message":"bad login `+jsonEscaped(testUser+":"+testPassword)+`"}`)), faxreport.ErrUnauthorized},
		{"502 page quoting the Authorization header", echoAuth, faxreport.ErrUnavailable},
		{"200 excerpt holding the password", serveJSON(200, []byte(`{"jobId":"`+testJobID+`","note":"`+testPassword+`"}`)), faxreport.ErrInvalidResponse},
		{"report whose job ID is the password", serveJSON(200, newReport(testPassword).json()), faxreport.ErrInvalidResponse},
		{"delete reason quoting the password", serveJSON(200, []byte(`{"jobId":"`+testJobID+`","deleted":false,"reason":"`+testPassword+`"}`)), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs strings.Builder
			dc := newDataCenter(t, tc.handler)
			c := newClientWith(t, func(cfg *faxreport.Config) {
				cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			}, dc)
			var err error
			if tc.want == nil {
				_, err = c.DeleteStatusReport(testContext(t), testJobID)
			} else {
				_, err = c.GetStatusReport(testContext(t), testJobID)
			}
			if err == nil {
				t.Fatal("no error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %v does not match %v", err, tc.want)
			}
			var apiErr *faxreport.APIError
			fields := ""
			if errors.As(err, &apiErr) {
				fields = apiErr.Message + apiErr.Excerpt
			}
			for _, secret := range []string{testPassword, testToken, jsonEscaped(testPassword)} {
				if strings.Contains(err.Error()+fields+logs.String(), secret) {
					t.Fatalf("%q leaked: %v / %s", secret, err, logs.String())
				}
			}
			if !strings.Contains(err.Error(), "[REDACTED]") {
				t.Errorf("the error does not show where the secret was: %v", err)
			}
		})
	}
}

// jsonEscaped is s with every character escaped as \uXXXX, as a JSON encoder may write it.
func jsonEscaped(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, "\\u%04x", r)
	}
	return b.String()
}

// assertNoSecretPart fails if err shows any 5 bytes of the password: what an error cuts short
// must be scrubbed first, or a cut password no longer matches and its start shows.
func assertNoSecretPart(t *testing.T, err error) {
	t.Helper()
	for i := 0; i+5 <= len(testPassword); i++ {
		if part := testPassword[i : i+5]; strings.Contains(err.Error(), part) {
			t.Fatalf("error shows %q of the password: %v", part, err)
		}
	}
}

// Job IDs and excerpts are scrubbed before they are cut, so that a password straddling the cut
// shows no part of itself.
func TestScrubbingHappensBeforeCutting(t *testing.T) {
	straddling := strings.Repeat("A", 60) + testPassword
	badDate := newReport(testJobID).with("not a date", "recipientStatus", 0, "sentTs").json()
	for name, list := range map[string][]byte{
		"job ID of an invalid listed report":  bytes.Replace(badDate, []byte(testJobID), []byte(straddling), 1),
		"excerpt of an invalid listed report": newReport(testJobID).with(strings.Repeat("B", 72)+testPassword, "recipientStatus", 0, "sentTs").json(),
	} {
		t.Run(name, func(t *testing.T) {
			body := append(append([]byte(`{"reports":[`), list...), "]}"...)
			_, err := newClient(t, newDataCenter(t, serveJSON(200, body))).ListStatusReports(testContext(t))
			mustFail(t, err, faxreport.ErrInvalidResponse)
			assertNoSecretPart(t, err)
		})
	}
	t.Run("job ID of an invalid bulk delete item", func(t *testing.T) {
		dc := newDataCenter(t, serveJSON(200, []byte(`{"reports":[{"jobId":"`+strings.Repeat("A", 55)+testPassword+`","deleted":"yes"}]}`)))
		for _, r := range newClient(t, dc).DeleteStatusReports(testContext(t), []string{"FJ1"}, faxreport.BatchOptions{}) {
			mustFail(t, r.Err, faxreport.ErrInvalidResponse)
			assertNoSecretPart(t, r.Err)
		}
	})
}

// A listing that is not an object, however large, is an invalid response, never a crash (the
// model is built while a large body is validated).
func TestListThatIsNoObjectIsInvalid(t *testing.T) {
	huge := []byte(`"` + strings.Repeat("x", 70<<10) + `"`)
	_, err := newClient(t, newDataCenter(t, serveJSON(200, huge))).ListStatusReports(testContext(t))
	mustFail(t, err, faxreport.ErrInvalidResponse)
}
