package retry_test

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/faxreport/faxreport/internal/retry"
)

// maxSeconds is the cap on a delay-seconds value: RFC 9111 §1.2.2 has a value too large to
// represent count as 2^31 seconds.
const maxSeconds = 1 << 31

// fuzzNow is the "now" of FuzzParseRetryAfter: a whole second, so that every accepted value is a
// whole number of seconds.
var fuzzNow = time.Date(2025, time.June, 1, 12, 0, 0, 0, time.UTC)

// FuzzParseRetryAfter checks ParseRetryAfter on arbitrary header values:
//
//   - it is deterministic, and reports 0 whenever it reports false;
//   - an accepted value is a whole, non-negative number of seconds (or the longest Duration, for a
//     date too far ahead to represent);
//   - a value of ASCII digits only (after trimming spaces) is accepted as exactly that many
//     seconds, capped at 2^31 seconds however many digits it has;
//   - a value with a leading '-' (negative delay-seconds) is never accepted;
//   - any other accepted value is an HTTP date, and the delay is exactly the time until it (0 for a
//     date in the past, saturated rather than overflowed for one far ahead).
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{
		"120", "0", "00", " 5 ", "\t7\r\n", "1", "-1", "-0", "+1", "1e3", "1.5", "0x10", "1_000", "١٢٣",
		"2147483647", "2147483648", "2147483649", "9223372036854775807", "18446744073709551615",
		"18446744073709551616", "99999999999999999999", strings.Repeat("9", 60),
		"Wed, 21 Oct 2015 07:28:00 GMT", "Sun, 01 Jun 2025 12:00:10 GMT", "Sun, 01 Jun 2025 11:59:59 GMT",
		"Sunday, 01-Jun-25 12:00:10 GMT", "Sun Jun  1 12:00:10 2025", "Fri, 31 Dec 9999 23:59:59 GMT",
		"Mon, 01 Jan 0001 00:00:00 GMT", "Wed, 21 Oct 2015 07:28:00 UTC", "21 Oct 2015 07:28:00 GMT",
		"", " ", "\x00", "\xff", "-", "-Wed, 21 Oct 2015 07:28:00 GMT", "1 Wed, 21 Oct 2015 07:28:00 GMT",
	} {
		f.Add(s)
	}

	f.Fuzz(func(t *testing.T, value string) {
		d, ok := retry.ParseRetryAfter(value, fuzzNow)
		if d2, ok2 := retry.ParseRetryAfter(value, fuzzNow); d2 != d || ok2 != ok {
			t.Fatalf("ParseRetryAfter(%q) is not deterministic: %v %t, then %v %t", value, d, ok, d2, ok2)
		}
		if !ok {
			if d != 0 {
				t.Fatalf("ParseRetryAfter(%q) = %v, false: want 0 with false", value, d)
			}
		} else if d < 0 || d%time.Second != 0 && d != math.MaxInt64 {
			t.Fatalf("ParseRetryAfter(%q) = %v: want a whole, non-negative number of seconds", value, d)
		}

		trimmed := strings.TrimSpace(value)
		switch {
		case trimmed != "" && strings.Trim(trimmed, "0123456789") == "":
			want := maxSeconds * time.Second
			if n, err := strconv.ParseUint(trimmed, 10, 64); err == nil && n < maxSeconds {
				want = time.Duration(n) * time.Second
			}
			if !ok || d != want {
				t.Fatalf("ParseRetryAfter(%q) = %v, %t: want %v, true", value, d, ok, want)
			}
		case strings.HasPrefix(trimmed, "-"):
			if ok {
				t.Fatalf("ParseRetryAfter(%q) = %v, true: a negative value must be refused", value, d)
			}
		case ok:
			date, err := http.ParseTime(trimmed)
			if err != nil {
				t.Fatalf("ParseRetryAfter(%q) = %v, true: neither delay-seconds nor an HTTP date (%v)", value, d, err)
			}
			if want := max(date.Sub(fuzzNow), 0); d != want {
				t.Fatalf("ParseRetryAfter(%q) = %v: want %v, the time until %v", value, d, want, date)
			}
		}
	})
}
