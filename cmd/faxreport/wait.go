package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/faxreport/faxreport"
)

// waitTimeout is wait's default --timeout.
const waitTimeout = 10 * time.Minute

// waitOptions are the flags of wait.
type waitOptions struct {
	pollMin, pollMax positiveDuration
	notFoundLimit    int
	idsFile          string
}

const waitLong = `Waits until each job's report exists and no recipient is PENDING, then prints it as "get"
does (with --json, the final report as the API sent it).

Job IDs come from the arguments; "-" as an argument reads more from standard input, and
--ids-file from a file ("-": standard input), one per line or separated by spaces. Several
jobs are waited for together and polled in bulk (up to 1000 per request to each data center,
each job only in the data center that has shown it), and each report is printed as soon as it
is final: in the order of completion, not of the arguments, so that the output follows the
jobs as they end. A job's failure is printed the same way, when its wait ends; a job ID given
more than once is waited for and printed once. On a terminal, a progress line on stderr counts
the jobs done (not with --json).

A timeout says what was seen last: exit 7 when a report was seen but is still PENDING, 6
when none was. The exit code is that of the first job, in argument order,
whose wait failed, as for get.`

func newWaitCommand(a *app) *cobra.Command {
	o := waitOptions{
		pollMin:       positiveDuration(faxreport.DefaultMinPollInterval),
		pollMax:       positiveDuration(faxreport.DefaultMaxPollInterval),
		notFoundLimit: faxreport.DefaultNotFoundLimit,
	}
	cmd := &cobra.Command{
		Use:   "wait [flags] JOBID...",
		Short: "Wait until no recipient is PENDING, then print the reports",
		Long:  waitLong,
		Example: "  faxreport wait --timeout 10m FJJ66GHGX105ZZBIELVCN1\n  faxreport wait --demo FJ0PENDING0REPORT00001\n" +
			"  faxreport wait --json --ids-file campaign-jobs.txt",
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			jobs, err := a.jobIDs(args, o.idsFile)
			if err != nil {
				return err
			}
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
			opts := faxreport.WaitOptions{MinPollInterval: time.Duration(o.pollMin), MaxPollInterval: time.Duration(o.pollMax), NotFoundLimit: o.notFoundLimit}
			if o.notFoundLimit == 0 { // none, which the library spells negative: its zero is the default
				opts.NotFoundLimit = -1
			}
			if len(jobs) > 1 {
				return a.waitForAll(cmd, jobs, opts)
			}
			return a.oneJob(cmd, jobs[0], waitTimeout, func(ctx context.Context, client *faxreport.Client, id string) result {
				if a.opts.json { // the API's own bytes, as get prints them: those of the final poll
					raw, err := client.WaitForStatusReportJSON(ctx, id, opts)
					return result{raw: raw, err: err}
				}
				report, err := client.WaitForStatusReport(ctx, id, opts)
				return result{report: report, err: err}
			})
		},
	}
	fs := cmd.Flags()
	fs.Var(&o.pollMin, "poll-min", "shortest delay between two polls (with --demo: 50ms)")
	fs.Var(&o.pollMax, "poll-max", "longest delay between two polls (with --demo: 200ms)")
	fs.IntVar(&o.notFoundLimit, "not-found-limit", o.notFoundLimit, "polls that may find no report (job still being processed) before giving up")
	addIDsFile(cmd, &o.idsFile)
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

// waitForAll waits for several jobs with one bulk wait under --timeout, prints each outcome as
// it comes, and ends with the exit code of the first job, in argument order, that failed.
func (a *app) waitForAll(cmd *cobra.Command, jobs []string, opts faxreport.WaitOptions) error {
	client, stop, err := a.newClient(cmd)
	if err != nil {
		return err
	}
	defer stop()
	ctx, cancel := context.WithTimeout(cmd.Context(), a.opts.timeoutOr(waitTimeout))
	defer cancel()
	out := a.newWaitOutput(jobs)
	results := client.WaitForStatusReports(ctx, jobs, out.print, opts)
	out.end()
	code := exitOK
	for _, r := range results {
		if r.Err != nil {
			code = exitCode(r.Err)
			break
		}
	}
	if code == exitUsage { // an invalid job ID, refused before sending: invalid input as any other
		a.printUsageHint(cmd)
	}
	if code != exitOK {
		return &exitError{code: code}
	}
	return nil
}

// waitOutput prints the outcomes of a bulk wait as they come, with a blank line between two
// tables, and keeps a progress line on stderr when it is a terminal.
type waitOutput struct {
	a            *app
	tables       int
	done, failed int
	total        int       // distinct jobs
	progress     io.Writer // nil: no progress line
}

func (a *app) newWaitOutput(jobs []string) *waitOutput {
	distinct := map[string]bool{}
	for _, id := range jobs {
		distinct[id] = true
	}
	out := &waitOutput{a: a, total: len(distinct)}
	if !a.opts.json && isTerminal(a.stderr) {
		out.progress = a.stderr
	}
	return out
}

// print prints one job's outcome, under the progress line.
func (o *waitOutput) print(r faxreport.ReportResult) {
	if o.progress != nil {
		fmt.Fprint(o.progress, "\r\x1b[K") // the outcome takes the progress line's place
	}
	line := o.a.resultOf(r)
	if r.Err == nil && !o.a.opts.json { // a table
		if o.tables++; o.tables > 1 {
			fmt.Fprintln(o.a.stdout)
		}
	}
	o.a.print([]result{line})
	o.done++
	if r.Err != nil {
		o.failed++
	}
	if o.progress != nil {
		fmt.Fprintf(o.progress, "faxreport: %d of %d jobs done, %d failed", o.done, o.total, o.failed)
	}
}

// end ends the progress line, which keeps the last count.
func (o *waitOutput) end() {
	if o.progress != nil && o.done > 0 {
		fmt.Fprintln(o.progress)
	}
}
