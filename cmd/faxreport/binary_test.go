package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestMain removes the binary that builtBinary may have built.
func TestMain(m *testing.M) {
	code := m.Run()
	if binaryDir != "" {
		os.RemoveAll(binaryDir)
	}
	os.Exit(code)
}

var (
	binaryOnce sync.Once
	binaryDir  string // the git checkout builtBinary built in; removed by TestMain
	binaryPath string
	binaryRev  string // the commit of that checkout
	binaryErr  error
)

// builtBinary builds the real command once for the tests that run it as a user would, in a
// git checkout of its own (the module's files, committed), with -buildvcs=true: a worktree's
// .git file gives go build no VCS information, and these machines' go env turns it off. It
// returns the binary and the checkout's commit.
func builtBinary(t *testing.T) (bin, revision string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	binaryOnce.Do(func() { binaryPath, binaryRev, binaryErr = buildInCheckout() })
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath, binaryRev
}

// buildInCheckout copies the module's files (tracked, and untracked but not ignored) into a
// new git repository, commits them and builds the command there.
func buildInCheckout() (bin, revision string, err error) {
	if binaryDir, err = os.MkdirTemp("", "faxreport-checkout-"); err != nil {
		return "", "", err
	}
	run := func(dir, name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			var exitErr *exec.ExitError
			if errors.As(err, &exitErr) {
				err = errors.New(name + " " + strings.Join(args, " ") + ": " + string(exitErr.Stderr))
			}
		}
		return strings.TrimSpace(string(out)), err
	}
	files, err := run("../..", "git", "ls-files", "-co", "--exclude-standard")
	if err != nil {
		return "", "", err
	}
	src := filepath.Join(binaryDir, "src")
	for _, f := range strings.Split(files, "\n") {
		data, err := os.ReadFile(filepath.Join("../..", f))
		if errors.Is(err, os.ErrNotExist) { // deleted, not yet committed
			continue
		}
		if err != nil {
			return "", "", err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(src, f)), 0o755); err != nil {
			return "", "", err
		}
		if err := os.WriteFile(filepath.Join(src, f), data, 0o644); err != nil {
			return "", "", err
		}
	}
	git := []string{"-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-q", "-m", "checkout"}} {
		if _, err := run(src, "git", append(git, args...)...); err != nil {
			return "", "", err
		}
	}
	if revision, err = run(src, "git", "rev-parse", "HEAD"); err != nil {
		return "", "", err
	}
	bin = filepath.Join(binaryDir, "faxreport")
	if _, err := run(src, "go", "build", "-buildvcs=true", "-trimpath", "-o", bin, "./cmd/faxreport"); err != nil {
		return "", "", err
	}
	return bin, revision, nil
}

// TestBinary runs the real command as a user would, offline with --demo.
func TestBinary(t *testing.T) {
	bin, _ := builtBinary(t)
	// Flags anywhere on the line: after the job ID, and before the command.
	out, err := exec.Command(bin, "get", exampleJob, "--demo").Output()
	if err != nil || !strings.Contains(string(out), "+49/89/1234567-8900") {
		t.Fatalf("get ID --demo: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "--demo", "get", "FJNOSUCHJOB")
	stderr, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != exitNotFound {
		t.Fatalf("unknown job: %v\n%s", err, stderr)
	}
	if lines := strings.Count(strings.TrimSpace(string(stderr)), "\n") + 1; lines != 1 || !strings.HasPrefix(string(stderr), "faxreport: ") {
		t.Fatalf("stderr is not one clear line: %q", stderr)
	}
}
