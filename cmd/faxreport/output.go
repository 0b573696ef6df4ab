package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/faxreport/faxreport"
)

// Exit codes that scripts can rely on.
const (
	exitOK           = 0 // every job's report was found (and, for wait, final)
	exitFailure      = 1 // anything not listed below
	exitUsage        = 2 // invalid input: bad flags, arguments or configuration
	exitNotFound     = 3 // no data center has a report for the job
	exitUnauthorized = 4 // the credentials or customer number were refused
	exitInvalid      = 5 // the service answered something outside the API contract
	exitUnavailable  = 6 // a data center could not be reached, failed, or the timeout expired
	exitPending      = 7 // wait ran out of time while the report existed but was still PENDING
)

// errorKinds name the exit codes in JSON errors.
var errorKinds = map[int]string{
	exitFailure:      "failure",
	exitUsage:        "invalid_input",
	exitNotFound:     "not_found",
	exitUnauthorized: "unauthorized",
	exitInvalid:      "invalid_response",
	exitUnavailable:  "unavailable",
	exitPending:      "pending",
	exitInterrupted:  "interrupted",
	exitTerminated:   "terminated",
}

// exitError ends a command whose failures have been printed already, with their exit code.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit code %d", e.code) }

// usageError is an invalid input (exit code 2) of the command line or the configuration. Its
// text is the message alone; it matches faxreport.ErrInvalidArgument.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func (e *usageError) Unwrap() error { return faxreport.ErrInvalidArgument }

// usagef returns a usageError with a message formatted as by fmt.Sprintf.
func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitCode maps an error to the documented exit codes. A wait that ran out of time after it
// had seen the report (still PENDING, or the wait would have ended) is pending, whatever its
// last poll said; one that never saw the report is classified by its reason.
func exitCode(err error) int {
	waitErr, isWait := errors.AsType[*faxreport.WaitError](err)
	switch {
	case err == nil:
		return exitOK
	case isWait && waitErr.Last != nil && errors.Is(err, context.DeadlineExceeded):
		return exitPending
	case errors.Is(err, faxreport.ErrInvalidArgument):
		return exitUsage
	case errors.Is(err, faxreport.ErrUnauthorized):
		return exitUnauthorized
	case errors.Is(err, faxreport.ErrNotFound):
		return exitNotFound
	case errors.Is(err, faxreport.ErrInvalidResponse):
		return exitInvalid
	case errors.Is(err, faxreport.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return exitUnavailable
	}
	return exitFailure
}

// reportCommandError prints an error that ended cmd and returns its exit code. Errors of
// cobra itself (an unknown command or flag, a bad flag value) are invalid input; an invalid
// input is followed by a line that points at the command's help.
func (a *app) reportCommandError(cmd *cobra.Command, err error) int {
	if done, ok := errors.AsType[*exitError](err); ok {
		return done.code
	}
	code := exitCode(err)
	if code == exitFailure { // cobra's own errors wrap none of the library's
		code = exitUsage
		if !a.opts.json { // its "Did you mean this?" suggestions keep their lines
			fmt.Fprintln(a.stderr, "faxreport: "+strings.TrimRight(err.Error(), "\n"))
			a.printUsageHint(cmd)
			return code
		}
	}
	a.printError("", code, err)
	if code == exitUsage {
		a.printUsageHint(cmd)
	}
	return code
}

// printUsageHint follows the error line of an invalid input with a line that points at the
// command's help (not with --json, whose stderr holds JSON only).
func (a *app) printUsageHint(cmd *cobra.Command) {
	if a.opts.json {
		return
	}
	if cmd.Name() == "help" && cmd.Parent() == cmd.Root() { // help's help would not say more
		cmd = cmd.Root()
	}
	fmt.Fprintf(a.stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
}

// printError prints one failure on stderr: a line "faxreport: message", or with --json one
// JSON object with the job ID (when there is one), the kind, the exit code and the message.
func (a *app) printError(jobID string, code int, err error) {
	msg := message(err)
	if !a.opts.json {
		fmt.Fprintln(a.stderr, "faxreport: "+msg)
		return
	}
	line, _ := json.Marshal(struct { // strings and an int: cannot fail
		JobID    string `json:"jobId,omitempty"`
		Kind     string `json:"kind"`
		ExitCode int    `json:"exitCode"`
		Message  string `json:"message"`
	}{jobID, errorKinds[code], code, msg})
	fmt.Fprintf(a.stderr, "%s\n", line)
}

// message is the error's text on one line, with the "faxreport: " prefixes of the errors it
// wraps taken out: the CLI prints its one prefix itself. The lines of an error that joins
// several (errors.Join) are joined with "; ".
func message(err error) string {
	var parts []string
	for line := range strings.Lines(err.Error()) {
		if line = strings.TrimSpace(strings.ReplaceAll(line, "faxreport: ", "")); line != "" {
			parts = append(parts, line)
		}
	}
	return strings.Join(parts, "; ")
}

// result is one job's outcome, printed as the first of these that is set: an error, JSON, a
// report as a table, or a line.
type result struct {
	jobID  string
	err    error
	raw    []byte // JSON, printed compact on one line
	report *faxreport.Report
	line   string
}

// print writes each result in order (reports on stdout, errors on stderr) and returns the
// exit code of the first failure.
func (a *app) print(results []result) int {
	code := exitOK
	tables := 0
	for _, r := range results {
		switch {
		case r.err != nil:
			failed := exitCode(r.err)
			a.printError(r.jobID, failed, r.err)
			if code == exitOK {
				code = failed
			}
		case r.raw != nil:
			a.stdout.Write(jsonLine(r.raw))
		case r.report != nil:
			if tables++; tables > 1 {
				fmt.Fprintln(a.stdout)
			}
			writeTable(a.stdout, r.report)
		default:
			fmt.Fprintln(a.stdout, r.line)
		}
	}
	return code
}

// jsonLine is raw, the API's validated JSON, without insignificant whitespace and ended by a
// newline: one line of NDJSON, as --json and listen print reports.
func jsonLine(raw []byte) []byte {
	var line bytes.Buffer
	if err := json.Compact(&line, raw); err != nil { // validated JSON: cannot happen
		line.Reset()
		line.Write(raw)
	}
	line.WriteByte('\n')
	return line.Bytes()
}
