package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/faxreport/faxreport"
)

func newGetCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "get [flags] JOBID...",
		Short: "Print the status reports of jobs",
		Long: `Prints the status report of each job: a table (job, pages, reference, then one row per
recipient), or with --json each report as the API returned it, validated, one per line.
Several jobs are fetched concurrently and printed in argument order.`,
		Example: "  faxreport get FJJ66GHGX105ZZBIELVCN1 FJ0MINIMAL0REPORT00001\n  faxreport get --json --demo FJJ66GHGX105ZZBIELVCN1",
		Args:    jobArgs,
		RunE: func(cmd *cobra.Command, jobs []string) error {
			return a.forEachJob(cmd, jobs, 30*time.Second, func(ctx context.Context, client *faxreport.Client, id string) result {
				if a.opts.json {
					raw, err := client.GetStatusReportJSON(ctx, id)
					return result{raw: raw, err: err}
				}
				report, err := client.GetStatusReport(ctx, id)
				return result{report: report, err: err}
			})
		},
	}
}
