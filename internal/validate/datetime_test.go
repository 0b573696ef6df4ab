package validate

import (
	"testing"
	"time"

	"github.com/go-json-experiment/json"
)

// FuzzDateTime: the date-time check (and parse) agrees with json/v2's strict RFC 3339 parsing,
// the independent decoder of the response fuzz target. time.Parse(time.RFC3339) alone did not
// (it takes a one-digit hour).
func FuzzDateTime(f *testing.F) {
	for _, s := range []string{"2017-08-10T13:05:09Z", "2017-08-10T13:05:09.123+02:00", "0000-01-10T0:00:00Z", "2017-08-10T13:05:60Z", "2017-08-10t13:05:09z", "2017-08-10T13:05:09.Z", "2017-08-10T24:00:00Z", "2017-08-10T13:05:09+24:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, mine := parseDateTime(s)
		q, _ := json.Marshal(s)
		var tt time.Time
		v2 := json.Unmarshal(q, &tt)
		if (mine == nil) != (v2 == nil) {
			t.Fatalf("%q: mine %v, v2 %v", s, mine, v2)
		}
	})
}
