// Package endpoint parses data-center base URLs and decides whether credentials may be sent to
// them.
package endpoint

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ErrInvalid is wrapped by every error of this package.
var ErrInvalid = errors.New("invalid endpoint")

// Parse checks a data-center base URL such as "https://faxws.de1.retarus.com/rest/v1" and
// returns it with exactly one trailing slash, ready for relative path resolution. Plain http is
// accepted only for loopback hosts or when allowInsecure is set, so that basic-auth credentials
// never cross a network in clear text by accident.
func Parse(raw string, allowInsecure bool) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%w: %q is not a URL", ErrInvalid, raw)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return "", fmt.Errorf("%w: %q: scheme must be https", ErrInvalid, raw)
	case u.Host == "":
		return "", fmt.Errorf("%w: %q has no host", ErrInvalid, raw)
	case u.User != nil:
		return "", fmt.Errorf("%w: %s: credentials belong in the configuration, not the URL", ErrInvalid, u.Redacted())
	case u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("%w: %q must not have a query or fragment", ErrInvalid, raw)
	}
	if err := SecureEnough(u, allowInsecure); err != nil {
		return "", err
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/"
	u.RawPath = ""
	return u.String(), nil
}

// SecureEnough reports an error unless u is https, a loopback host, or allowInsecure is set.
func SecureEnough(u *url.URL, allowInsecure bool) error {
	if u.Scheme == "https" || allowInsecure || IsLoopback(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("%w: %s: plain http would send the password in clear text (use https, or opt in with AllowInsecureHTTP)", ErrInvalid, u.Redacted())
}

// IsLoopback reports whether host is "localhost" or a loopback IP address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
