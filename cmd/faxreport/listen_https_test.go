package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// selfSignedCert writes a certificate for 127.0.0.1 and its key as PEM files, and returns them
// with a pool that trusts the certificate.
func selfSignedCert(t *testing.T) (certFile, keyFile string, roots *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "faxreport listen test"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600)
	roots = x509.NewCertPool()
	roots.AddCert(cert)
	return certFile, keyFile, roots
}
