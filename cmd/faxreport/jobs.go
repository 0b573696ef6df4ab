package main

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/faxreport/faxreport"
)

// noArgs refuses arguments. The message names the command without the program's name, which
// the "faxreport: " prefix of every error line gives already.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q", strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" "), args[0])
	}
	return nil
}

// oneJob builds the client, runs do for the one job ID under --timeout (or defaultTimeout), and
// prints its result as allJobsAtOnce does: the commands hand several jobs to the bulk calls.
func (a *app) oneJob(cmd *cobra.Command, job string, defaultTimeout time.Duration, do func(context.Context, *faxreport.Client, string) result) error {
	return a.allJobsAtOnce(cmd, []string{job}, defaultTimeout, func(ctx context.Context, client *faxreport.Client, _ []string) []result {
		r := do(ctx, client, job)
		r.jobID = job
		return []result{r}
	})
}

// allJobsAtOnce builds the client, runs do once for all the job IDs (a bulk call) under
// --timeout (or defaultTimeout), and prints its results, one per ID in order. When the first
// job that failed has an invalid ID, the usage hint follows, as for any invalid input.
func (a *app) allJobsAtOnce(cmd *cobra.Command, jobs []string, defaultTimeout time.Duration, do func(context.Context, *faxreport.Client, []string) []result) error {
	client, stop, err := a.newClient(cmd)
	if err != nil {
		return err
	}
	defer stop()
	ctx, cancel := context.WithTimeout(cmd.Context(), a.opts.timeoutOr(defaultTimeout))
	defer cancel()
	code := a.print(do(ctx, client, jobs))
	if code == exitUsage { // an invalid job ID, refused before sending: invalid input as any other
		a.printUsageHint(cmd)
	}
	if code != exitOK {
		return &exitError{code: code}
	}
	return nil
}
