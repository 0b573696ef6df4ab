package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/faxreport/faxreport"
)

const listLong = `Lists the completed jobs' reports that each data center holds: each data center lists at
most its oldest 1000 (the API's limit; it lists newer ones only once those are deleted, which
is what drain does). The table has one row per report, data center by data center, oldest
first, then one line per data center with its count, whether it hit the limit (it may hold
more), or that it failed.

With --json, stdout has one line per report (NDJSON): the report as the API listed it,
validated, with only insignificant whitespace removed, as get --json prints one; counts and
the limit are then not printed.

A data center that fails does not hide the others: their reports are printed, then the
failure, naming the data center, on stderr, and the exit code is that of the failure (6 for
a data center unavailable): the listing is partial, never presented as complete. A listed
report that breaks the API's contract is a row marked INVALID in the table, and named by its
job on stderr (exit 5), with the data center's other reports printed; with --json it is not
on stdout, and each such report is an error line of its own on stderr, with its jobId.`

func newListCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:     "list [flags]",
		Short:   "List the completed jobs' reports of every data center",
		Long:    listLong,
		Example: "  faxreport list --demo\n  faxreport list --json | jq -r .jobId",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			client, stop, err := a.newClient(cmd)
			if err != nil {
				return err
			}
			defer stop()
			ctx, cancel := context.WithTimeout(cmd.Context(), a.opts.timeoutOr(30*time.Second))
			defer cancel()
			listing, err := client.ListStatusReports(ctx)
			if listing != nil {
				if a.opts.json {
					for _, part := range listing.Parts {
						for _, raw := range part.JSON {
							a.stdout.Write(jsonLine(raw))
						}
					}
				} else {
					writeListing(a.stdout, listing)
				}
			}
			if err != nil {
				code := exitCode(err)
				a.printListError(listing, err)
				return &exitError{code: code}
			}
			return nil
		},
	}
}

// printListError prints the failure of a listing. With --json, each report left out for
// breaking the API contract is an error line of its own, with its job ID, followed by a line
// for the data centers that failed otherwise, if any.
func (a *app) printListError(listing *faxreport.Listing, err error) {
	dcs, ok := errors.AsType[*faxreport.DataCentersError](err)
	if !a.opts.json || listing == nil || !ok {
		a.printError("", exitCode(err), err)
		return
	}
	rest := &faxreport.DataCentersError{Op: dcs.Op, Asked: dcs.Asked}
	for i, failed := range dcs.Failed {
		part := partOf(listing, failed.Endpoint)
		if part == nil || len(part.Invalid) == 0 {
			rest.Failed = append(rest.Failed, dcs.Failed[i])
			continue
		}
		for _, r := range part.Invalid {
			a.printError(r.JobID, exitInvalid, r.Err)
		}
	}
	if len(rest.Failed) > 0 {
		a.printError("", exitCode(rest), rest)
	}
}

// partOf returns the part of the listing of the data center at endpoint, or nil.
func partOf(listing *faxreport.Listing, endpoint string) *faxreport.ListPart {
	for i := range listing.Parts {
		if listing.Parts[i].Endpoint == endpoint {
			return &listing.Parts[i]
		}
	}
	return nil
}

// writeListing prints a listing as a table, one row per report, then a line per data center.
func writeListing(w io.Writer, listing *faxreport.Listing) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tPAGES\tRECIPIENTS\tSTATUS\tCUSTOMER ID\tDATA CENTER")
	for _, part := range listing.Parts {
		host := hostOf(part.Endpoint)
		for _, r := range part.Reports {
			customerID := "-"
			if r.Reference != nil {
				customerID = orDash(r.Reference.CustomerDefinedID)
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\n", clean(r.JobID), r.Pages, len(r.RecipientStatus), statuses(r), customerID, host)
		}
		for _, r := range part.Invalid {
			fmt.Fprintf(tw, "%s\t-\t-\tINVALID (breaks the API contract, see the error)\t-\t%s\n", orDash(&r.JobID), host)
		}
	}
	_ = tw.Flush() // stdout: nothing better to do with a failure
	fmt.Fprintln(w)
	for _, part := range listing.Parts {
		switch {
		case part.Err != nil && part.Reports == nil:
			fmt.Fprintf(w, "%s: failed, its reports are missing above (see the error)\n", part.Endpoint)
		case part.Err != nil:
			fmt.Fprintf(w, "%s: %d reports, not all it listed (see the error)\n", part.Endpoint, len(part.Reports))
		case part.Truncated:
			fmt.Fprintf(w, "%s: %d reports, the most a data center lists: it may hold more (drain reads them all)\n", part.Endpoint, len(part.Reports))
		default:
			fmt.Fprintf(w, "%s: %d reports\n", part.Endpoint, len(part.Reports))
		}
	}
}

// statuses summarises a report's recipients' statuses: "OK", or "OK 2, BUSY 1".
func statuses(r *faxreport.Report) string {
	var order []string
	counts := map[string]int{}
	for _, s := range r.RecipientStatus {
		status := clean(s.Status)
		if counts[status] == 0 {
			order = append(order, status)
		}
		counts[status]++
	}
	switch {
	case len(order) == 0:
		return "-"
	case len(order) == 1:
		return order[0]
	}
	parts := make([]string, len(order))
	for i, s := range order {
		parts[i] = fmt.Sprintf("%s %d", s, counts[s])
	}
	return strings.Join(parts, ", ")
}

// hostOf is the host (and port) of a data center's base URL, short enough for a column.
func hostOf(endpoint string) string {
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" {
		return u.Host
	}
	return endpoint
}
