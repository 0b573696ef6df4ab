package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/faxreport/faxreport"
)

const waitUsage = `Usage: faxreport wait [flags] JOBID...

Waits until each job's report exists and no recipient is PENDING, then prints it as "get" does
(with --json, the final report as JSON). Jobs are waited for concurrently and printed in
argument order. A timeout exits with code 6 and says what was seen last.`

func (c *cli) wait(ctx context.Context, args []string) int {
	var conn connection
	fs := c.newFlagSet("wait", waitUsage, &conn, 10*time.Minute)
	asJSON := fs.Bool("json", false, "print each final report as JSON")
	minPoll := fs.Duration("poll-min", faxreport.DefaultMinPollInterval, "shortest delay between two polls")
	maxPoll := fs.Duration("poll-max", faxreport.DefaultMaxPollInterval, "longest delay between two polls")
	notFound := fs.Int("not-found-limit", faxreport.DefaultNotFoundLimit, "polls that may find no report before giving up")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if conn.demo { // the demo's pending job turns final after a few reads: poll briskly
		*minPoll, *maxPoll = 50*time.Millisecond, 200*time.Millisecond
	}
	return c.forEachJob(ctx, fs.Args(), &conn, func(ctx context.Context, client *faxreport.Client, id string) result {
		r, err := client.WaitForStatusReport(ctx, id, faxreport.WithPollInterval(*minPoll, *maxPoll), faxreport.WithNotFoundLimit(*notFound))
		if err != nil || !*asJSON {
			return result{report: r, err: err}
		}
		raw, err := json.MarshalIndent(r, "", "  ")
		return result{raw: raw, err: err}
	})
}

// jobsAtOnce bounds how many jobs a command handles at the same time.
const jobsAtOnce = 8

// forEachJob runs do for every job ID, jobsAtOnce at a time, under the command's timeout, and
// prints the results in argument order.
func (c *cli) forEachJob(ctx context.Context, jobs []string, conn *connection, do func(context.Context, *faxreport.Client, string) result) int {
	if len(jobs) == 0 {
		fmt.Fprintln(c.stderr, "faxreport: no job ID given (see --help)")
		return exitUsage
	}
	client, stop, err := c.client(conn)
	if err != nil {
		return c.fail(err)
	}
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, conn.timeout)
	defer cancel()
	results := make([]result, len(jobs))
	slots := make(chan struct{}, jobsAtOnce)
	var wg sync.WaitGroup
	for i, id := range jobs {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			results[i] = do(ctx, client, id)
		})
	}
	wg.Wait()
	return c.print(results)
}
