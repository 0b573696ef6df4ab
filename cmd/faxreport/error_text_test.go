package main

import (
	"log/slog"
	"strings"
	"testing"
)

// An error is printed with one "faxreport: " prefix, however many errors it wraps (item 13).
func TestErrorTextHasOnePrefix(t *testing.T) {
	_, env := fakeEnv(t)
	for _, args := range [][]string{
		{"wait", "--not-found-limit", "0", "--poll-min", "1ms", "--poll-max", "2ms", "FJNOSUCHJOB"}, // a wait error wrapping a get error
		{"get", "FJNOSUCHJOB"},
		{"get", ".."},
	} {
		inv := runCLI(t, env, "", args...)
		if inv.code == exitOK || !strings.HasPrefix(inv.stderr, "faxreport: ") || strings.Count(inv.stderr, "faxreport:") != 1 {
			t.Errorf("%q: exit %d %q", args, inv.code, inv.stderr)
		}
	}
}

// --verbose gives the library a debug logger on stderr: one record per HTTP attempt, never a
// credential (item 14).
func TestVerboseLogsRequestsWithoutCredentials(t *testing.T) {
	s, env := fakeEnv(t)
	quiet := runCLI(t, env, "", "get", exampleJob)
	inv := runCLI(t, env, "", "get", "--verbose", exampleJob, "FJNOSUCHJOB")
	if inv.code != exitNotFound || quiet.stderr != "" {
		t.Fatalf("exit %d; without --verbose stderr %q", inv.code, quiet.stderr)
	}
	records, found := 0, 0
	for line := range strings.Lines(inv.stderr) {
		if !strings.Contains(line, "level=DEBUG") {
			continue
		}
		records++
		if strings.Contains(line, " status=200 ") {
			found++
		}
		for _, want := range []string{`msg="faxreport request"`, "op=get", "endpoint=http://127.0.0.1:", "status="} {
			if !strings.Contains(line, want) {
				t.Errorf("record lacks %q: %s", want, line)
			}
		}
	}
	// Two jobs, each asked of both data centers: the missing one's two 404s are logged before
	// the command ends, the found one's 200 too; the other data center's 404 for it may come
	// after the command has ended, and is then not logged.
	if records < 3 || records > 4 || found != 1 {
		t.Errorf("%d debug records, %d of them a 200, want 3 or 4 and 1:\n%s", records, found, inv.stderr)
	}
	for _, secret := range []string{s.Password, "Basic ", "Authorization"} {
		if strings.Contains(inv.stderr, secret) {
			t.Fatalf("--verbose printed %q:\n%s", secret, inv.stderr)
		}
	}
	// The demo logs too.
	if inv := runCLI(t, nil, "", "get", "--verbose", "--demo", exampleJob); !strings.Contains(inv.stderr, "level="+slog.LevelDebug.String()) {
		t.Fatalf("--demo --verbose: %q", inv.stderr)
	}
}
