package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
)

const environmentHelp = `Environment (flags win):
  FAXREPORT_CUSTNR      customer number (--custnr)
  FAXREPORT_USERNAME    user name (--username)
  FAXREPORT_PASSWORD    password (or --password-file; never a flag)
  FAXREPORT_REGION      europe (default), america, switzerland or singapore (--region)
  FAXREPORT_ENDPOINTS   comma-separated data-center base URLs, overriding the region (--endpoints)`

// connection holds the flags every command shares.
type connection struct {
	custNr, username, region, endpoints, passwordFile string
	timeout                                           time.Duration
	demo                                              bool
}

// newFlagSet returns a command's flag set with the shared flags; usage describes the command.
func (c *cli) newFlagSet(name, usage string, conn *connection, timeout time.Duration) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.StringVar(&conn.custNr, "custnr", "", "customer number (env FAXREPORT_CUSTNR)")
	fs.StringVar(&conn.username, "username", "", "user name (env FAXREPORT_USERNAME)")
	fs.StringVar(&conn.passwordFile, "password-file", "", `read the password from this file, or from standard input with "-" (default: env FAXREPORT_PASSWORD)`)
	fs.StringVar(&conn.region, "region", "", "region: europe, america, switzerland or singapore (env FAXREPORT_REGION; default europe)")
	fs.StringVar(&conn.endpoints, "endpoints", "", "comma-separated data-center base URLs ending in /rest/v1 (env FAXREPORT_ENDPOINTS)")
	fs.DurationVar(&conn.timeout, "timeout", timeout, "give up after this long")
	fs.BoolVar(&conn.demo, "demo", false, "serve example reports from an in-process fake service: no network, no credentials")
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "%s\n\nFlags:\n", usage)
		fs.PrintDefaults()
		fmt.Fprintf(c.stderr, "\n%s\n\n%s\n", environmentHelp, exitCodesHelp)
	}
	return fs
}

// parse parses args; it returns the exit code to stop with, or -1 to go on.
func parse(fs *flag.FlagSet, args []string) int {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case err != nil:
		return exitUsage
	}
	return -1
}

// client builds the library client from flags and environment, or for --demo from a fake
// service that stop shuts down.
func (c *cli) client(conn *connection) (client *faxreport.Client, stop func(), err error) {
	if conn.demo {
		s := demoServer()
		client, err = faxreport.New(s.Config())
		return client, s.Close, err
	}
	cfg := faxreport.Config{
		CustomerNumber: cmp.Or(conn.custNr, c.getenv("FAXREPORT_CUSTNR")),
		Username:       cmp.Or(conn.username, c.getenv("FAXREPORT_USERNAME")),
	}
	if cfg.Password, err = c.password(conn.passwordFile); err != nil {
		return nil, nil, err
	}
	if region := cmp.Or(conn.region, c.getenv("FAXREPORT_REGION")); region != "" {
		if cfg.Region, err = faxreport.ParseRegion(region); err != nil {
			return nil, nil, err
		}
	}
	if endpoints := cmp.Or(conn.endpoints, c.getenv("FAXREPORT_ENDPOINTS")); endpoints != "" {
		for _, e := range strings.Split(endpoints, ",") {
			cfg.Endpoints = append(cfg.Endpoints, strings.TrimSpace(e))
		}
	}
	if cfg.CustomerNumber == "" || cfg.Username == "" || cfg.Password == "" {
		return nil, nil, fmt.Errorf("faxreport: %w: set the customer number, user name and password (see --help), or try --demo", faxreport.ErrInvalidArgument)
	}
	client, err = faxreport.New(cfg)
	return client, func() {}, err
}

// password reads the password from a file, standard input ("-"), or the environment.
func (c *cli) password(file string) (string, error) {
	var r io.Reader
	switch file {
	case "":
		return c.getenv("FAXREPORT_PASSWORD"), nil
	case "-":
		r = c.stdin
	default:
		f, err := os.Open(file)
		if err != nil {
			return "", fmt.Errorf("faxreport: %w: password file: %w", faxreport.ErrInvalidArgument, err)
		}
		defer f.Close()
		r = f
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("faxreport: %w: reading the password: %w", faxreport.ErrInvalidArgument, err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// demoServer is a fake region seeded with the examples of package api. The pending example
// turns final after a few reads, so that "wait --demo" has something to wait for.
func demoServer() *faxtest.Server {
	s := faxtest.NewServer(faxtest.Options{})
	s.LoadExamples()
	var pending faxreport.Report
	if err := json.Unmarshal(api.Example(api.ReportPending), &pending); err == nil {
		for i := range pending.RecipientStatus {
			pending.RecipientStatus[i].Status, pending.RecipientStatus[i].Reason = faxreport.StatusOK, "OK"
		}
		s.PutPending(&pending, faxtest.Pending{Reads: 3})
	}
	return s
}
