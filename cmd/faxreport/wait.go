package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/faxreport/faxreport"
)

// waitOptions are the flags of wait.
type waitOptions struct {
	pollMin, pollMax positiveDuration
	notFoundLimit    int
}

func newWaitCommand(a *app) *cobra.Command {
	o := waitOptions{
		pollMin:       positiveDuration(faxreport.DefaultMinPollInterval),
		pollMax:       positiveDuration(faxreport.DefaultMaxPollInterval),
		notFoundLimit: faxreport.DefaultNotFoundLimit,
	}
	cmd := &cobra.Command{
		Use:   "wait [flags] JOBID...",
		Short: "Wait until no recipient is PENDING, then print the reports",
		Long: `Waits until each job's report exists and no recipient is PENDING, then prints it as "get"
does (with --json, the final report as the API sent it). Jobs are waited for concurrently and
printed in argument order. A timeout exits with code 6 and says what was seen last.`,
		Example: "  faxreport wait --timeout 10m FJJ66GHGX105ZZBIELVCN1\n  faxreport wait --demo FJ0PENDING0REPORT00001",
		Args:    jobArgs,
		RunE: func(cmd *cobra.Command, jobs []string) error {
			if a.opts.demo { // the demo's pending job is done in a moment: poll briskly, unless told
				if !cmd.Flags().Changed("poll-min") {
					o.pollMin = positiveDuration(50 * time.Millisecond)
				}
				if !cmd.Flags().Changed("poll-max") {
					o.pollMax = max(o.pollMin, positiveDuration(200*time.Millisecond))
				}
			}
			if err := o.check(); err != nil {
				return err
			}
			opts := []faxreport.WaitOption{
				faxreport.WithPollInterval(time.Duration(o.pollMin), time.Duration(o.pollMax)),
				faxreport.WithNotFoundLimit(o.notFoundLimit),
			}
			return a.forEachJob(cmd, jobs, 10*time.Minute, func(ctx context.Context, client *faxreport.Client, id string) result {
				if a.opts.json { // the API's own bytes, as get prints them: those of the final poll
					raw, err := client.WaitForStatusReportJSON(ctx, id, opts...)
					return result{raw: raw, err: err}
				}
				report, err := client.WaitForStatusReport(ctx, id, opts...)
				return result{report: report, err: err}
			})
		},
	}
	fs := cmd.Flags()
	fs.Var(&o.pollMin, "poll-min", "shortest delay between two polls (with --demo: 50ms)")
	fs.Var(&o.pollMax, "poll-max", "longest delay between two polls (with --demo: 200ms)")
	fs.IntVar(&o.notFoundLimit, "not-found-limit", o.notFoundLimit, "polls that may find no report (job still being processed) before giving up")
	return cmd
}

// check refuses option values that do not go together, naming the flags.
func (o *waitOptions) check() error {
	switch {
	case o.pollMin > o.pollMax:
		return usagef("--poll-min %v is longer than --poll-max %v", time.Duration(o.pollMin), time.Duration(o.pollMax))
	case o.notFoundLimit < 0:
		return usagef("--not-found-limit %d: want 0 or more", o.notFoundLimit)
	}
	return nil
}
