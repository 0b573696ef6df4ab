package main

import (
	"strings"
	"testing"
)

// Flags work anywhere on the line: before the command, between it and the job IDs, and after
// them (issue 11, item 1).
func TestFlagsAnywhereOnTheLine(t *testing.T) {
	for _, args := range [][]string{
		{"get", exampleJob, "--demo"},
		{"--demo", "get", exampleJob},
		{"get", "--demo", exampleJob, "--json"},
		{"--json", "get", exampleJob, "--demo"},
		{"get", exampleJob, "--timeout", "5s", "--demo", "FJ0MINIMAL0REPORT00001"},
	} {
		inv := runCLI(t, nil, "", args...)
		if inv.code != exitOK || inv.stderr != "" || !strings.Contains(inv.stdout, exampleJob) {
			t.Errorf("%q: exit %d\n%s%s", args, inv.code, inv.stdout, inv.stderr)
		}
		if strings.Contains(strings.Join(args, " "), "--json") != strings.HasPrefix(inv.stdout, "{") {
			t.Errorf("%q: --json not honoured:\n%s", args, inv.stdout)
		}
	}
}

// "help get" is the help of get.
func TestHelpOfACommand(t *testing.T) {
	for _, args := range [][]string{{"help", "get"}, {"get", "--help"}, {"get", "-h"}} {
		inv := runCLI(t, nil, "", args...)
		if inv.code != exitOK || !strings.Contains(inv.stdout, "faxreport get [flags] JOBID...") ||
			strings.Contains(inv.stdout, "Available Commands") {
			t.Errorf("%q: exit %d, not the help of get:\n%s%s", args, inv.code, inv.stdout, inv.stderr)
		}
	}
	inv := runCLI(t, nil, "", "help", "wait")
	if !strings.Contains(inv.stdout, "--poll-min") || strings.Contains(inv.stdout, "Available Commands") {
		t.Errorf("help wait:\n%s", inv.stdout)
	}
}

// Shell completion: scripts for the usual shells, and completion of commands and of --region.
func TestShellCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		inv := runCLI(t, nil, "", "completion", shell)
		if inv.code != exitOK || !strings.Contains(inv.stdout, "faxreport") || len(inv.stdout) < 1000 {
			t.Errorf("completion %s: exit %d, %d bytes, %q", shell, inv.code, len(inv.stdout), inv.stderr)
		}
	}
	inv := runCLI(t, nil, "", "__complete", "")
	for _, want := range []string{"get\t", "wait\t", "delete\t", "list\t", "drain\t", "listen\t", "version\t", "completion\t"} {
		if !strings.Contains(inv.stdout, want) {
			t.Errorf("command completion lacks %q:\n%s", want, inv.stdout)
		}
	}
	inv = runCLI(t, nil, "", "__complete", "get", "--region", "")
	for _, want := range []string{"europe", "america", "switzerland", "singapore"} {
		if !strings.Contains(inv.stdout, want) {
			t.Errorf("--region completion lacks %q:\n%s", want, inv.stdout)
		}
	}
}

// A flag error is one line of error and one line pointing at the command's help, not the
// usage.
func TestFlagErrorIsTwoLines(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"get", "--nope", exampleJob}, "faxreport: unknown flag: --nope\nRun 'faxreport get --help' for usage.\n"},
		{[]string{"wait", exampleJob, "--poll-min"}, "faxreport: flag needs an argument: --poll-min\nRun 'faxreport wait --help' for usage.\n"},
		{[]string{"fetch"}, "faxreport: unknown command \"fetch\" for \"faxreport\"\nRun 'faxreport --help' for usage.\n"},
		{[]string{"delete", "--demo"}, "faxreport: no job ID given\nRun 'faxreport delete --help' for usage.\n"},
	} {
		inv := runCLI(t, nil, "", tc.args...)
		if inv.code != exitUsage || inv.stderr != tc.want || inv.stdout != "" {
			t.Errorf("%q: exit %d, stderr\n%s\nwant\n%s", tc.args, inv.code, inv.stderr, tc.want)
		}
	}
}
