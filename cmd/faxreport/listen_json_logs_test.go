package main

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/faxreport/faxreport/faxtest"
)

// With --json, every line listen writes on stderr is a JSON object: its own lines (listening,
// warnings, shutting down, stopped), the library's records of pushes, and the server's errors
// (a failed TLS handshake).
func TestListenJSONLogsEveryStderrLine(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	env := listenEnv(s)
	delete(env, "FAXREPORT_PUSH_USERNAME")
	delete(env, "FAXREPORT_PUSH_PASSWORD")
	certFile, keyFile, roots := selfSignedCert(t)
	l := startListen(t, env, "--json", "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile,
		"--allow-unauthenticated", "--metrics-addr", "0")
	<-l.stderr.metrics

	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	for job, want := range map[string]int{exampleJob: http.StatusNoContent, "FJNOSUCHJOB": http.StatusServiceUnavailable} {
		body := `<faxJobReport xmlns="` + faxtest.PushNamespace + `"><jobId>` + job + `</jobId></faxJobReport>`
		resp, err := client.Post(l.url, "text/xml", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("push of %s answered %d, want %d", job, resp.StatusCode, want)
		}
	}
	u, err := url.Parse(l.url)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host) // a handshake that fails: the server logs it
	if err != nil {
		t.Fatal(err)
	}
	conn.Write([]byte("not TLS\r\n\r\n"))
	conn.Close()
	l.stderr.await(t, "TLS handshake error")
	if code := stopWithin(t, l); code != exitOK {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}

	var msgs []string
	sc := bufio.NewScanner(strings.NewReader(l.stderr.String()))
	for sc.Scan() {
		var record struct{ Level, Msg string }
		if err := json.Unmarshal(sc.Bytes(), &record); err != nil || record.Level == "" || record.Msg == "" {
			t.Errorf("stderr line %q is not a JSON record with a level and a message", sc.Text())
		}
		msgs = append(msgs, record.Level+" "+record.Msg)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"INFO listening on https://", "WARN --allow-unauthenticated", "INFO serving metrics on http://127.0.0.1:",
		"WARN faxreport push", "WARN http: TLS handshake error", "INFO shutting down", "INFO stopped"} {
		if !strings.Contains(all, want) {
			t.Errorf("no record %q among:\n%s", want, all)
		}
	}
}
