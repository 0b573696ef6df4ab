package main

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

// An error is printed with one "faxreport: " prefix, however many errors it wraps.
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
// credential.
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
		for _, want := range []string{`msg="faxreport request"`, "endpoint=http://127.0.0.1:", "status="} {
			if !strings.Contains(line, want) {
				t.Errorf("record lacks %q: %s", want, line)
			}
		}
		switch {
		case strings.Contains(line, `op="bulk get" attempt=`) && strings.Contains(line, " status=200 "):
			found++
		case strings.Contains(line, "op=get job=FJNOSUCHJOB ") && strings.Contains(line, " status=404 "):
		default:
			t.Errorf("unexpected record: %s", line)
		}
	}
	// Two jobs are read in bulk: one bulk GET to each data center (200, one of them without the
	// missing job), then the missing job is confirmed with the single-report call, a 404 from
	// each data center, all before the command ends.
	if records != 4 || found != 2 {
		t.Errorf("%d debug records, %d of them a bulk 200, want 4 and 2:\n%s", records, found, inv.stderr)
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

// No error repeats the program's name after the prefix: the commands that take no arguments
// name themselves without it.
func TestNoArgumentsErrorNamesTheCommandOnce(t *testing.T) {
	for _, command := range []string{"list", "version", "drain", "listen"} {
		inv := runCLI(t, nil, "", command, "x")
		want := "faxreport: " + command + ` takes no arguments, got "x"` + "\n" + "Run 'faxreport " + command + " --help' for usage.\n"
		if inv.code != exitUsage || inv.stderr != want {
			t.Errorf("%s x: exit %d %q, want %q", command, inv.code, inv.stderr, want)
		}
	}
}

// An error that joins several (every data center of a list failing) is printed on one line,
// its parts separated by "; ".
func TestJoinedErrorsOnOneLineWithSemicolons(t *testing.T) {
	s, env := fakeEnv(t)
	for _, dc := range s.DataCenters() {
		dc.Inject(faxtest.Fault{Status: http.StatusBadRequest})
	}
	inv := runCLI(t, env, "", "list")
	line := strings.TrimSuffix(inv.stderr, "\n")
	if inv.code == exitOK || strings.Contains(line, "\n") || !strings.Contains(line, "2 of 2 data centers failed: http://") ||
		strings.Count(line, "; http://127.0.0.1:") != 1 {
		t.Fatalf("exit %d %q", inv.code, inv.stderr)
	}
}
