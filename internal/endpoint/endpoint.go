// Package endpoint decides where a request may go and what its path may carry: the data-center
// base URLs (plain http only where the credentials cannot cross a network in clear text), and
// the values that go into a request path.
package endpoint

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrInvalid is wrapped by every error of Parse and SecureEnough.
var ErrInvalid = errors.New("invalid endpoint")

// ErrInvalidPathParam is wrapped by every error of CheckPathParam.
var ErrInvalidPathParam = errors.New("invalid path parameter")

// BasePath is how the path of every data-center base URL ends: the API's version.
const BasePath = "/rest/v1"

// Parse checks a data-center base URL such as "https://faxws.de1.retarus.com/rest/v1" and
// returns it with exactly one trailing slash, ready for relative path resolution. Its path must
// end in BasePath: with any other, every request would answer 404, which a listing reads as
// "nothing there" and a job as "not found", so a wrong base URL is refused here. Plain http is
// accepted only for loopback hosts or when allowInsecure is set, so that basic-auth credentials
// never cross a network in clear text by accident.
func Parse(raw string, allowInsecure bool) (string, error) {
	// Errors never quote raw: it may hold a password. A URL that does not parse is not shown at
	// all; one that does is shown by url.Redacted.
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%w: an endpoint is not a URL", ErrInvalid)
	}
	switch {
	case u.User != nil:
		return "", fmt.Errorf("%w: %s: credentials belong in the configuration, not the URL", ErrInvalid, u.Redacted())
	case u.Scheme != "https" && u.Scheme != "http":
		return "", fmt.Errorf("%w: %s: scheme must be https", ErrInvalid, u.Redacted())
	case u.Host == "":
		return "", fmt.Errorf("%w: %s has no host", ErrInvalid, u.Redacted())
	case u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("%w: %s must not have a query or fragment", ErrInvalid, u.Redacted())
	case !strings.HasSuffix(strings.TrimRight(u.Path, "/"), BasePath):
		return "", fmt.Errorf("%w: %s: the path must end in %s, as https://faxws.de1.retarus.com%s does", ErrInvalid, u.Redacted(), BasePath, BasePath)
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

// CheckPathParam accepts any value that stays one path segment once escaped and that an identifier can
// be: it must not be empty, "." or "..", which a URL resolver would drop or turn into a step up,
// and must be valid UTF-8 without control characters. Every other character is escaped, not
// rejected. name is the parameter's name, used in the error, which never quotes more than a
// few bytes of value.
func CheckPathParam(name, value string) error {
	switch value {
	case "":
		return fmt.Errorf("%w: %s is empty", ErrInvalidPathParam, name)
	case ".", "..":
		return fmt.Errorf("%w: %s %q would change the request path", ErrInvalidPathParam, name, value)
	}
	if !utf8.ValidString(value) {
		return fmt.Errorf("%w: %s %s is not valid UTF-8", ErrInvalidPathParam, name, quoteStart(value))
	}
	for i, r := range value {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: %s %s has a control character at byte %d", ErrInvalidPathParam, name, quoteStart(value), i)
		}
	}
	return nil
}

// quoteStart quotes the first bytes of value, enough to recognise it.
func quoteStart(value string) string {
	const n = 32
	if len(value) <= n {
		return strconv.Quote(value)
	}
	return strconv.Quote(value[:n]) + "…"
}
