package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/internal/endpoint"
)

// globalOptions are the flags every command takes, before or after its name.
type globalOptions struct {
	custNr, username, passwordFile, region, endpoints string
	timeout                                           positiveDuration // 0: the command's default
	demo, json, verbose                               bool
	maxListBytes                                      int64 // 0: the library's default
}

// connectionFlags name the flags that choose the service; --demo replaces all of them.
var connectionFlags = []string{"custnr", "username", "password-file", "region", "endpoints"}

// register adds the global flags to root, for it and every command under it.
func (o *globalOptions) register(root *cobra.Command) {
	fs := root.PersistentFlags()
	fs.StringVar(&o.custNr, "custnr", "", "customer number (env FAXREPORT_CUSTNR)")
	fs.StringVar(&o.username, "username", "", "user name (env FAXREPORT_USERNAME)")
	fs.StringVar(&o.passwordFile, "password-file", "", `read the password from this file, or from standard input with "-" (default: env FAXREPORT_PASSWORD)`)
	fs.StringVar(&o.region, "region", "", "europe, america, switzerland or singapore (env FAXREPORT_REGION; default europe)")
	fs.StringVar(&o.endpoints, "endpoints", "", "comma-separated https data-center base URLs ending in /rest/v1 (env FAXREPORT_ENDPOINTS)")
	fs.Var(&o.timeout, "timeout", "give up after this long, such as 45s or 5m (default 30s; for wait 10m; for drain no limit)")
	fs.Int64Var(&o.maxListBytes, "max-list-bytes", 0, "refuse a listing or bulk answer larger than this many bytes (default 1000 times the 4 MiB cap on one report)")
	fs.BoolVar(&o.demo, "demo", false, "serve example reports from a built-in fake service: no network, no credentials")
	fs.BoolVar(&o.json, "json", false, "print reports, and errors, as JSON: one object per line (see below)")
	fs.BoolVar(&o.verbose, "verbose", false, "log every HTTP attempt on stderr (never credentials)")
	_ = root.RegisterFlagCompletionFunc("region", cobra.FixedCompletions(
		[]string{string(faxreport.RegionEurope), string(faxreport.RegionAmerica), string(faxreport.RegionSwitzerland), string(faxreport.RegionSingapore)},
		cobra.ShellCompDirectiveNoFileComp))
}

// timeoutOr returns --timeout, or def when it was not given.
func (o *globalOptions) timeoutOr(def time.Duration) time.Duration {
	return cmp.Or(time.Duration(o.timeout), def)
}

// positiveDuration is a duration flag that refuses zero, negative durations and numbers
// without a unit, with a message that says what it wants.
type positiveDuration time.Duration

var _ pflag.Value = (*positiveDuration)(nil)

func (d *positiveDuration) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil || v <= 0 {
		return fmt.Errorf("want a positive duration with a unit, such as 500ms, 30s or 5m")
	}
	*d = positiveDuration(v)
	return nil
}

func (d *positiveDuration) String() string {
	if *d == 0 {
		return ""
	}
	return time.Duration(*d).String()
}

func (d *positiveDuration) Type() string { return "duration" }

// newClient builds the library client from the flags and the environment, or for --demo from
// a built-in fake service; stop releases what it holds. Its errors say what is missing or
// wrong and where the value came from, and wrap faxreport.ErrInvalidArgument.
func (a *app) newClient(cmd *cobra.Command) (client *faxreport.Client, stop func(), err error) {
	// The library's warnings (a push answered with an error, two data centers that disagree)
	// always reach stderr; --verbose adds a record of every HTTP attempt. With --json, they are
	// JSON too.
	level := slog.LevelWarn
	if a.opts.verbose {
		level = slog.LevelDebug
	}
	var handler slog.Handler = slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: level})
	if a.opts.json {
		handler = slog.NewJSONHandler(a.stderr, &slog.HandlerOptions{Level: level})
	}
	logger := slog.New(handler)
	if a.opts.maxListBytes < 0 {
		return nil, nil, usagef("--max-list-bytes %d: want a positive number of bytes", a.opts.maxListBytes)
	}
	if a.opts.demo {
		if given := changedFlags(cmd, connectionFlags); len(given) > 0 {
			return nil, nil, usagef("--demo serves a built-in fake region and takes no %s", strings.Join(given, ", "))
		}
		demo := startDemo()
		cfg := demo.Config()
		cfg.Logger, cfg.MaxListResponseBytes = logger, a.opts.maxListBytes
		client, err = faxreport.New(cfg)
		if err != nil {
			demo.Close()
			return nil, nil, err
		}
		return client, demo.Close, nil
	}
	cfg := faxreport.Config{
		CustomerNumber: cmp.Or(a.opts.custNr, a.getenv("FAXREPORT_CUSTNR")),
		Username:       cmp.Or(a.opts.username, a.getenv("FAXREPORT_USERNAME")),
		Logger:         logger,
	}
	cfg.MaxListResponseBytes = a.opts.maxListBytes
	if cfg.Password, err = a.password(); err != nil {
		return nil, nil, err
	}
	var missing []string
	for _, m := range []struct{ value, what string }{
		{cfg.CustomerNumber, "the customer number (--custnr or FAXREPORT_CUSTNR)"},
		{cfg.Username, "the user name (--username or FAXREPORT_USERNAME)"},
		{cfg.Password, "the password (FAXREPORT_PASSWORD or --password-file)"},
	} {
		if m.value == "" {
			missing = append(missing, m.what)
		}
	}
	if len(missing) > 0 {
		return nil, nil, usagef("missing %s; or try --demo", strings.Join(missing, ", "))
	}
	if region, from := a.flagOrEnv(a.opts.region, "--region", "FAXREPORT_REGION"); region != "" {
		if cfg.Region, err = faxreport.ParseRegion(region); err != nil {
			return nil, nil, usagef("%s: unknown region %q: want europe, america, switzerland or singapore", from, region)
		}
	}
	if list, from := a.flagOrEnv(a.opts.endpoints, "--endpoints", "FAXREPORT_ENDPOINTS"); list != "" {
		if cfg.Endpoints, err = parseEndpoints(list, from); err != nil {
			return nil, nil, err
		}
	}
	client, err = faxreport.New(cfg)
	return client, func() {}, err
}

// flagOrEnv returns the flag's value, or else the environment variable's, and which it was.
func (a *app) flagOrEnv(flagValue, flagName, env string) (value, from string) {
	if flagValue != "" {
		return flagValue, flagName
	}
	return a.getenv(env), env
}

// parseEndpoints splits a comma-separated list of base URLs, refusing empty entries and plain
// http to hosts other than loopback (the password would cross the network in clear text; the
// library's AllowInsecureHTTP has, on purpose, no flag).
func parseEndpoints(list, from string) ([]string, error) {
	entries := strings.Split(list, ",")
	urls := make([]string, 0, len(entries))
	for i, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" {
			return nil, usagef("%s: entry %d of %d is empty: want comma-separated URLs such as https://faxws.de1.retarus.com/rest/v1", from, i+1, len(entries))
		}
		if u, err := url.Parse(e); err == nil && u.Scheme == "http" && !endpoint.IsLoopback(u.Hostname()) {
			return nil, usagef("%s: %s is plain http, which would send the password in clear text: use https (plain http is accepted only for localhost)", from, u.Redacted())
		}
		urls = append(urls, e)
	}
	return urls, nil
}

// password reads the password from --password-file (a file, or standard input for "-") or the
// environment. An empty password from a file or standard input is an error that says so.
func (a *app) password() (string, error) {
	var (
		r     io.Reader
		where string
	)
	switch file := a.opts.passwordFile; file {
	case "":
		return a.getenv("FAXREPORT_PASSWORD"), nil
	case "-":
		r, where = a.stdin, "standard input (--password-file -)"
	default:
		f, err := os.Open(file)
		if err != nil {
			return "", usagef("--password-file: %v", err)
		}
		defer f.Close()
		r, where = f, fmt.Sprintf("the password file %s", file)
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", usagef("reading the password from %s: %v", where, err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", usagef("%s gave no password: its first line is empty", where)
	}
	return password, nil
}

// changedFlags returns, as "--name", the flags among names that the command line set.
func changedFlags(cmd *cobra.Command, names []string) []string {
	var given []string
	for _, name := range names {
		if cmd.Flags().Changed(name) {
			given = append(given, "--"+name)
		}
	}
	return given
}
