package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/internal/endpoint"
)

// listenOptions are the flags of listen.
type listenOptions struct {
	addr, out                            string
	tlsCert, tlsKey                      string
	allowInsecureHTTP, allowUnauthorized bool
	shutdownTimeout                      positiveDuration
}

const listenLong = `Receives Retarus' HTTP status push: a server on --addr that takes each push as a signal of
which jobs finished, fetches each job's report from the API (validated, as get does) and writes
it as one line of NDJSON, the report as the API sent it (as get --json prints it), appended to
--out and synced to disk before the push is answered 204; without --out, printed on stdout.
A push that cannot be fetched or written is answered 503, so that the sender pushes again;
nothing is lost if it does not: the report stays in the API. The same job may be written twice
(delivery is at least once); deduplicate on jobId.

The push's credentials (authMethod HTTP_BASIC, the principal and credentials configured at
Retarus) come from the environment:
  FAXREPORT_PUSH_USERNAME   the user name pushes must carry
  FAXREPORT_PUSH_PASSWORD   the password pushes must carry
Without both, listen refuses to start, unless --allow-unauthenticated (authMethod NONE) is given.
The API's credentials are those of the other commands (or --demo). --timeout bounds each
report's fetch and write (default 30s). A push answered with an error is logged on stderr
(its job IDs and answer, never credentials); --verbose logs every push.

Plain HTTP is served only on a loopback address (behind a TLS-terminating proxy, say): serve
HTTPS with --tls-cert and --tls-key, or accept the risk with --allow-insecure-http.

When it is listening it prints "faxreport: listening on URL" on stderr; warnings and that line
are text even with --json. On SIGINT or SIGTERM it stops accepting pushes, finishes those in
progress (for up to --shutdown-timeout) and exits 0; exit code 1 if some could not be finished
(their senders get no answer and push again) or the server failed.`

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
	fs.StringVar(&o.out, "out", "", "append the reports to this file, synced before each answer (default: stdout)")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate (chain) file; needs --tls-key")
	fs.StringVar(&o.tlsKey, "tls-key", "", "the PEM private key of --tls-cert")
	fs.BoolVar(&o.allowInsecureHTTP, "allow-insecure-http", false, "serve plain HTTP on an address that is not loopback (the push's password crosses the network in clear text)")
	fs.BoolVar(&o.allowUnauthorized, "allow-unauthenticated", false, "accept pushes without credentials (authMethod NONE): anyone can trigger fetches")
	fs.Var(&o.shutdownTimeout, "shutdown-timeout", "on SIGINT or SIGTERM, how long to finish the pushes in progress")
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
	defer func() { _ = sink.close() }() // on the way out after a failure; the normal end checks it
	cfg.Timeout = a.opts.timeoutOr(30 * time.Second)
	cfg.HandleJSON = func(_ context.Context, _ string, report json.RawMessage) error {
		// The API's own bytes (its fields, their order, its nulls), as get --json prints them,
		// fetched once per job however many pushes name it; a failure answers 503 and the
		// sender pushes again.
		return sink.write(jsonLine(report)) // synced before HandleJSON returns, so before the 204
	}
	handler, err := faxreport.NewPushHandler(client, cfg)
	if err != nil {
		return err
	}
	if o.allowUnauthorized {
		fmt.Fprintln(a.stderr, "faxreport: warning: --allow-unauthenticated: pushes are accepted without credentials, so anyone who can reach "+o.addr+" can trigger fetches")
	}
	if tlsConfig == nil && o.allowInsecureHTTP && !loopbackAddr(o.addr) {
		fmt.Fprintln(a.stderr, "faxreport: warning: --allow-insecure-http: serving plain HTTP on "+o.addr+": the push's password crosses the network in clear text")
	}

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return a.fail(fmt.Errorf("listen: %w", err))
	}
	scheme := "http"
	if tlsConfig != nil {
		ln, scheme = tls.NewListener(ln, tlsConfig), "https"
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          log.New(a.stderr, "faxreport: ", 0), // TLS handshake errors and the like
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(a.stderr, "faxreport: listening on %s://%s/\n", scheme, ln.Addr())

	select {
	case err := <-served: // Serve fails only when the listener does
		_ = srv.Close() // the connections of pushes in progress; its error is the listener's, reported
		return a.fail(fmt.Errorf("serve: %w", err))
	case <-cmd.Context().Done():
	}
	fmt.Fprintln(a.stderr, "faxreport: shutting down: finishing the pushes in progress")
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(o.shutdownTimeout))
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		_ = srv.Close() // cut the pushes still running: unanswered, they will be pushed again
		return a.fail(fmt.Errorf("shutdown: pushes still in progress after --shutdown-timeout %v were abandoned, unanswered (their reports stay in the API): %w", time.Duration(o.shutdownTimeout), err))
	}
	if err := sink.close(); err != nil {
		return a.fail(err)
	}
	fmt.Fprintln(a.stderr, "faxreport: stopped; every push received was answered")
	return nil
}

// fail prints err, a failure that is not invalid input, and ends the command with exit code 1.
func (a *app) fail(err error) error {
	a.printError("", exitFailure, err)
	return &exitError{code: exitFailure}
}

// check refuses flags that do not go together and loads the TLS key pair, if any.
func (o *listenOptions) check() (*tls.Config, error) {
	if _, _, err := net.SplitHostPort(o.addr); err != nil {
		return nil, usagef("--addr %q: want host:port, such as 127.0.0.1:8080 or :8443", o.addr)
	}
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return nil, usagef("--tls-cert and --tls-key go together: give both or neither")
	}
	if o.tlsCert == "" {
		if !loopbackAddr(o.addr) && !o.allowInsecureHTTP {
			return nil, usagef("--addr %s is not a loopback address: serve HTTPS with --tls-cert and --tls-key (the push's password would cross the network in clear text), or give --allow-insecure-http", o.addr)
		}
		return nil, nil
	}
	if o.allowInsecureHTTP {
		return nil, usagef("--allow-insecure-http does not go with --tls-cert: the server is HTTPS")
	}
	cert, err := tls.LoadX509KeyPair(o.tlsCert, o.tlsKey)
	if err != nil {
		return nil, usagef("--tls-cert, --tls-key: %v", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// loopbackAddr reports whether addr's host is a loopback address (an empty host is every
// interface, so not).
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	return err == nil && endpoint.IsLoopback(host)
}

// pushCredentials reads the credentials pushes must carry from the environment.
func (a *app) pushCredentials(allowUnauthenticated bool) (faxreport.PushConfig, error) {
	cfg := faxreport.PushConfig{
		Username: a.getenv("FAXREPORT_PUSH_USERNAME"),
		Password: a.getenv("FAXREPORT_PUSH_PASSWORD"),
	}
	switch {
	case allowUnauthenticated && (cfg.Username != "" || cfg.Password != ""):
		return cfg, usagef("--allow-unauthenticated does not go with FAXREPORT_PUSH_USERNAME or FAXREPORT_PUSH_PASSWORD: unset them, or drop the flag")
	case allowUnauthenticated:
		cfg.AllowUnauthenticated = true
	case cfg.Username == "" && cfg.Password == "":
		return cfg, usagef("missing the push's credentials, FAXREPORT_PUSH_USERNAME and FAXREPORT_PUSH_PASSWORD (what Retarus sends with authMethod HTTP_BASIC); or give --allow-unauthenticated")
	case cfg.Username == "":
		return cfg, usagef("missing FAXREPORT_PUSH_USERNAME: FAXREPORT_PUSH_PASSWORD alone is not enough")
	case cfg.Password == "":
		return cfg, usagef("missing FAXREPORT_PUSH_PASSWORD: FAXREPORT_PUSH_USERNAME alone is not enough")
	}
	return cfg, nil
}
