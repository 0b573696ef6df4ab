package main

import (
	"strings"
	"testing"
)

// faxreport's own help says what every command shares: the environment, the JSON output and
// the exit codes, 7 included.
func TestHelpOfFaxreportHasTheEnvironmentJSONAndExitCodes(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		inv := runCLI(t, nil, "", args...)
		for _, want := range []string{"Available Commands", "FAXREPORT_PASSWORD", "FAXREPORT_PASSWORD_FILE", "JSON output (--json)", "Exit codes", "  7  pending"} {
			if inv.code != exitOK || !strings.Contains(inv.stdout, want) {
				t.Errorf("%q: exit %d, lacks %q:\n%s%s", args, inv.code, want, inv.stdout, inv.stderr)
			}
		}
	}
}

// The help of a command shows its usage and flags and one line that points to faxreport's help
// for the rest, not a copy of it.
func TestHelpOfACommandPointsToFaxreportsHelp(t *testing.T) {
	const pointer = "\nRun 'faxreport --help' for the environment, the JSON output and the exit codes.\n"
	for _, command := range []string{"get", "wait", "delete", "list", "drain", "listen", "version", "completion"} {
		for _, args := range [][]string{{command, "--help"}, {"help", command}} {
			inv := runCLI(t, nil, "", args...)
			if inv.code != exitOK || !strings.Contains(inv.stdout, "faxreport "+command) || !strings.Contains(inv.stdout, "Flags:") ||
				!strings.HasSuffix(inv.stdout, pointer) || strings.Contains(inv.stdout, "Exit codes") || strings.Contains(inv.stdout, "FAXREPORT_REGION ") {
				t.Errorf("%q: exit %d:\n%s%s", args, inv.code, inv.stdout, inv.stderr)
			}
		}
	}
}

// cobra's "Did you mean this?" suggestions keep their line breaks.
func TestDidYouMeanKeepsItsLines(t *testing.T) {
	inv := runCLI(t, nil, "", "gte", exampleJob)
	want := "faxreport: unknown command \"gte\" for \"faxreport\"\n\nDid you mean this?\n\tget\nRun 'faxreport --help' for usage.\n"
	if inv.code != exitUsage || inv.stderr != want {
		t.Fatalf("exit %d %q, want %q", inv.code, inv.stderr, want)
	}
}

// --password is refused with where the password comes from instead.
func TestPasswordFlagPointsToWhereThePasswordComesFrom(t *testing.T) {
	for _, args := range [][]string{{"get", "--password", "secret-123", exampleJob}, {"--password=secret-123", "list"}} {
		inv := runCLI(t, nil, "", args...)
		if inv.code != exitUsage || !strings.Contains(inv.stderr, "unknown flag: --password: the password comes from FAXREPORT_PASSWORD, FAXREPORT_PASSWORD_FILE or --password-file") ||
			strings.Contains(inv.stderr, "secret-123") {
			t.Errorf("%q: exit %d %q", args, inv.code, inv.stderr)
		}
	}
}
