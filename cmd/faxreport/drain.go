package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/faxreport/faxreport"
)

const drainLong = `Reads and deletes every completed report of every data center, safely: in each data
center it lists a page (the oldest 1000 reports), appends it to --out as NDJSON, one report per
line, syncs the file to disk, and only then deletes exactly those jobs with a bulk DELETE; it
repeats until no data center lists anything. A page whose write fails is cut off the file
again and not deleted, and the drain stops. No report is deleted before it is on disk.

The lines are the reports as the API listed them, validated, with only insignificant
whitespace removed (as get --json and list --json print them): unknown fields and nulls kept.

--out must be a regular file (not "-", a pipe or a device: none can be synced), appended to,
never truncated, and created readable by its owner only. It is locked for the whole run
(flock, advisory: it keeps out another faxreport, not other programs): a second drain or
listen on the same file exits 1 at once. A last line left unterminated by a run killed
mid-write is cut off (or, if it is a whole JSON value, ended) before anything is appended, and
stderr says which; that report had not been deleted. Before each page is deleted, --out must
still name the file written: renamed or replaced mid-run, the drain stops with exit 1.

On SIGINT or SIGTERM the drain finishes the pages in progress (written, synced, their
deletions answered), leaves the others as they are, prints the counts and exits 130 (SIGINT)
or 143 (SIGTERM); a second signal stops it at once, abandoning the deletions in flight (their
lines are on disk already) and a write that blocks (its page is then not deleted). It is safe to run again after a crash, a signal or a failure: a
page written but not yet deleted is listed, and written, again. Delivery is thus at least
once: the file may hold a report twice; deduplicate on jobId. Run one drain per account: two at
once both finish (what the other deleted first counts as already gone), but each writes the
pages both listed, so their files hold the same reports.

A listed report that breaks the API contract is not lost and does not block the others: it
is appended to --invalid (default: --out with .invalid appended; created, locked and synced
as --out is) as one JSON object per line, {"jobId", "dataCenter", "error", "report"}, where
report is the report as the API sent it (its JSON, or a string of its bytes when they are not
JSON), and then deleted. A drain that quarantined any exits 5 and says how many.

At the end it prints the counts on stdout (with --json as one JSON object): pages and reports
written, reports deleted, and reports already gone (deleted by someone else, or by an attempt
whose answer was lost). On a terminal it shows progress on stderr. There is no time limit
unless --timeout is given. A failure (a data center, the file) is printed on stderr after the
counts, with its exit code; the drain is then not complete and the line of counts says so.
--metrics-file writes the counts, the outcome and the time of the last success in the
Prometheus text format, replaced whole (written, then renamed), for node_exporter's textfile
collector.`

// drainOptions are the flags of drain.
type drainOptions struct {
	out, invalid, metricsFile string
}

func newDrainCommand(a *app) *cobra.Command {
	var o drainOptions
	cmd := &cobra.Command{
		Use:     "drain --out FILE [flags]",
		Short:   "Write every completed report to a file as NDJSON, then delete it",
		Long:    drainLong,
		Example: "  faxreport drain --out reports.ndjson\n  faxreport drain --out /var/lib/faxreport/reports.ndjson --metrics-file /var/lib/node_exporter/faxreport.prom",
		Args:    noArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return a.drain(cmd, o) },
	}
	fs := cmd.Flags()
	fs.StringVar(&o.out, "out", "", "append the reports to this regular file, synced to disk before they are deleted (required)")
	fs.StringVar(&o.invalid, "invalid", "", "append the reports that break the API contract to this file, synced before they are deleted (default: --out with .invalid appended)")
	fs.StringVar(&o.metricsFile, "metrics-file", "", "write the run's counts and outcome to this file in the Prometheus text format, atomically (for node_exporter's textfile collector)")
	return cmd
}

// drainSummary is the line of counts drain prints at the end.
type drainSummary struct {
	Complete bool `json:"complete"`
	Pages    int  `json:"pages"`
	Reports  int  `json:"reports"`
	Deleted  int  `json:"deleted"`
	Gone     int  `json:"gone"`
	// Quarantined counts the reports that broke the API contract, written to --invalid.
	Quarantined int `json:"quarantined"`
}

func (a *app) drain(cmd *cobra.Command, o drainOptions) error {
	switch {
	case o.out == "":
		return usagef("--out FILE is required: drain deletes the reports it has written there")
	case o.out == "-":
		return usagef("--out -: drain deletes what it writes, so it writes to a file it can sync to disk, not to standard output; to read the reports without deleting them, use list --json")
	case o.invalid == "-":
		return usagef("--invalid -: drain deletes what it writes, so it writes to a file it can sync to disk, not to standard output")
	case o.invalid == o.out:
		return usagef("--invalid %s is --out: give the reports that break the API contract a file of their own", o.invalid)
	}
	if err := checkMetricsFile(o.metricsFile); err != nil {
		return err
	}
	client, stop, err := a.newClient(cmd)
	if err != nil {
		return err
	}
	defer stop()
	sink, err := a.openSink("--out", o.out)
	if err != nil {
		return err
	}
	invalid, err := a.openQuarantine(cmp.Or(o.invalid, o.out+".invalid"))
	if err != nil {
		_ = sink.close() // nothing written
		return err
	}
	// The first signal must not cancel the deletions in flight: the drain's context is
	// cancelled by a second signal (or --timeout) only.
	ctx, cancel := context.WithCancel(context.WithoutCancel(cmd.Context()))
	defer cancel()
	if a.opts.timeout != 0 {
		ctx, cancel = context.WithTimeout(ctx, a.opts.timeoutOr(0))
		defer cancel()
	}
	signals := watchSignals(a.signals, func(sig os.Signal) {
		a.warn(signalName(sig) + ": stopping once the pages in progress are written and deleted (a second signal stops at once)")
	}, cancel)
	started := time.Now()
	progress := newProgress(a.stderr)
	counts, err := client.DrainStatusReports(ctx, faxreport.DrainConfig{
		// The writes end with ctx, so that a second signal stops the drain at once even when the
		// file's write blocks (a hung NFS mount, say): the page is then not deleted.
		HandleJSON: func(ctx context.Context, page []faxreport.RawReport) error {
			if err := signals.stopRequested(); err != nil {
				return err // a page not yet begun is left as it is
			}
			var lines bytes.Buffer
			for _, r := range page {
				lines.Write(jsonLine(r.JSON))
			}
			if err := sink.writeWithin(ctx, lines.Bytes()); err != nil { // the whole page, then one sync
				return err
			}
			progress.page(len(page))
			return sink.stillAt() // the page is deleted only if the file written is still --out
		},
		HandleInvalid: func(ctx context.Context, reports []faxreport.InvalidReport) error {
			if err := signals.stopRequested(); err != nil {
				return err
			}
			return invalid.write(ctx, reports)
		},
	})
	signalled := signals.end()
	// A write still blocked when ctx ended (it then failed the drain) holds its file: closing
	// gives up on it rather than wait.
	if closeErr := sink.closeWithin(ctx); err == nil && closeErr != nil {
		err = closeErr
	}
	if closeErr := invalid.closeWithin(ctx); err == nil && closeErr != nil {
		err = closeErr
	}
	progress.end()
	// The library counts the pages handed over, a page whose write failed included: these
	// are the pages written.
	summary := drainSummary{err == nil, progress.pages, progress.reports, counts.Deleted, counts.Gone, invalid.count()}
	a.printDrainCounts(o.out, summary)
	code := exitCode(err)
	if err != nil && signalled != nil {
		code = signalExitCode(signalled.sig)
		a.printError("", code, signalled)
		err = failedBesidesTheStop(err)
	}
	if err != nil {
		a.printError("", exitCode(err), err)
	}
	if summary.Quarantined > 0 {
		// The reports are safe, but the service broke its contract: say so, with exit code 5
		// unless a failure's code says more.
		a.printError("", exitInvalid, fmt.Errorf("%s broke the API contract: they are in %s, as the API sent them", count(summary.Quarantined, "report"), invalid.path))
		if code == exitOK {
			code = exitInvalid
		}
	}
	if o.metricsFile != "" {
		if metricsErr := writeDrainMetrics(o.metricsFile, summary, code, started); metricsErr != nil {
			a.printError("", exitFailure, metricsErr)
			if code == exitOK {
				code = exitFailure
			}
		}
	}
	if code != exitOK {
		return &exitError{code: code}
	}
	return nil
}

// printDrainCounts prints the counts on stdout: a sentence, or with --json one JSON object.
func (a *app) printDrainCounts(out string, s drainSummary) {
	if a.opts.json {
		line, _ := json.Marshal(s) // bools and ints: cannot fail
		a.stdout.Write(append(line, '\n'))
		return
	}
	verb := "drained"
	if !s.Complete {
		verb = "drain stopped, not complete (run it again):"
	}
	quarantined := ""
	if s.Quarantined > 0 {
		quarantined = fmt.Sprintf("; %s quarantined", count(s.Quarantined, "invalid report"))
	}
	fmt.Fprintf(a.stdout, "%s %s in %s written to %s; %d deleted, %d already gone%s\n",
		verb, count(s.Reports, "report"), pages(s.Pages), out, s.Deleted, s.Gone, quarantined)
}

// progress counts the pages and reports written and shows them, on a terminal only.
type progress struct {
	w              io.Writer // nil: not a terminal
	pages, reports int
}

func newProgress(stderr io.Writer) *progress {
	if !isTerminal(stderr) {
		return &progress{}
	}
	return &progress{w: stderr}
}

// page counts a page written and rewrites the progress line.
func (p *progress) page(reports int) {
	p.pages++
	p.reports += reports
	if p.w != nil {
		fmt.Fprintf(p.w, "\rfaxreport: %s in %s written", count(p.reports, "report"), pages(p.pages))
	}
}

// end ends the progress line.
func (p *progress) end() {
	if p.w != nil && p.pages > 0 {
		fmt.Fprintln(p.w)
	}
}

// isTerminal reports whether w is (or wraps) a terminal, such as a character device.
func isTerminal(w io.Writer) bool {
	if locked, ok := w.(*lockedWriter); ok {
		w = locked.w
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
