package main

import (
	"context"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/faxreport/faxreport"
)

// jobsAtOnce bounds how many jobs a command handles at the same time.
const jobsAtOnce = 8

// noArgs refuses arguments. The message names the command without the program's name, which
// the "faxreport: " prefix of every error line gives already.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q", strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" "), args[0])
	}
	return nil
}

// forEachJob builds the client, runs do for every distinct job ID, jobsAtOnce at a time, under
// --timeout (or defaultTimeout), and prints the results in argument order: a duplicated ID is
// handled once and its result printed for each time it was given. Its error ends the command
// with the exit code of the first job that failed.
func (a *app) forEachJob(cmd *cobra.Command, jobs []string, defaultTimeout time.Duration, do func(context.Context, *faxreport.Client, string) result) error {
	return a.allJobsAtOnce(cmd, jobs, defaultTimeout, func(ctx context.Context, client *faxreport.Client, jobs []string) []result {
		first := make(map[string]int, len(jobs)) // ID -> index of its first occurrence
		results := make([]result, len(jobs))
		var g errgroup.Group
		g.SetLimit(jobsAtOnce)
		for i, id := range jobs {
			if _, seen := first[id]; seen {
				continue
			}
			first[id] = i
			g.Go(func() error { // a job's failure is its result, never the group's error
				results[i] = do(ctx, client, id)
				results[i].jobID = id
				return nil
			})
		}
		_ = g.Wait() // every function returns nil
		for i, id := range jobs {
			results[i] = results[first[id]]
		}
		return results
	})
}

// allJobsAtOnce builds the client, runs do once for all the job IDs (a bulk call) under
// --timeout (or defaultTimeout), and prints its results, one per ID in order, as forEachJob
// does. When the first job that failed has an invalid ID, the usage hint follows, as for any
// invalid input.
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
