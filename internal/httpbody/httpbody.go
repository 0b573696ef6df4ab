// Package httpbody reads response bodies through a size cap and makes short, safe excerpts of them
// for error messages.
package httpbody

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrTooLarge is returned by Read for a body longer than its limit.
var ErrTooLarge = errors.New("response body too large")

// ExcerptBytes is the most of a body that an error message ever quotes.
const ExcerptBytes = 120

// Read reads r to the end, or fails with ErrTooLarge as soon as more than limit bytes arrive.
// It never holds more than limit+1 bytes of a refused body, and its buffer grows with the data
// that has arrived (io.ReadAll), never with what was announced: size, the length the response
// announced (-1 if unknown), only refuses at once a body announced larger than limit.
func Read(r io.Reader, size, limit int64) ([]byte, error) {
	if size > limit {
		return nil, fmt.Errorf("%w: %d bytes announced, more than %d", ErrTooLarge, size, limit)
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	switch {
	case err != nil:
		return nil, err
	case int64(len(b)) > limit:
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	}
	return b, nil
}

// Excerpt quotes at most ExcerptBytes of b, cut at a rune boundary, with "…" when cut.
func Excerpt(b []byte) string {
	if len(b) <= ExcerptBytes {
		return strconv.Quote(string(b))
	}
	// Only the bytes Truncate looks at are copied: b may be a whole listing.
	return strconv.Quote(strings.TrimSuffix(Truncate(string(b[:ExcerptBytes+1]), ExcerptBytes), "…")) + "…"
}

// Truncate returns s, or its first n bytes or fewer, cut at a rune boundary, and "…".
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
