package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
)

// Every push answered 2xx has its report, as the API sent it, in --out; and the run ends with
// exit code 0 on an interrupt.
func TestListenWritesEveryPushedReport(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	ids := append(putJobs(s, 20), exampleJob)
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	l := startListen(t, listenEnv(s), "--addr", "127.0.0.1:0", "--out", out)

	for id, code := range pushAll(s, l.url, ids, faxtest.PushBasicAuth(pushUser, pushPassword)) {
		if code != http.StatusNoContent {
			t.Errorf("push of %s answered %d", id, code)
		}
	}
	// Synced before the answer: the file has every line while the command still runs.
	written, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	reports := reportLines(t, written)
	client, err := faxreport.New(s.Config())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids[:20] {
		want, err := client.GetStatusReport(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := reports[id]
		if !ok || got.RecipientStatus[0].Number != want.RecipientStatus[0].Number || got.RecipientStatus[0].DurationInSecs != want.RecipientStatus[0].DurationInSecs {
			t.Errorf("job %s: wrote %+v, want %+v", id, got, want)
		}
	}
	if len(reports) != len(ids) {
		t.Errorf("%d lines for %d jobs", len(reports), len(ids))
	}
	if want := compact(t, api.Example(api.ReportExample)); !strings.Contains(string(written), want) {
		t.Errorf("the example's line is not the API's bytes, compact:\n%s\nwant\n%s", written, want)
	}
	if code := l.stop(); code != exitOK {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
	if l.stdout.Len() != 0 || strings.Contains(l.stderr.String(), pushPassword) {
		t.Fatalf("stdout %q, stderr %q", l.stdout, l.stderr)
	}
}

// Without --out, the reports go to stdout, one per line.
func TestListenPrintsToStdoutWithoutOut(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	l := startListen(t, listenEnv(s), "--addr", "localhost:0")
	status := pushAll(s, l.url, []string{exampleJob, "FJ0MINIMAL0REPORT00001"}, faxtest.PushBasicAuth(pushUser, pushPassword), faxtest.PushInSOAPEnvelope())
	if code := l.stop(); code != exitOK || status[exampleJob] != http.StatusNoContent {
		t.Fatalf("exit %d, pushes %v: %s", code, status, l.stderr)
	}
	if reports := reportLines(t, l.stdout.Bytes()); len(reports) != 2 {
		t.Fatalf("stdout:\n%s", l.stdout)
	}
}

// Wrong or missing credentials are answered 401, and nothing is fetched or written.
func TestListenRefusesWrongCredentials(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	out := filepath.Join(t.TempDir(), "reports.ndjson")
	l := startListen(t, listenEnv(s), "--addr", "127.0.0.1:0", "--out", out)
	for name, opts := range map[string][]faxtest.PushOption{
		"wrong password": {faxtest.PushBasicAuth(pushUser, "wrong")},
		"wrong user":     {faxtest.PushBasicAuth("someone", pushPassword)},
		"none":           nil,
	} {
		if status := pushAll(s, l.url, []string{exampleJob}, opts...); status[exampleJob] != http.StatusUnauthorized {
			t.Errorf("%s: answered %d, want 401", name, status[exampleJob])
		}
	}
	if code := l.stop(); code != exitOK {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
	if written, _ := os.ReadFile(out); len(written) != 0 || len(s.Requests()) != 0 {
		t.Fatalf("wrote %q, sent %d requests", written, len(s.Requests()))
	}
	// A refused push is logged without --verbose: a receiver that refuses everything shows it.
	if n := strings.Count(l.stderr.String(), "level=WARN msg=\"faxreport push\" status=401"); n != 3 {
		t.Errorf("%d warnings of refused pushes on stderr, want 3:\n%s", n, l.stderr.String())
	}
	if strings.Contains(l.stderr.String(), pushPassword) {
		t.Error("stderr shows the push password")
	}
}

// listen refuses to start insecurely unless told to, and then warns.
func TestListenRefusesInsecureSetups(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	env := listenEnv(s)
	noPush := listenEnv(s)
	delete(noPush, "FAXREPORT_PUSH_USERNAME")
	delete(noPush, "FAXREPORT_PUSH_PASSWORD")
	onlyUser := listenEnv(s)
	delete(onlyUser, "FAXREPORT_PUSH_PASSWORD")
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"plain http on every interface", env, []string{"--addr", ":0"}, "not a loopback address"},
		{"plain http on a public address", env, []string{"--addr", "192.0.2.1:8080"}, "not a loopback address"},
		{"no push credentials", noPush, []string{"--addr", "127.0.0.1:0"}, "FAXREPORT_PUSH_USERNAME and FAXREPORT_PUSH_PASSWORD"},
		{"push user without password", onlyUser, []string{"--addr", "127.0.0.1:0"}, "missing FAXREPORT_PUSH_PASSWORD"},
		{"unauthenticated with credentials", env, []string{"--addr", "127.0.0.1:0", "--allow-unauthenticated"}, "does not go with"},
		{"cert without key", env, []string{"--addr", ":0", "--tls-cert", "cert.pem"}, "go together"},
		{"missing cert files", env, []string{"--addr", ":0", "--tls-cert", "nope.pem", "--tls-key", "nope.key"}, "nope.pem"},
		{"bad address", env, []string{"--addr", "8080"}, "want host:port"},
		{"arguments", env, []string{"--addr", "127.0.0.1:0", exampleJob}, "takes no arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := runCLI(t, tc.env, "", append([]string{"listen"}, tc.args...)...)
			if inv.code != exitUsage || !strings.Contains(inv.stderr, tc.want) || strings.Contains(inv.stderr, "listening on") {
				t.Fatalf("exit %d, stderr %q; want exit 2 saying %q", inv.code, inv.stderr, tc.want)
			}
		})
	}

	l := startListen(t, env, "--addr", ":0", "--allow-insecure-http")
	if !strings.Contains(l.stderr.String(), "faxreport: warning: --allow-insecure-http") {
		t.Errorf("no warning: %s", l.stderr)
	}
	if code := l.stop(); code != exitOK {
		t.Errorf("exit %d", code)
	}

	l = startListen(t, noPush, "--addr", "127.0.0.1:0", "--allow-unauthenticated")
	s.LoadExamples()
	status := pushAll(s, l.url, []string{exampleJob})
	if code := l.stop(); code != exitOK || status[exampleJob] != http.StatusNoContent ||
		!strings.Contains(l.stderr.String(), "faxreport: warning: --allow-unauthenticated") {
		t.Errorf("--allow-unauthenticated: exit %d, push %d, stderr %s", code, status[exampleJob], l.stderr)
	}
}

// A push user name with a ':' could never match (basic authentication cannot carry it):
// listen refuses to start, exit 2, naming the variable but never the password.
func TestListenRefusesAUserNameWithAColon(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	env := listenEnv(s)
	env["FAXREPORT_PUSH_USERNAME"] = "push:user"
	inv := runCLI(t, env, "", "listen", "--addr", "127.0.0.1:0")
	if inv.code != exitUsage || !strings.Contains(inv.stderr, "FAXREPORT_PUSH_USERNAME contains ':'") ||
		strings.Contains(inv.stderr, "listening on") || strings.Contains(inv.stderr, pushPassword) {
		t.Fatalf("exit %d, stderr %q; want exit 2 refusing the user name", inv.code, inv.stderr)
	}
	env["FAXREPORT_PUSH_PASSWORD"] = "pass:word" // a ':' in the password is fine
	env["FAXREPORT_PUSH_USERNAME"] = pushUser
	l := startListen(t, env, "--addr", "127.0.0.1:0")
	s.LoadExamples()
	if code := pushWithin(t, s, l.url, exampleJob, faxtest.PushBasicAuth(pushUser, "pass:word")); code != http.StatusNoContent {
		t.Errorf("push with a ':' in the password answered %d", code)
	}
}

// An interrupt in the middle of a burst of pushes finishes the pushes in progress: each is
// answered 204 with its report in --out, and the run exits 0. No push answered 2xx is lost.
func TestListenShutdownMidBurstLosesNothing(t *testing.T) {
	s, ids, g, out, l := gatedListen(t, 12)

	answers := make(chan map[string]int, 1)
	go func() { answers <- pushAll(s, l.url, ids, faxtest.PushBasicAuth(pushUser, pushPassword)) }()
	const inFlight = 4
	for range inFlight { // four pushes are fetching their reports, held at the gate
		received(t, g.arrived, "fetch")
	}
	l.cancel()          // SIGINT
	<-l.stderr.stopping // the command has begun to shut down
	g.release()
	status := <-answers
	if code := l.stop(); code != exitOK {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}

	written, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	reports := reportLines(t, written)
	answered := 0
	for id, code := range status {
		if code/100 == 2 {
			answered++
			if _, ok := reports[id]; !ok {
				t.Errorf("push of %s answered %d, but its report is not in --out", id, code)
			}
		}
	}
	if answered < inFlight {
		t.Errorf("%d pushes answered 2xx, want at least the %d in progress at the interrupt: %v", answered, inFlight, status)
	}
	if len(reports) != answered {
		t.Errorf("%d reports written, %d pushes answered 2xx", len(reports), answered)
	}
}

// A push still in progress when --shutdown-timeout expires is abandoned unanswered, nothing is
// written for it, and the run exits 1 saying so.
func TestListenShutdownTimeoutAbandonsUnansweredPushes(t *testing.T) {
	s, ids, g, out, l := gatedListen(t, 1, "--shutdown-timeout", "50ms")

	answers := make(chan map[string]int, 1)
	go func() { answers <- pushAll(s, l.url, ids, faxtest.PushBasicAuth(pushUser, pushPassword)) }()
	received(t, g.arrived, "fetch") // held at the gate until the command has given up on it
	code := l.stop()
	g.release()
	status := <-answers
	if code != exitFailure || !strings.Contains(l.stderr.String(), "abandoned") {
		t.Fatalf("exit %d: %s", code, l.stderr)
	}
	if status[ids[0]]/100 == 2 {
		t.Fatalf("the abandoned push was answered %d", status[ids[0]])
	}
	if written, _ := os.ReadFile(out); len(written) != 0 {
		t.Fatalf("wrote %q after the output was closed", written)
	}
}
