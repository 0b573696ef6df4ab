package main

import (
	"crypto/tls"
	"net"
	"strings"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/internal/endpoint"
)

// check refuses flags that do not go together and loads the TLS key pair, if any.
func (o *listenOptions) check() (*tls.Config, error) {
	if _, _, err := net.SplitHostPort(o.addr); err != nil {
		return nil, usagef("--addr %q: want host:port, such as 127.0.0.1:8080 or :8443", o.addr)
	}
	if err := o.checkPaths(); err != nil {
		return nil, err
	}
	if o.maxFetches < 0 {
		return nil, usagef("--max-fetches %d: want a positive number of jobs (0: the default, %d)", o.maxFetches, faxreport.DefaultMaxPushFetches)
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

// checkPaths refuses a --path that is no absolute path or is a probe's, and completes
// --metrics-addr: a port alone, "9090" or ":9090", is on loopback.
func (o *listenOptions) checkPaths() error {
	switch {
	case !strings.HasPrefix(o.path, "/"):
		return usagef("--path %q: want an absolute path, such as / or /retarus/push", o.path)
	case o.path == healthPath || o.path == readyPath:
		return usagef("--path %s is where the probes are: choose another", o.path)
	}
	if o.metricsAddr == "" {
		return nil
	}
	if !strings.Contains(o.metricsAddr, ":") {
		o.metricsAddr = ":" + o.metricsAddr
	}
	if strings.HasPrefix(o.metricsAddr, ":") {
		o.metricsAddr = "127.0.0.1" + o.metricsAddr
	}
	if _, port, err := net.SplitHostPort(o.metricsAddr); err != nil || port == "" {
		return usagef("--metrics-addr %q: want a port, such as 9090, or host:port, such as 0.0.0.0:9090", o.metricsAddr)
	}
	return nil
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
	case strings.Contains(cfg.Username, ":"):
		return cfg, usagef("FAXREPORT_PUSH_USERNAME contains ':', which HTTP basic authentication cannot carry in a user name (RFC 7617): no push could match it")
	}
	return cfg, nil
}
