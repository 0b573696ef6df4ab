package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/faxreport/faxreport"
)

func newGetCommand(a *app) *cobra.Command {
	var idsFile string
	cmd := &cobra.Command{
		Use:   "get [flags] JOBID...",
		Short: "Print the status reports of jobs",
		Long: `Prints the status report of each job: a table (job, pages, reference, then one row per
recipient), or with --json each report as the API returned it, validated, one per line.
Reports are printed in the order of the job IDs.

Job IDs come from the arguments; "-" as an argument reads more from standard input, and
--ids-file from a file ("-": standard input), one per line or separated by spaces. Several
jobs are read in bulk, with --json too (up to 1000 per request to each data center; a job
that no data center returned is confirmed with the single-report call before it is called
not found); --json prints each report as the bulk answer, or that call, carried it. A job ID
given more than once is read once and printed each time.`,
		Example: "  faxreport get FJJ66GHGX105ZZBIELVCN1 FJ0MINIMAL0REPORT00001\n" +
			"  faxreport get --json --demo FJJ66GHGX105ZZBIELVCN1\n" +
			"  faxreport get - < job-ids.txt",
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			jobs, err := a.jobIDs(args, idsFile)
			if err != nil {
				return err
			}
			if len(jobs) > 1 {
				return a.allJobsAtOnce(cmd, jobs, 30*time.Second, a.getInBulk)
			}
			return a.oneJob(cmd, jobs[0], 30*time.Second, func(ctx context.Context, client *faxreport.Client, id string) result {
				if a.opts.json {
					raw, err := client.GetStatusReportJSON(ctx, id)
					return result{raw: raw, err: err}
				}
				report, err := client.GetStatusReport(ctx, id)
				return result{report: report, err: err}
			})
		},
	}
	addIDsFile(cmd, &idsFile)
	return cmd
}

// getInBulk reads the reports of jobs with the bulk call: with --json, each report's JSON as
// the API sent it.
func (a *app) getInBulk(ctx context.Context, client *faxreport.Client, jobs []string) []result {
	found := client.GetStatusReports(ctx, jobs, faxreport.BatchOptions{})
	results := make([]result, len(found))
	for i, f := range found {
		results[i] = a.resultOf(f)
	}
	return results
}

// resultOf is the line of one job of a bulk read: with --json, its report's JSON as the API
// sent it; otherwise the report.
func (a *app) resultOf(r faxreport.ReportResult) result {
	if a.opts.json {
		return result{jobID: r.JobID, raw: r.JSON, err: r.Err}
	}
	return result{jobID: r.JobID, report: r.Report, err: r.Err}
}
