package faxreport

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/faxreport/faxreport/internal/endpoint"
	"github.com/faxreport/faxreport/internal/password"
)

// EnvError is a FAXREPORT_* variable that ConfigFromEnv could not use. It matches
// ErrInvalidArgument, and Err when there is one. Its text never holds the password.
type EnvError struct {
	Var string // the variable, such as "FAXREPORT_REGION"
	Err error  // what is wrong with its value; nil when the variable is required and not set
}

// Error names the variable and what is wrong with it.
func (e *EnvError) Error() string {
	if e.Err == nil {
		return "faxreport: " + e.Var + " is not set"
	}
	return "faxreport: " + e.Var + ": " + e.Err.Error()
}

// Unwrap returns ErrInvalidArgument and Err.
func (e *EnvError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalidArgument}
	}
	return []error{ErrInvalidArgument, e.Err}
}

// ConfigFromEnv builds a Config from the environment, exactly as the faxreport command reads
// it, with getenv looking each variable up (os.Getenv, or a lookup of your own):
//
//	FAXREPORT_CUSTNR         the customer number (required)
//	FAXREPORT_USERNAME       the user name (required)
//	FAXREPORT_PASSWORD       the password, or:
//	FAXREPORT_PASSWORD_FILE  a file that holds it (one of the two is required, not both); one
//	                         trailing newline is trimmed, so that systemd credentials
//	                         ($CREDENTIALS_DIRECTORY) and Kubernetes secret volumes work as they are
//	FAXREPORT_REGION         europe (the default), america, switzerland or singapore
//	FAXREPORT_ENDPOINTS      comma-separated data-center base URLs, replacing the region's;
//	                         https, or plain http to a loopback host only
//
// An empty variable counts as unset. The other fields of the Config keep their zero values,
// and so their defaults; the proxy variables (HTTPS_PROXY, NO_PROXY) are the default
// HTTPClient's business. Each variable that cannot be used is an *EnvError, all of them joined
// (errors.Join) in the error returned.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{CustomerNumber: getenv("FAXREPORT_CUSTNR"), Username: getenv("FAXREPORT_USERNAME")}
	var (
		problems []error
		err      error
	)
	for _, required := range []struct{ name, value string }{{"FAXREPORT_CUSTNR", cfg.CustomerNumber}, {"FAXREPORT_USERNAME", cfg.Username}} {
		if required.value == "" {
			problems = append(problems, &EnvError{Var: required.name})
		}
	}
	if cfg.Password, err = passwordFromEnv(getenv); err != nil {
		problems = append(problems, err)
	}
	if name := getenv("FAXREPORT_REGION"); name != "" {
		if cfg.Region, err = ParseRegion(name); err != nil {
			problems = append(problems, &EnvError{Var: "FAXREPORT_REGION",
				Err: fmt.Errorf("unknown region %q: want europe, america, switzerland or singapore", name)})
		}
	}
	if list := getenv("FAXREPORT_ENDPOINTS"); list != "" {
		if cfg.Endpoints, err = parseEndpoints(list); err != nil {
			problems = append(problems, &EnvError{Var: "FAXREPORT_ENDPOINTS", Err: err})
		}
	}
	return cfg, errors.Join(problems...)
}

// passwordFromEnv reads FAXREPORT_PASSWORD, or the file FAXREPORT_PASSWORD_FILE names.
func passwordFromEnv(getenv func(string) string) (string, error) {
	secret, file := getenv("FAXREPORT_PASSWORD"), getenv("FAXREPORT_PASSWORD_FILE")
	switch {
	case file == "" && secret == "":
		return "", &EnvError{Var: "FAXREPORT_PASSWORD"}
	case file == "":
		return secret, nil
	case secret != "":
		return "", &EnvError{Var: "FAXREPORT_PASSWORD_FILE", Err: errors.New("set together with FAXREPORT_PASSWORD: set one of them")}
	}
	f, err := os.Open(file)
	if err != nil {
		return "", &EnvError{Var: "FAXREPORT_PASSWORD_FILE", Err: err}
	}
	defer f.Close()
	secret, err = password.Read(f)
	if err != nil {
		return "", &EnvError{Var: "FAXREPORT_PASSWORD_FILE", Err: fmt.Errorf("%s %w", file, err)}
	}
	return secret, nil
}

// parseEndpoints splits a comma-separated list of base URLs, refusing empty entries and plain
// http to hosts other than loopback (the password would cross the network in clear text;
// AllowInsecureHTTP has, on purpose, no variable).
func parseEndpoints(list string) ([]string, error) {
	entries := strings.Split(list, ",")
	urls := make([]string, 0, len(entries))
	for i, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" {
			return nil, fmt.Errorf("entry %d of %d is empty: want comma-separated URLs such as https://faxws.de1.retarus.com/rest/v1", i+1, len(entries))
		}
		if u, err := url.Parse(e); err == nil && u.Scheme == "http" && !endpoint.IsLoopback(u.Hostname()) {
			return nil, fmt.Errorf("%s is plain http, which would send the password in clear text: use https (plain http is accepted only for localhost)", u.Redacted())
		}
		urls = append(urls, e)
	}
	return urls, nil
}
