package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBinary builds the real command and runs it as a user would, offline with --demo.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "faxreport")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
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
