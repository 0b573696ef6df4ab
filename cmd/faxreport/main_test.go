package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
)

const exampleJob = "FJJ66GHGX105ZZBIELVCN1"

// invocation is one run of the command's main entry.
type invocation struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command with args, the environment env and stdin.
func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) invocation {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &stdout, &stderr)
	inv := invocation{code: code, stdout: stdout.String(), stderr: stderr.String()}
	if code != exitUsage && code != exitOK {
		for line := range strings.Lines(inv.stderr) { // every error is one line: text, or JSON
			if !strings.HasPrefix(line, "faxreport: ") && !strings.HasPrefix(line, `{"`) && !strings.Contains(line, " level=DEBUG ") {
				t.Errorf("stderr line %q is not a one-line error (stderr %q)", line, inv.stderr)
			}
		}
	}
	return inv
}

// compact is body without insignificant whitespace, on one line, as --json prints it.
func compact(t *testing.T, body []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, body); err != nil {
		t.Fatal(err)
	}
	return b.String() + "\n"
}

// fakeEnv starts a fake region seeded with the examples and returns the environment that
// points the command at it.
func fakeEnv(t *testing.T) (*faxtest.Server, map[string]string) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	return s, map[string]string{
		"FAXREPORT_CUSTNR":    s.CustomerNumber,
		"FAXREPORT_USERNAME":  s.Username,
		"FAXREPORT_PASSWORD":  s.Password,
		"FAXREPORT_ENDPOINTS": strings.Join(s.Endpoints(), ","),
	}
}

func TestGetTable(t *testing.T) {
	_, env := fakeEnv(t)
	inv := runCLI(t, env, "", "get", exampleJob)
	if inv.code != exitOK || inv.stderr != "" {
		t.Fatalf("exit %d, stderr %q", inv.code, inv.stderr)
	}
	for _, want := range []string{
		"Job FJJ66GHGX105ZZBIELVCN1, 1 page, customer ID 2022-04-7T11:04:37.057Z_customerDefinedId",
		"NUMBER", "STATUS", "REASON", "SENT", "DURATION", "SENT TO", "REMOTE CSID",
		"+49 89 1234567-8900", "2017-08-10T13:05:09Z", "19s", "00498912345678900", "+49/89/1234567-8900",
	} {
		if !strings.Contains(inv.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, inv.stdout)
		}
	}
}

func TestGetJSONRoundTrip(t *testing.T) {
	_, env := fakeEnv(t)
	inv := runCLI(t, env, "", "get", "--json", exampleJob)
	if inv.code != exitOK {
		t.Fatalf("exit %d: %s", inv.code, inv.stderr)
	}
	if want := compact(t, api.Example(api.ReportExample)); inv.stdout != want {
		t.Fatalf("--json printed\n%s\nwant the API's body on one line\n%s", inv.stdout, want)
	}
}

func TestGetSeveralJobsInOrder(t *testing.T) {
	_, env := fakeEnv(t)
	inv := runCLI(t, env, "", "get", "FJ0PENDING0REPORT00001", "FJNOSUCHJOB", exampleJob)
	if inv.code != exitNotFound {
		t.Fatalf("exit %d, want %d", inv.code, exitNotFound)
	}
	if i, j := strings.Index(inv.stdout, "FJ0PENDING"), strings.Index(inv.stdout, exampleJob); i < 0 || j < i {
		t.Fatalf("reports not in argument order:\n%s", inv.stdout)
	}
	if !strings.Contains(inv.stderr, "FJNOSUCHJOB") {
		t.Fatalf("stderr %q", inv.stderr)
	}
}

func TestExitCodes(t *testing.T) {
	s, env := fakeEnv(t)
	with := func(k, v string) map[string]string {
		e := map[string]string{}
		for key, val := range env {
			e[key] = val
		}
		e[k] = v
		return e
	}
	unavailable := faxtest.NewServer(faxtest.Options{DataCenters: 1})
	unavailable.DataCenter(0).Inject(faxtest.Fault{Status: 503})
	defer unavailable.Close()
	invalid := faxtest.NewServer(faxtest.Options{DataCenters: 1})
	invalid.DataCenter(0).Inject(faxtest.Fault{Malformed: []byte(`{"jobId":"x"}`)})
	defer invalid.Close()

	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want int
	}{
		{"found", env, []string{"get", exampleJob}, exitOK},
		{"not found", env, []string{"get", "FJNOSUCHJOB"}, exitNotFound},
		{"unauthorized", with("FAXREPORT_PASSWORD", "wrong-password-123"), []string{"get", exampleJob}, exitUnauthorized},
		{"invalid job ID", env, []string{"get", ".."}, exitUsage},
		{"no job ID", env, []string{"get"}, exitUsage},
		{"unknown flag", env, []string{"get", "--nope", exampleJob}, exitUsage},
		{"password as a flag", env, []string{"get", "--password", "x", exampleJob}, exitUsage},
		{"unknown command", env, []string{"fetch"}, exitUsage},
		{"no command", env, nil, exitUsage},
		{"no credentials", map[string]string{}, []string{"get", exampleJob}, exitUsage},
		{"bad region", with("FAXREPORT_REGION", "mars"), []string{"get", exampleJob}, exitUsage},
		{"invalid response", with("FAXREPORT_ENDPOINTS", invalid.Endpoints()[0]), []string{"get", exampleJob}, exitInvalid},
		{"unavailable", with("FAXREPORT_ENDPOINTS", unavailable.Endpoints()[0]), []string{"get", "--timeout", "2s", exampleJob}, exitUnavailable},
		{"timeout", env, []string{"get", "--timeout", "1ns", exampleJob}, exitUnavailable},
		{"help", env, []string{"get", "--help"}, exitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := runCLI(t, tc.env, "", tc.args...)
			if inv.code != tc.want {
				t.Fatalf("exit %d, want %d; stderr %q", inv.code, tc.want, inv.stderr)
			}
			if tc.want != exitOK && inv.stderr == "" {
				t.Fatal("failed without a word on stderr")
			}
			for _, secret := range []string{s.Password, "wrong-password-123", "Basic "} {
				if strings.Contains(inv.stdout+inv.stderr, secret) {
					t.Fatalf("printed a credential: %q %q", inv.stdout, inv.stderr)
				}
			}
		})
	}
}

func TestFlagsWinOverEnvironment(t *testing.T) {
	s, env := fakeEnv(t)
	env["FAXREPORT_CUSTNR"] = "999"
	if inv := runCLI(t, env, "", "get", exampleJob); inv.code != exitUnauthorized {
		t.Fatalf("env customer number: exit %d", inv.code)
	}
	if inv := runCLI(t, env, "", "get", "--custnr", s.CustomerNumber, exampleJob); inv.code != exitOK {
		t.Fatalf("flag customer number: exit %d %s", inv.code, inv.stderr)
	}
}

func TestPasswordFromFileOrStdin(t *testing.T) {
	s, env := fakeEnv(t)
	delete(env, "FAXREPORT_PASSWORD")
	if inv := runCLI(t, env, s.Password+"\n", "get", "--password-file", "-", exampleJob); inv.code != exitOK {
		t.Fatalf("stdin: exit %d %s", inv.code, inv.stderr)
	}
	file := filepath.Join(t.TempDir(), "password")
	os.WriteFile(file, []byte(s.Password+"\n"), 0o600)
	if inv := runCLI(t, env, "", "get", "--password-file", file, exampleJob); inv.code != exitOK {
		t.Fatalf("file: exit %d %s", inv.code, inv.stderr)
	}
	if inv := runCLI(t, env, "", "get", "--password-file", file+".missing", exampleJob); inv.code != exitUsage {
		t.Fatalf("missing file: exit %d", inv.code)
	}
}

func TestDemo(t *testing.T) {
	inv := runCLI(t, map[string]string{}, "", "get", "--demo", exampleJob)
	if inv.code != exitOK || !strings.Contains(inv.stdout, "+49 89 1234567-8900") {
		t.Fatalf("exit %d\n%s%s", inv.code, inv.stdout, inv.stderr)
	}
}

func TestWaitPrintsTheFinalReport(t *testing.T) {
	s, env := fakeEnv(t)
	s.PutPending(&faxreport.Report{JobID: "FJWAIT", Pages: 1, RecipientStatus: []faxreport.RecipientStatus{
		{Number: "+1 555 0100", Status: faxreport.StatusOK, Reason: "OK", DurationInSecs: 7},
	}}, faxtest.Pending{Reads: 2})
	inv := runCLI(t, env, "", "wait", "--poll-min", "1ms", "--poll-max", "5ms", "FJWAIT")
	if inv.code != exitOK || !strings.Contains(inv.stdout, "+1 555 0100  OK") {
		t.Fatalf("exit %d\n%s%s", inv.code, inv.stdout, inv.stderr)
	}
	inv = runCLI(t, env, "", "wait", "--json", "FJWAIT")
	var r faxreport.Report
	if inv.code != exitOK || json.Unmarshal([]byte(inv.stdout), &r) != nil || r.JobID != "FJWAIT" {
		t.Fatalf("--json: exit %d\n%s%s", inv.code, inv.stdout, inv.stderr)
	}
}

func TestDelete(t *testing.T) {
	s, env := fakeEnv(t)
	inv := runCLI(t, env, "", "delete", exampleJob)
	if inv.code != exitOK || inv.stdout != exampleJob+" deleted\n" {
		t.Fatalf("exit %d %q %q", inv.code, inv.stdout, inv.stderr)
	}
	if s.Home(exampleJob).Has(exampleJob) {
		t.Fatal("not deleted")
	}
	if inv := runCLI(t, env, "", "delete", exampleJob); inv.code != exitNotFound {
		t.Fatalf("second delete: exit %d %q", inv.code, inv.stderr)
	}
	if inv := runCLI(t, env, "", "get", exampleJob); inv.code != exitNotFound {
		t.Fatalf("get after delete: exit %d", inv.code)
	}
	if inv := runCLI(t, env, "", "delete"); inv.code != exitUsage {
		t.Fatalf("no job: exit %d", inv.code)
	}
}

// The table shows what the library validated: a name that differs only in case is an unknown
// member, not a second value for the field (encoding/json would take it).
func TestGetTableIgnoresCaseVariantNames(t *testing.T) {
	s, env := fakeEnv(t)
	s.DataCenter(0).PutJSON([]byte(`{"jobId":"FJCASE","pages":1,"recipientStatus":[{"number":"+1 555 0100","status":"PENDING","reason":"In progress","durationInSecs":0,"Status":"OK"}],"reference":{"billingCode":"ok","BILLINGCODE":"` + strings.Repeat("b", 100) + `"}}`))
	inv := runCLI(t, env, "", "get", "FJCASE")
	if inv.code != exitOK || !strings.Contains(inv.stdout, "PENDING") || strings.Contains(inv.stdout, "bbbb") {
		t.Fatalf("exit %d\n%s%s", inv.code, inv.stdout, inv.stderr)
	}
}

// received returns what ch delivers, or fails the test after a minute, so that a request or
// write that never comes fails the test instead of hanging it.
func received[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Minute):
		t.Fatalf("no %s within a minute", what)
		panic("unreachable")
	}
}
