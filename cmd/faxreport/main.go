// Command faxreport reads the status reports of fax jobs sent through the Retarus Fax REST API.
//
//	faxreport get [flags] JOBID...
//	faxreport wait [flags] JOBID...
//	faxreport delete [flags] JOBID...
//	faxreport list [flags]
//	faxreport drain --out FILE [flags]
//	faxreport listen [flags]
//	faxreport version
//	faxreport completion bash|zsh|fish|powershell
//
// Flags may come anywhere on the line. Run "faxreport help" for the commands, flags,
// environment and exit codes, "faxreport help COMMAND" for one command, or try it offline with
// "faxreport get --demo FJJ66GHGX105ZZBIELVCN1".
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// The first SIGINT or SIGTERM cancels ctx (listen then shuts down) and reaches drain on
	// signals too: drain does not cancel its deletions in flight on the first, only on the second.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	code := runWithSignals(ctx, signals, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// app is what the commands share: the process's environment and streams, and the global flags.
type app struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// signals are the SIGINT and SIGTERM the process receives (nil: none), for drain.
	signals <-chan os.Signal
	opts    globalOptions
}

// run runs the command line args and returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runWithSignals(ctx, nil, args, getenv, stdin, stdout, stderr)
}

// runWithSignals is run with the signals the process receives, which drain watches itself.
func runWithSignals(ctx context.Context, signals <-chan os.Signal, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	errOut := &lockedWriter{w: stderr}
	defer errOut.close()
	a := &app{getenv: getenv, stdin: stdin, stdout: stdout, stderr: errOut, signals: signals}
	root := a.rootCommand()
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	return a.reportCommandError(cmd, err)
}
