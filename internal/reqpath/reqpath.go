// Package reqpath checks the values that go into a request path.
package reqpath

import (
	"errors"
	"fmt"
)

// ErrInvalid is wrapped by every error of Check.
var ErrInvalid = errors.New("invalid path parameter")

// Check accepts any value that stays one path segment once escaped: it must not be empty, "." or
// "..", which a URL resolver would drop or turn into a step up. Every other character is escaped,
// not rejected. name is the parameter's name, used in the error.
func Check(name, value string) error {
	switch value {
	case "":
		return fmt.Errorf("%w: %s is empty", ErrInvalid, name)
	case ".", "..":
		return fmt.Errorf("%w: %s %q would change the request path", ErrInvalid, name, value)
	}
	return nil
}
