package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A job ID argument with a comma in it (a list pasted as one argument) is refused, with a hint,
// before anything is sent.
func TestJobIDWithCommaIsRefused(t *testing.T) {
	s, env := fakeEnv(t)
	for _, args := range [][]string{{"get", exampleJob + "," + exampleJob}, {"delete", "FJ1,", "FJ2"}, {"get", "--json", "FJ1", "FJ2,FJ3"}} {
		inv := runCLI(t, env, "", args...)
		if inv.code != exitUsage || !strings.Contains(inv.stderr, "has a comma: give job IDs as separate arguments") {
			t.Errorf("%q: exit %d %q", args, inv.code, inv.stderr)
		}
	}
	if n := len(s.Requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// get (or delete) with no job ID while standard input is a pipe hints at "-"; with standard
// input a terminal or a device, it does not.
func TestNoJobIDWithPipedInputHintsAtDash(t *testing.T) {
	_, env := fakeEnv(t)
	stdinRun := func(stdin *os.File, args ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, func(k string) string { return env[k] }, stdin, &stdout, &stderr)
		return code, stderr.String()
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	w.WriteString(exampleJob + "\n")
	w.Close()
	for _, command := range []string{"get", "delete"} {
		code, stderr := stdinRun(r, command)
		if want := `faxreport: no job ID given; to read the job IDs piped to standard input, give "-" as an argument` + "\n" +
			"Run 'faxreport " + command + " --help' for usage.\n"; code != exitUsage || stderr != want {
			t.Errorf("%s from a pipe: exit %d %q, want %q", command, code, stderr, want)
		}
	}
	devNull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	if code, stderr := stdinRun(devNull, "get"); code != exitUsage || !strings.HasPrefix(stderr, "faxreport: no job ID given\n") {
		t.Errorf("from %s: exit %d %q", os.DevNull, code, stderr)
	}
}

// A UTF-8 byte-order mark at the start of standard input or of an IDs file is dropped, not
// read as part of the first job ID.
func TestByteOrderMarkOfJobIDInputIsDropped(t *testing.T) {
	_, env := fakeEnv(t)
	input := byteOrderMark + exampleJob + "\r\nFJ0MINIMAL0REPORT00001\n"
	file := filepath.Join(t.TempDir(), "ids.txt")
	if err := os.WriteFile(file, []byte(input), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		stdin string
		args  []string
	}{
		{input, []string{"get", "-"}},
		{input, []string{"get", "--ids-file", "-"}},
		{"", []string{"get", "--ids-file", file}},
	} {
		inv := runCLI(t, env, c.stdin, c.args...)
		if inv.code != exitOK || !strings.Contains(inv.stdout, "Job "+exampleJob+",") || !strings.Contains(inv.stdout, "Job FJ0MINIMAL0REPORT00001,") {
			t.Errorf("%q: exit %d\n%s%s", c.args, inv.code, inv.stdout, inv.stderr)
		}
	}
}
