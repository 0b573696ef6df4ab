package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/faxreport/faxreport"
)

const getUsage = `Usage: faxreport get [flags] JOBID...

Prints the status report of each job: a table (job, pages, reference, then one row per
recipient), or with --json each report exactly as the API returned it, validated. Several
jobs are fetched concurrently and printed in argument order.`

func (c *cli) get(ctx context.Context, args []string) int {
	var conn connection
	fs := c.newFlagSet("get", getUsage, &conn, 30*time.Second)
	asJSON := fs.Bool("json", false, "print each report as the API's JSON")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	return c.forEachJob(ctx, fs.Args(), &conn, func(ctx context.Context, client *faxreport.Client, id string) result {
		if *asJSON {
			raw, err := client.GetStatusReportJSON(ctx, id)
			return result{raw: raw, err: err}
		}
		report, err := client.GetStatusReport(ctx, id)
		return result{report: report, err: err}
	})
}

// result is one job's outcome, printed as the first of these that is set: an error, JSON, a
// report as a table, or a line.
type result struct {
	err    error
	raw    json.RawMessage
	report *faxreport.Report
	line   string
}

// print writes each result in order and returns the exit code of the first failure.
func (c *cli) print(results []result) int {
	code := exitOK
	for i, r := range results {
		switch {
		case r.err != nil:
			if failed := c.fail(r.err); code == exitOK {
				code = failed
			}
		case r.raw != nil:
			c.stdout.Write(r.raw)
			if r.raw[len(r.raw)-1] != '\n' {
				fmt.Fprintln(c.stdout)
			}
		case r.report != nil:
			if i > 0 {
				fmt.Fprintln(c.stdout)
			}
			writeTable(c.stdout, r.report)
		default:
			fmt.Fprintln(c.stdout, r.line)
		}
	}
	return code
}

// writeTable prints a report as a header line and one row per recipient.
func writeTable(w io.Writer, r *faxreport.Report) {
	fmt.Fprintf(w, "Job %s, %d page(s)", r.JobID, r.Pages)
	if ref := r.Reference; ref != nil {
		for _, f := range []struct {
			name string
			v    *string
		}{
			{"customer ID", ref.CustomerDefinedID}, {"billing code", ref.BillingCode}, {"billing info", ref.BillingInfo},
		} {
			if f.v != nil {
				fmt.Fprintf(w, ", %s %s", f.name, *f.v)
			}
		}
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NUMBER\tSTATUS\tREASON\tSENT\tDURATION\tSENT TO\tREMOTE CSID")
	for _, s := range r.RecipientStatus {
		sent := "-"
		if s.SentTS != nil {
			sent = s.SentTS.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%ds\t%s\t%s\n", clean(s.Number), clean(s.Status), clean(s.Reason), sent,
			s.DurationInSecs, orDash(s.SentToNumber), orDash(s.RemoteCsid))
	}
	_ = tw.Flush() // stdout: nothing better to do with a failure than the writes before it
}

func orDash(s *string) string {
	if s == nil || *s == "" {
		return "-"
	}
	return clean(*s)
}

// clean keeps a value from the service from breaking the table or the terminal.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == '\t' {
			return ' '
		}
		return r
	}, s)
}
