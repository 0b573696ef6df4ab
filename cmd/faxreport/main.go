// Command faxreport reads the status reports of fax jobs sent through the Retarus Fax REST API.
//
//	faxreport get [flags] JOBID...
//	faxreport wait [flags] JOBID...
//	faxreport delete [flags] JOBID...
//
// Run "faxreport help" for the commands, flags, environment and exit codes, or try it offline
// with "faxreport get --demo FJJ66GHGX105ZZBIELVCN1".
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

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
)

const exitCodesHelp = `Exit codes:
  0  found
  1  other failure
  2  invalid input (flags, arguments, configuration)
  3  not found in any data center
  4  unauthorized (credentials or customer number refused)
  5  invalid response (the service broke the API contract)
  6  unavailable (a data center failed or could not be reached, or --timeout expired)
With several job IDs, the exit code is that of the first job, in argument order, that failed.`

const usage = `faxreport reads the status reports of fax jobs sent with the Retarus Fax REST API.

Usage:
  faxreport get [flags] JOBID...      print the status reports of jobs
  faxreport wait [flags] JOBID...     wait until no recipient is PENDING, then print the reports
  faxreport delete [flags] JOBID...   delete the status reports of jobs

Run "faxreport COMMAND --help" for a command's flags.

` + environmentHelp + "\n\n" + exitCodesHelp + "\n"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// cli is what a command needs from its environment.
type cli struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// run runs the command line args and returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "get":
		return c.get(ctx, args[1:])
	case "wait":
		return c.wait(ctx, args[1:])
	case "delete":
		return c.delete(ctx, args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "faxreport: unknown command %q (run \"faxreport help\")\n", args[0])
	return exitUsage
}

// exitCode maps an error of the library to the documented exit codes.
func exitCode(err error) int {
	switch {
	case err == nil:
		return exitOK
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

// fail prints err as one line on stderr and returns its exit code.
func (c *cli) fail(err error) int {
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	if !strings.HasPrefix(msg, "faxreport: ") {
		msg = "faxreport: " + msg
	}
	fmt.Fprintln(c.stderr, msg)
	return exitCode(err)
}
