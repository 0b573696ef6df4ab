package main

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/faxreport/faxreport"
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
	fs.StringVar(&o.passwordFile, "password-file", "", `read the password from this file, or from standard input with "-" (env FAXREPORT_PASSWORD_FILE; or env FAXREPORT_PASSWORD)`)
	fs.StringVar(&o.region, "region", "", "europe, america, switzerland or singapore (env FAXREPORT_REGION; default europe)")
	fs.StringVar(&o.endpoints, "endpoints", "", "comma-separated https data-center base URLs ending in /rest/v1 (env FAXREPORT_ENDPOINTS)")
	fs.Var(&o.timeout, "timeout", "give up after this long, such as 45s or 5m (default 30s; for wait 10m; for drain no limit)")
	fs.Int64Var(&o.maxListBytes, "max-list-bytes", 0, "refuse a listing or bulk answer larger than this many bytes (default 1000 times the 4 MiB cap on one report)")
	fs.BoolVar(&o.demo, "demo", false, "serve example reports from a built-in fake service: no network, no credentials")
	fs.BoolVar(&o.json, "json", false, "print reports, and errors, as JSON: one object per line (see faxreport --help)")
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
	logger := newLogger(a.stderr, a.opts.json, a.opts.verbose)
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
	lookup, fromFlag, err := a.flagsOverEnv()
	if err != nil {
		return nil, nil, err
	}
	cfg, err := faxreport.ConfigFromEnv(lookup)
	if err != nil {
		return nil, nil, configError(err, fromFlag)
	}
	cfg.Logger = logger
	cfg.MaxListResponseBytes = a.opts.maxListBytes
	client, err = faxreport.New(cfg)
	return client, func() {}, err
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
