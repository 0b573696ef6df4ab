package validate

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
)

// FuzzDateTime: ParseDateTime agrees with an independent oracle (isoOracle) on which strings
// are ISO 8601 date-times and on the instant and offset of each; and every string it accepts
// matches the pattern openapi.yaml gives sentTs, which third-party validators check.
func FuzzDateTime(f *testing.F) {
	for _, s := range []string{
		"2017-08-10T13:05:09Z", "2017-08-10T13:05:09.123+02:00", "0000-01-10T0:00:00Z", "2017-08-10T13:05:60Z",
		"2017-08-10t13:05:09z", "2017-08-10T13:05:09.Z", "2017-08-10T24:00:00Z", "2017-08-10T13:05:09+24:00",
		"2016-12-31T23:59:60Z", "2016-12-31t23:59:60.25z", "2017-01-01T05:29:60+05:30",
		"2017-08-10T13:05:09.999-0700", "20170810T130509Z", "2017-08-10T13:05:09,5Z", "2017-08-10T13:05:09+02",
		"2017-08-10T13:05:09", "20170810T130509,123456789123-0130", "2017-222T13:05:09Z", "2017222T130509Z",
		"2017-W32-4T13:05:09Z", "2017W324T130509Z", "2020-W53-7T00:00:00Z", "2017-W53-1T00:00:00Z", "2016-366T00:00:00Z",
		"2017-366T00:00:00Z", "2017-02-29T00:00:00Z", "2017-08-10 13:05:09Z", "10.08.2017 13:05", "2017-13-10T13:05:09Z",
		"20170810T13:05:09Z", "2017-08-10T130509Z", "2017-08-10T13:05Z", "2017-08-10T13:05:09+02:", "2017-08-10T13:05:09-00:00",
		"9999-12-31T23:59:60Z", "99991231T235960", "9999-12-31T21:59:60-02:00", "0000-01-01T00:00:00+01:00",
	} {
		f.Add(s)
	}
	spec, err := Spec()
	if err != nil {
		f.Fatal(err)
	}
	pattern := regexp.MustCompile(spec.Components.Schemas["RecipientStatus"].Value.Properties["sentTs"].Value.Pattern)
	f.Fuzz(func(t *testing.T, s string) {
		got, mine := ParseDateTime(s)
		want, oracle := isoOracle(s)
		if (mine == nil) != (oracle == nil) || mine == nil && !got.Equal(want) {
			t.Fatalf("%q: ParseDateTime %v, %v; oracle %v, %v", s, got, mine, want, oracle)
		}
		if mine != nil {
			return
		}
		if _, gotOffset := got.Zone(); gotOffset != offsetOf(want) {
			t.Fatalf("%q: offset %d, want %d", s, gotOffset, offsetOf(want))
		}
		if !pattern.MatchString(s) {
			t.Fatalf("%q: accepted, but openapi.yaml's pattern refuses it", s)
		}
	})
}

func offsetOf(t time.Time) int { _, o := t.Zone(); return o }

// isoDateTime is the oracle's grammar: one alternative per date form and format.
var isoDateTime = regexp.MustCompile(`^(?:` +
	`(?P<y1>\d{4})-(?P<m1>\d{2})-(?P<d1>\d{2})[Tt](?P<t1>\d{2}:\d{2}:\d{2})|` +
	`(?P<y2>\d{4})(?P<m2>\d{2})(?P<d2>\d{2})[Tt](?P<t2>\d{6})|` +
	`(?P<y3>\d{4})-(?P<o3>\d{3})[Tt](?P<t3>\d{2}:\d{2}:\d{2})|` +
	`(?P<y4>\d{4})(?P<o4>\d{3})[Tt](?P<t4>\d{6})|` +
	`(?P<y5>\d{4})-W(?P<w5>\d{2})-(?P<wd5>\d)[Tt](?P<t5>\d{2}:\d{2}:\d{2})|` +
	`(?P<y6>\d{4})W(?P<w6>\d{2})(?P<wd6>\d)[Tt](?P<t6>\d{6})` +
	`)(?:[.,](?P<frac>\d+))?(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?$`)

// isoOracle reads s by another road than ParseDateTime's: a regular expression, the date made
// a calendar date by counting days (ordinal) or by searching the year for the ISO week (week),
// and the result written as RFC 3339 for json/v2's strict parser; a leap second is 23:59:60 UTC
// and becomes the instant after 23:59:59.
func isoOracle(s string) (time.Time, error) {
	m := isoDateTime.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, fmt.Errorf("no match")
	}
	g := map[string]string{}
	for i, name := range isoDateTime.SubexpNames() {
		if name != "" && m[i] != "" {
			g[strings.TrimRight(name, "0123456789")] = m[i]
		}
	}
	year, _ := strconv.Atoi(g["y"])
	var date time.Time
	switch {
	case g["o"] != "":
		n, _ := strconv.Atoi(g["o"])
		date = time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n-1)
		if n < 1 || date.Year() != year {
			return time.Time{}, fmt.Errorf("no day %d", n)
		}
	case g["w"] != "":
		week, _ := strconv.Atoi(g["w"])
		weekday, _ := strconv.Atoi(g["wd"])
		found := false
		end := time.Date(year+1, time.January, 10, 0, 0, 0, 0, time.UTC)
		for d := time.Date(year-1, time.December, 20, 0, 0, 0, 0, time.UTC); d.Before(end); d = d.AddDate(0, 0, 1) {
			if y, w := d.ISOWeek(); y == year && w == week && (int(d.Weekday())+6)%7+1 == weekday {
				date, found = d, true
				break
			}
		}
		if !found {
			return time.Time{}, fmt.Errorf("no week day %d-W%d-%d", year, week, weekday)
		}
	default:
		date = time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC) // checked by json/v2 below
	}
	clock := strings.ReplaceAll(g["t"], ":", "")
	zone := strings.ToUpper(g["zone"])
	switch {
	case zone == "":
		zone = "Z"
	case len(zone) == 3:
		zone += ":00"
	case len(zone) == 5:
		zone = zone[:3] + ":" + zone[3:]
	}
	frac := ""
	if g["frac"] != "" {
		frac = "." + g["frac"]
	}
	ymd := fmt.Sprintf("%04d-%02d-%02d", date.Year(), date.Month(), date.Day())
	if g["m"] != "" {
		ymd = g["y"] + "-" + g["m"] + "-" + g["d"]
	}
	leap := clock[4:] == "60"
	if leap {
		clock = clock[:4] + "59"
	}
	rfc3339 := ymd + "T" + clock[:2] + ":" + clock[2:4] + ":" + clock[4:] + frac + zone
	q, _ := json.Marshal(rfc3339)
	var t time.Time
	if err := json.Unmarshal(q, &t); err != nil {
		return time.Time{}, err
	}
	if leap {
		if u := t.UTC(); u.Hour() != 23 || u.Minute() != 59 {
			return time.Time{}, fmt.Errorf("a leap second outside 23:59 UTC")
		}
		t = t.Add(time.Second)
		if _, err := json.Marshal(t); err != nil {
			return time.Time{}, err // 9999-12-31T23:59:60Z: no RFC 3339 date-time
		}
	}
	return t, nil
}
