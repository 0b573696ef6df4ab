package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/faxreport/faxreport"
)

// writeTable prints a report as a header line and one row per recipient.
func writeTable(w io.Writer, r *faxreport.Report) {
	fmt.Fprintf(w, "Job %s, %s", clean(r.JobID), pages(r.Pages))
	if ref := r.Reference; ref != nil {
		for _, f := range []struct {
			name string
			v    *string
		}{
			{"customer ID", ref.CustomerDefinedID}, {"billing code", ref.BillingCode}, {"billing info", ref.BillingInfo},
		} {
			if f.v != nil {
				fmt.Fprintf(w, ", %s %s", f.name, clean(*f.v))
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

// pages is "1 page" or "N pages".
func pages(n int) string { return count(n, "page") }

// count is "1 thing" or "N things".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

func orDash(s *string) string {
	if s == nil || *s == "" {
		return "-"
	}
	return clean(*s)
}

// clean keeps a value from the service from breaking the table or the terminal: control
// characters (C0, DEL and C1, whose escape sequences a terminal would act on) and the bidi
// embeddings, overrides and isolates (which reorder what follows them on the line) become
// spaces; invalid UTF-8 becomes U+FFFD.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r < ' ', r >= 0x7f && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return ' '
		}
		return r
	}, s)
}
