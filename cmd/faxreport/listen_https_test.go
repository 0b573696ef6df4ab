package main

import (
	"crypto/tls"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
)

// With --tls-cert and --tls-key, listen serves HTTPS, on any address.
func TestListenServesHTTPS(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	certFile, keyFile, roots := selfSignedCert(t)
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	l := startListen(t, listenEnv(s), "--addr", ":0", "--tls-cert", certFile, "--tls-key", keyFile, "--out", out)
	if !strings.HasPrefix(l.url, "https://") || strings.Contains(l.stderr.String(), "warning") {
		t.Fatalf("listening on %s: %s", l.url, l.stderr)
	}
	u, err := url.Parse(l.url)
	if err != nil {
		t.Fatal(err)
	}
	port := u.Port() // listening on every interface: push to loopback, the certificate's address
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	push := func(user, password string) int {
		body := `<faxJobReport xmlns="` + faxtest.PushNamespace + `"><jobId>` + exampleJob + `</jobId></faxJobReport>`
		req, _ := http.NewRequest(http.MethodPost, "https://127.0.0.1:"+port+"/", strings.NewReader(body))
		req.Header.Set("Content-Type", "text/xml")
		req.SetBasicAuth(user, password)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := push(pushUser, "wrong"); got != http.StatusUnauthorized {
		t.Errorf("wrong password over HTTPS: %d", got)
	}
	if got := push(pushUser, pushPassword); got != http.StatusNoContent {
		t.Errorf("push over HTTPS: %d", got)
	}
	if code := l.stop(); code != exitOK {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
	if written, _ := os.ReadFile(out); string(written) != compact(t, api.Example(api.ReportExample)) {
		t.Fatalf("wrote %q", written)
	}
}
