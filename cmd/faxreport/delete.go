package main

import (
	"context"
	"encoding/json"
	"time"

	"github.com/spf13/cobra"

	"github.com/faxreport/faxreport"
)

func newDeleteCommand(a *app) *cobra.Command {
	var idsFile string
	cmd := &cobra.Command{
		Use:   "delete [flags] JOBID...",
		Short: "Delete the status reports of jobs",
		Long: `Deletes the status report of each job in the data center that holds it, and prints one
line per deleted job ("JOBID deleted", or with --json the service's answer). A job that no
data center has exits with code 3.

Job IDs come from the arguments; "-" as an argument reads more from standard input, and
--ids-file from a file ("-": standard input), one per line or separated by spaces. Several
jobs are deleted in bulk (up to 1000 per request to each data center), with the same rules:
with --json each line is then the outcome as decided from the bulk answers,
{"deleted":true,"jobId":…}. A deletion whose answer was lost is reported as unconfirmed
(exit code 1), never as not found. A job ID given more than once is deleted once and its
outcome printed each time.`,
		Example: "  faxreport delete FJJ66GHGX105ZZBIELVCN1\n  faxreport delete - < job-ids.txt",
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			jobs, err := a.jobIDs(args, idsFile)
			if err != nil {
				return err
			}
			if len(jobs) > 1 { // duplicates included: the bulk call deletes one once, repeats its result
				return a.allJobsAtOnce(cmd, jobs, 30*time.Second, a.deleteInBulk)
			}
			return a.oneJob(cmd, jobs[0], 30*time.Second, func(ctx context.Context, client *faxreport.Client, id string) result {
				deleted, err := client.DeleteStatusReport(ctx, id)
				if err != nil || !a.opts.json {
					return result{err: err, line: id + " deleted"}
				}
				raw, err := json.Marshal(deleted)
				return result{raw: raw, err: err}
			})
		},
	}
	addIDsFile(cmd, &idsFile)
	return cmd
}

// deleteInBulk deletes the reports of jobs with the bulk call.
func (a *app) deleteInBulk(ctx context.Context, client *faxreport.Client, jobs []string) []result {
	outcomes := client.DeleteStatusReports(ctx, jobs, faxreport.BatchOptions{})
	results := make([]result, len(outcomes))
	deleted := true
	for i, o := range outcomes {
		results[i] = result{jobID: o.JobID, err: o.Err, line: o.JobID + " deleted"}
		if o.Err == nil && a.opts.json {
			results[i].raw, results[i].err = json.Marshal(faxreport.DeleteResult{Deleted: &deleted, JobID: o.JobID})
		}
	}
	return results
}
