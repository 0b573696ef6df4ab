// Package reqpath checks the values that go into a request path.
package reqpath

import (
	"errors"
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// ErrInvalid is wrapped by every error of Check.
var ErrInvalid = errors.New("invalid path parameter")

// Check accepts any value that stays one path segment once escaped and that an identifier can
// be: it must not be empty, "." or "..", which a URL resolver would drop or turn into a step up,
// and must be valid UTF-8 without control characters. Every other character is escaped, not
// rejected. name is the parameter's name, used in the error, which never quotes more than a
// few bytes of value.
func Check(name, value string) error {
	switch value {
	case "":
		return fmt.Errorf("%w: %s is empty", ErrInvalid, name)
	case ".", "..":
		return fmt.Errorf("%w: %s %q would change the request path", ErrInvalid, name, value)
	}
	if !utf8.ValidString(value) {
		return fmt.Errorf("%w: %s %s is not valid UTF-8", ErrInvalid, name, quoteStart(value))
	}
	for i, r := range value {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: %s %s has a control character at byte %d", ErrInvalid, name, quoteStart(value), i)
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
