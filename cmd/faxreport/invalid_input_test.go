package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Missing credentials: the message names exactly what is missing and where it may come from.
func TestMissingCredentialsNamed(t *testing.T) {
	s, env := fakeEnv(t)
	delete(env, "FAXREPORT_PASSWORD")
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		env       map[string]string
		stdin     string
		args      []string
		want, not []string
	}{
		{"only the password unset", env, "", []string{"get", exampleJob},
			[]string{"missing the password (FAXREPORT_PASSWORD or --password-file)"}, []string{"customer number", "user name"}},
		{"nothing set", map[string]string{}, "", []string{"get", exampleJob},
			[]string{"the customer number (--custnr or FAXREPORT_CUSTNR)", "the user name (--username or FAXREPORT_USERNAME)", "the password"}, nil},
		{"empty password file", env, "", []string{"get", "--password-file", empty, exampleJob},
			[]string{"the password file " + empty + " gave no password"}, []string{"customer number"}},
		{"empty stdin", env, "", []string{"get", "--password-file", "-", exampleJob},
			[]string{"standard input (--password-file -) gave no password"}, []string{"customer number"}},
		{"missing password file", env, "", []string{"get", "--password-file", empty + ".missing", exampleJob},
			[]string{"--password-file: open " + empty + ".missing"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inv := runCLI(t, tc.env, tc.stdin, tc.args...)
			if inv.code != exitUsage {
				t.Fatalf("exit %d: %s", inv.code, inv.stderr)
			}
			for _, want := range tc.want {
				if !strings.Contains(inv.stderr, want) {
					t.Errorf("stderr lacks %q: %s", want, inv.stderr)
				}
			}
			for _, not := range tc.not {
				if strings.Contains(inv.stderr, not) {
					t.Errorf("stderr names %q, which is set: %s", not, inv.stderr)
				}
			}
			if strings.Contains(inv.stderr, s.Password) {
				t.Fatal("printed the password")
			}
		})
	}
}

// A zero or negative timeout, or a number without a unit, is invalid input that says what is
// wanted (items 7 and 8: every duration flag).
func TestDurationFlagsWantAPositiveDurationWithAUnit(t *testing.T) {
	_, env := fakeEnv(t)
	for _, flag := range []string{"--timeout", "--poll-min", "--poll-max"} {
		for _, value := range []string{"0s", "-1s", "10", "soon"} {
			inv := runCLI(t, env, "", "wait", flag, value, exampleJob)
			first, _, _ := strings.Cut(inv.stderr, "\n")
			if inv.code != exitUsage || !strings.Contains(first, flag) ||
				!strings.Contains(first, "want a positive duration with a unit, such as 500ms, 30s or 5m") || len(first) > 160 {
				t.Errorf("%s %s: exit %d, %q", flag, value, inv.code, inv.stderr)
			}
		}
	}
}

// wait's option errors name the flags.
func TestWaitOptionErrorsNameTheFlag(t *testing.T) {
	_, env := fakeEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--poll-min", "10s", "--poll-max", "1s"}, "faxreport: --poll-min 10s is longer than --poll-max 1s\n"},
		{[]string{"--poll-max", "1s"}, "faxreport: --poll-min 2s is longer than --poll-max 1s\n"},
		{[]string{"--not-found-limit", "-1"}, "faxreport: --not-found-limit -1: want 0 or more\n"},
		{[]string{"--not-found-limit", "x"}, "faxreport: invalid argument \"x\" for \"--not-found-limit\" flag"},
	} {
		inv := runCLI(t, env, "", append([]string{"wait"}, append(tc.args, exampleJob)...)...)
		if inv.code != exitUsage || !strings.HasPrefix(inv.stderr, tc.want) {
			t.Errorf("%q: exit %d, %q, want %q", tc.args, inv.code, inv.stderr, tc.want)
		}
	}
}

// Bad endpoints get advice a CLI user can follow, naming where the list came from.
func TestEndpointErrorsGiveCLIAdvice(t *testing.T) {
	s, env := fakeEnv(t)
	for _, tc := range []struct {
		name, flag, env string
		want            string
	}{
		{"plain http flag", "http://example.com/rest/v1", "", "faxreport: --endpoints: http://example.com/rest/v1 is plain http, which would send the password in clear text: use https"},
		{"plain http env", "", "http://example.com/rest/v1", "faxreport: FAXREPORT_ENDPOINTS: http://example.com/rest/v1 is plain http"},
		{"empty entries", "https://example.com/rest/v1,,", "", "faxreport: --endpoints: entry 2 of 3 is empty: want comma-separated URLs such as https://"},
		{"credentials in the URL", "http://user:secret-in-url@example.com/rest/v1", "", "faxreport: --endpoints: http://user:xxxxx@example.com/rest/v1 is plain http"},
		{"no /rest/v1 flag", "https://example.com/api", "", "faxreport: invalid argument: invalid endpoint: https://example.com/api: the path must end in /rest/v1"},
		{"no /rest/v1 env", "", "https://example.com/", "faxreport: invalid argument: invalid endpoint: https://example.com/: the path must end in /rest/v1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := map[string]string{}
			for k, v := range env {
				e[k] = v
			}
			args := []string{"get", exampleJob}
			if tc.flag != "" {
				args = append(args, "--endpoints", tc.flag)
			}
			if tc.env != "" {
				e["FAXREPORT_ENDPOINTS"] = tc.env
			}
			inv := runCLI(t, e, "", args...)
			if inv.code != exitUsage || !strings.HasPrefix(inv.stderr, tc.want) {
				t.Fatalf("exit %d: %q, want %q", inv.code, inv.stderr, tc.want)
			}
			for _, bad := range []string{"AllowInsecureHTTP", "secret-in-url", s.Password} {
				if strings.Contains(inv.stderr, bad) {
					t.Fatalf("stderr says %q: %s", bad, inv.stderr)
				}
			}
		})
	}
	// Loopback over plain http stays accepted: it is how the fake is reached.
	if inv := runCLI(t, env, "", "get", exampleJob); inv.code != exitOK {
		t.Fatalf("loopback: exit %d %s", inv.code, inv.stderr)
	}
}

// "help" of a topic that is no command is invalid input: one error line, the hint, exit code
// 2, not the whole usage and success. A real topic still gets its help.
func TestHelpOfUnknownTopicIsInvalidInput(t *testing.T) {
	for _, args := range [][]string{{"help", "bogus"}, {"help", "get", "bogus", "more"}, {"help", "a", "b"}} {
		inv := runCLI(t, nil, "", args...)
		lines := strings.Split(strings.TrimSuffix(inv.stderr, "\n"), "\n")
		if inv.code != exitUsage || inv.stdout != "" || len(lines) != 2 ||
			!strings.HasPrefix(lines[0], "faxreport: unknown help topic ") || lines[1] != "Run 'faxreport --help' for usage." {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, inv.code, inv.stdout, inv.stderr)
		}
	}
	if inv := runCLI(t, nil, "", "help", "get"); inv.code != exitOK || !strings.Contains(inv.stdout, "faxreport get [flags] JOBID...") {
		t.Errorf("help get: exit %d %q", inv.code, inv.stderr)
	}
}

// Completion for a shell cobra has no script for is invalid input too; the others still work.
func TestCompletionOfUnknownShellIsInvalidInput(t *testing.T) {
	if inv := runCLI(t, nil, "", "completion", "bogus"); inv.code != exitUsage || !strings.HasPrefix(inv.stderr, "faxreport: no completion for shell \"bogus\"") {
		t.Errorf("completion bogus: exit %d, stderr %q", inv.code, inv.stderr)
	}
	if inv := runCLI(t, nil, "", "completion", "bash"); inv.code != exitOK || !strings.Contains(inv.stdout, "bash completion") {
		t.Errorf("completion bash: exit %d, stderr %q", inv.code, inv.stderr)
	}
}

// An invalid job ID, refused by the library before sending, is invalid input like any other:
// exit code 2 and the command's usage hint.
func TestInvalidJobIDGetsTheUsageHint(t *testing.T) {
	for _, args := range [][]string{{"get", ""}, {"get", "..", exampleJob}, {"delete", ""}, {"wait", ".."}} {
		inv := runCLI(t, nil, "", append([]string{"--demo"}, args...)...)
		if hint := "Run 'faxreport " + args[0] + " --help' for usage.\n"; inv.code != exitUsage || !strings.HasSuffix(inv.stderr, hint) ||
			!strings.HasPrefix(inv.stderr, "faxreport: invalid argument: ") {
			t.Errorf("%q: exit %d %q", args, inv.code, inv.stderr)
		}
	}
}
