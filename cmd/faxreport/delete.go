package main

import (
	"context"
	"encoding/json"
	"time"

	"github.com/spf13/cobra"

	"github.com/faxreport/faxreport"
)

func newDeleteCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "delete [flags] JOBID...",
		Short: "Delete the status reports of jobs",
		Long: `Deletes the status report of each job in the data center that holds it, and prints one
line per deleted job ("JOBID deleted", or with --json the service's answer). A job that no
data center has exits with code 3.`,
		Args: jobArgs,
		RunE: func(cmd *cobra.Command, jobs []string) error {
			return a.forEachJob(cmd, jobs, 30*time.Second, func(ctx context.Context, client *faxreport.Client, id string) result {
				deleted, err := client.DeleteStatusReport(ctx, id)
				if err != nil || !a.opts.json {
					return result{err: err, line: id + " deleted"}
				}
				raw, err := json.Marshal(deleted)
				return result{raw: raw, err: err}
			})
		},
	}
}
