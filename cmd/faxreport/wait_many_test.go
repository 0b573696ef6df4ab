package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faxreport/faxreport/faxtest"
)

// pendingEnv starts a fake region with n jobs pending for an hour, for wait to wait for.
func pendingEnv(t *testing.T, n int) (*faxtest.Server, []string, map[string]string) {
	t.Helper()
	s := faxtest.NewServer(faxtest.Options{T: t})
	ids := s.SeedPending(n, faxtest.Pending{For: time.Hour})
	return s, ids, map[string]string{
		"FAXREPORT_CUSTNR":    s.CustomerNumber,
		"FAXREPORT_USERNAME":  s.Username,
		"FAXREPORT_PASSWORD":  s.Password,
		"FAXREPORT_ENDPOINTS": strings.Join(s.Endpoints(), ","),
	}
}

// watchedOutput is a stdout that runs then once what was written so far contains each of its
// keys: a test sees what the command has printed while it still runs.
type watchedOutput struct {
	mu    sync.Mutex
	b     bytes.Buffer
	after map[string]func()
}

func (w *watchedOutput) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.b.Write(p)
	for key, then := range w.after {
		if strings.Contains(w.b.String(), key) {
			delete(w.after, key)
			then()
		}
	}
	return n, err
}

func (w *watchedOutput) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// runWatched runs the command as runCLI does, with a watched stdout.
func runWatched(env map[string]string, stdin string, stdout *watchedOutput, args ...string) (code int, stderr string) {
	var errOut bytes.Buffer
	code = run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), stdout, &errOut)
	return code, errOut.String()
}

// wait of several jobs prints each report as soon as it is final, in completion order: the
// fake finishes each next job only once the one before it has been printed, so a wait that
// printed at the end would never end. Job IDs come from --ids-file and from "-".
func TestWaitPrintsEachReportAsItIsFinal(t *testing.T) {
	s, ids, env := pendingEnv(t, 3)
	s.Finish(ids[2]) // the last given is the first final
	file := filepath.Join(t.TempDir(), "ids")
	if err := os.WriteFile(file, []byte(ids[0]+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, json := range []bool{false, true} {
		out := &watchedOutput{after: map[string]func(){
			ids[2]: func() { s.Finish(ids[1]) },
			ids[1]: func() { s.Finish(ids[0]) },
		}}
		args := []string{"wait", "--poll-min", "1ms", "--poll-max", "5ms", "--timeout", "20s", "--ids-file", file, "-"}
		if json {
			args = append(args, "--json")
		}
		code, stderr := runWatched(env, ids[1]+" "+ids[2]+"\n", out, args...)
		if code != exitOK || stderr != "" {
			t.Fatalf("--json %t: exit %d, stderr %q", json, code, stderr)
		}
		printed := out.String()
		last := -1
		for _, id := range []string{ids[2], ids[1], ids[0]} {
			at := strings.Index(printed, id)
			if at <= last {
				t.Fatalf("--json %t: %s missing or not in completion order:\n%s", json, id, printed)
			}
			last = at
		}
		if json && strings.Count(printed, "\n") != 3 {
			t.Fatalf("want one line per job:\n%s", printed)
		}
		for _, id := range ids {
			s.FinishAt(time.Now().Add(time.Hour), id) // pending again for the next run
		}
		s.Finish(ids[2])
	}
}

// The exit code of several jobs is that of the first, in argument order, that failed, and a
// job still pending at the timeout exits as a single wait of it does.
func TestWaitOfSeveralJobsExitCodes(t *testing.T) {
	s, ids, env := pendingEnv(t, 2)
	s.Finish(ids[0])
	single := runCLI(t, env, "", "wait", "--poll-min", "1ms", "--poll-max", "5ms", "--timeout", "200ms", ids[1])
	inv := runCLI(t, env, "", "wait", "--poll-min", "1ms", "--poll-max", "5ms", "--timeout", "200ms", ids[0], ids[1])
	if inv.code == exitOK || inv.code != single.code || !strings.Contains(inv.stdout, ids[0]) ||
		!strings.Contains(inv.stderr, ids[1]) || !strings.Contains(inv.stderr, "not final after") {
		t.Fatalf("exit %d (a single wait: %d)\n%s%s", inv.code, single.code, inv.stdout, inv.stderr)
	}

	inv = runCLI(t, env, "", "wait", "--json", "--not-found-limit", "0", "--poll-min", "1ms", "--poll-max", "5ms", ids[0], "FJNOSUCHJOB", "..")
	if inv.code != exitNotFound || strings.Count(inv.stderr, "\n") != 2 || !strings.Contains(inv.stderr, `"kind":"not_found"`) ||
		!strings.Contains(inv.stderr, `"kind":"invalid_input"`) || strings.Count(inv.stdout, "\n") != 1 {
		t.Fatalf("exit %d\n%s%s", inv.code, inv.stdout, inv.stderr)
	}
}
