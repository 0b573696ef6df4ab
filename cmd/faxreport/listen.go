package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/faxreport/faxreport"
)

// listenOptions are the flags of listen.
type listenOptions struct {
	addr, out, path, metricsAddr         string
	tlsCert, tlsKey                      string
	allowInsecureHTTP, allowUnauthorized bool
	shutdownTimeout                      positiveDuration
	maxFetches                           int // 0: faxreport.DefaultMaxPushFetches
}

const listenLong = `Receives Retarus' HTTP status push: a server on --addr that takes each push to --path (default
/; any other path is answered 404) as a signal of which jobs finished, fetches each job's report
from the API (validated, as get does) and writes it as one line of NDJSON, the report as the API
sent it (as get --json prints it), appended to --out and synced to disk before the push is
answered 204; without --out, printed on stdout. A push that cannot be fetched or written is
answered 503, so that the sender pushes again; nothing is lost if it does not: the report stays
in the API. The same job may be written twice (delivery is at least once); deduplicate on jobId.

--out must be a regular file (not a pipe or a device: none can be synced), appended to, never
truncated, and created readable by its owner only. It is locked for the whole run (flock,
advisory): a second listen or drain on the same file exits 1 at once. A last line left
unterminated by a run killed mid-write is cut off (or, if it is a whole JSON value, ended)
before anything is appended, and stderr says which; its push had not been answered 204.

The push's credentials (authMethod HTTP_BASIC, the principal and credentials configured at
Retarus) come from the environment:
  FAXREPORT_PUSH_USERNAME   the user name pushes must carry (without ':')
  FAXREPORT_PUSH_PASSWORD   the password pushes must carry
Without both, listen refuses to start, unless --allow-unauthenticated (authMethod NONE) is given.
The API's credentials are those of the other commands (or --demo). --timeout bounds each
report's fetch and write together (default 30s): a write that does not return in time (stdout
that nobody reads, say) is answered 503, never 204. --max-fetches bounds the jobs fetched and
written at once across all pushes: a push that would start one more is answered 503 with
Retry-After at once, so that a flood queues no work. A push answered with an error is logged on
stderr (its job IDs and answer, never credentials); --verbose logs every push.

Plain HTTP is served only on a loopback address (behind a TLS-terminating proxy, say): serve
HTTPS with --tls-cert and --tls-key, or accept the risk with --allow-insecure-http.

Probes, without credentials and not logged, on --addr and on --metrics-addr:
  /healthz   200 while the server runs
  /readyz    200 when a report can be written; 503 while shutting down, after the output
             failed, or while a write to it is blocked
--metrics-addr (a port alone, such as 9090, is on loopback) serves /metrics for Prometheus:
faxreport_pushes_total{code}, faxreport_push_duration_seconds, faxreport_pushes_in_flight,
faxreport_fetches_in_flight, faxreport_jobs_fetched_total, faxreport_fetch_failures_total{kind}
and faxreport_reports_written_total. It stops last, so that its /readyz says 503 while the
pushes in progress finish.

When it is listening it prints "faxreport: listening on URL" (the URL pushes go to) on stderr;
with --json every line on stderr is a JSON object (msg "listening on URL", with url). On SIGINT
or SIGTERM it stops accepting pushes, finishes those in progress and closes the output (for up
to --shutdown-timeout, which no blocked write extends) and exits 0; exit code 1 if some could
not be finished (their senders get no answer and push again), a write was still blocked, or the
server failed.`

func newListenCommand(a *app) *cobra.Command {
	o := listenOptions{shutdownTimeout: positiveDuration(30 * time.Second)}
	cmd := &cobra.Command{
		Use:   "listen [flags]",
		Short: "Receive status pushes and write the reports they announce as NDJSON",
		Long:  listenLong,
		Example: "  FAXREPORT_PUSH_USERNAME=push FAXREPORT_PUSH_PASSWORD=... \\\n" +
			"    faxreport listen --addr :8443 --tls-cert cert.pem --tls-key key.pem --out reports.ndjson",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.listen(cmd, &o) },
	}
	fs := cmd.Flags()
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "host:port to listen on (:8080 for every interface)")
	fs.StringVar(&o.path, "path", "/", "the URL path pushes are accepted on; any other is answered 404")
	fs.StringVar(&o.metricsAddr, "metrics-addr", "", "serve Prometheus metrics on http://ADDR/metrics, and the probes (a port alone, such as 9090, is on loopback; default: off)")
	fs.StringVar(&o.out, "out", "", "append the reports to this file, synced before each answer (default: stdout)")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate (chain) file; needs --tls-key")
	fs.StringVar(&o.tlsKey, "tls-key", "", "the PEM private key of --tls-cert")
	fs.BoolVar(&o.allowInsecureHTTP, "allow-insecure-http", false, "serve plain HTTP on an address that is not loopback (the push's password crosses the network in clear text)")
	fs.BoolVar(&o.allowUnauthorized, "allow-unauthenticated", false, "accept pushes without credentials (authMethod NONE): anyone can trigger fetches")
	fs.Var(&o.shutdownTimeout, "shutdown-timeout", "on SIGINT or SIGTERM, how long to finish the pushes in progress and close the output")
	fs.IntVar(&o.maxFetches, "max-fetches", 0, fmt.Sprintf("the most jobs fetched and written at once, across all pushes; a push beyond is answered 503 with Retry-After (default %d)", faxreport.DefaultMaxPushFetches))
	return cmd
}

// listen runs the receiver until cmd's context is cancelled.
func (a *app) listen(cmd *cobra.Command, o *listenOptions) error {
	tlsConfig, err := o.check()
	if err != nil {
		return err
	}
	cfg, err := a.pushCredentials(o.allowUnauthorized)
	if err != nil {
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
	metrics := newListenMetrics()
	cfg.Timeout = a.opts.timeoutOr(30 * time.Second)
	cfg.MaxFetches = cmp.Or(o.maxFetches, faxreport.DefaultMaxPushFetches)
	cfg.HandleJSON = func(ctx context.Context, _ string, report json.RawMessage) error {
		// The API's own bytes (its fields, their order, its nulls), as get --json prints them,
		// fetched once per job however many pushes name it; a failure, or a write that does not
		// return within ctx (--timeout), answers 503 and the sender pushes again.
		metrics.fetched.Inc()
		if err := sink.writeWithin(ctx, jsonLine(report)); err != nil {
			return err
		}
		metrics.written.Inc() // synced before writeWithin returns, so before the 204
		return nil
	}
	cfg.OnPush = metrics.observe
	push, err := faxreport.NewPushHandler(client, cfg)
	if err != nil {
		_ = sink.close() // nothing written yet
		return err
	}
	logs := a.serviceLog()
	if o.allowUnauthorized {
		logs.warn("--allow-unauthenticated: pushes are accepted without credentials, so anyone who can reach " + o.addr + " can trigger fetches")
	}
	if tlsConfig == nil && o.allowInsecureHTTP && !loopbackAddr(o.addr) {
		logs.warn("--allow-insecure-http: serving plain HTTP on " + o.addr + ": the push's password crosses the network in clear text")
	}
	s := &listenServer{opts: o, logs: logs, sink: sink}
	probes := probes{sink: sink, stopping: &s.stopping}
	if err := s.start(pushRoutes(o.path, metrics.countInFlight(push, cfg.MaxFetches), probes), metrics.routes(probes), tlsConfig); err != nil {
		_ = sink.close()
		return a.fail(err)
	}
	if err := s.wait(cmd.Context()); err != nil {
		return a.fail(err)
	}
	logs.info("stopped; every push received was answered")
	return nil
}

// fail prints err, a failure that is not invalid input, and ends the command with exit code 1.
func (a *app) fail(err error) error {
	a.printError("", exitFailure, err)
	return &exitError{code: exitFailure}
}
