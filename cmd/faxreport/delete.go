package main

import (
	"context"
	"fmt"
	"time"

	"github.com/faxreport/faxreport"
)

const deleteUsage = `Usage: faxreport delete [flags] JOBID...

Deletes the status report of each job in the data center that holds it, and prints one line
per deleted job. A job that no data center has exits with code 3.`

func (c *cli) delete(ctx context.Context, args []string) int {
	var conn connection
	fs := c.newFlagSet("delete", deleteUsage, &conn, 30*time.Second)
	if code := parse(fs, args); code >= 0 {
		return code
	}
	jobs := fs.Args()
	return c.forEachJob(ctx, jobs, &conn, func(ctx context.Context, client *faxreport.Client, id string) result {
		_, err := client.DeleteStatusReport(ctx, id)
		return result{err: err, line: fmt.Sprintf("%s deleted", id)}
	})
}
