package validate

import (
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
)

// FuzzDateTime: the date-time check (and parse) agrees with json/v2's strict RFC 3339 parsing,
// the independent decoder of the response fuzz target, extended by what RFC 3339 allows and
// json/v2 does not: lower-case "t" and "z", and a leap second (23:59:60 UTC), read as the
// instant after 23:59:59. time.Parse(time.RFC3339) alone did not agree (it takes a one-digit
// hour).
func FuzzDateTime(f *testing.F) {
	for _, s := range []string{"2017-08-10T13:05:09Z", "2017-08-10T13:05:09.123+02:00", "0000-01-10T0:00:00Z", "2017-08-10T13:05:60Z", "2017-08-10t13:05:09z", "2017-08-10T13:05:09.Z", "2017-08-10T24:00:00Z", "2017-08-10T13:05:09+24:00"} {
		f.Add(s)
	}
	f.Add("2016-12-31T23:59:60Z")
	f.Add("2016-12-31t23:59:60.25z")
	f.Add("2017-01-01T05:29:60+05:30")
	f.Fuzz(func(t *testing.T, s string) {
		got, mine := parseDateTime(s)
		want, v2 := strictRFC3339(s)
		if (mine == nil) != (v2 == nil) || mine == nil && !got.Equal(want) {
			t.Fatalf("%q: mine %v, %v; oracle %v, %v", s, got, mine, want, v2)
		}
	})
}

// strictRFC3339 is the oracle: json/v2's parse of s, with a lower-case "t" or "z" taken as
// upper-case, and a seconds field of 60 accepted at 23:59 UTC as the second after 23:59:59.
func strictRFC3339(s string) (time.Time, error) {
	parse := func(s string) (time.Time, error) {
		q, _ := json.Marshal(s)
		var tt time.Time
		err := json.Unmarshal(q, &tt)
		return tt, err
	}
	if len(s) > 11 && s[10] == 't' {
		s = s[:10] + "T" + s[11:]
	}
	if strings.HasSuffix(s, "z") {
		s = strings.TrimSuffix(s, "z") + "Z"
	}
	if len(s) > 19 && s[16:19] == ":60" {
		tt, err := parse(s[:17] + "59" + s[19:])
		if err != nil || tt.UTC().Hour() != 23 || tt.UTC().Minute() != 59 {
			return time.Time{}, errDateTime
		}
		return tt.Add(time.Second), nil
	}
	return parse(s)
}
