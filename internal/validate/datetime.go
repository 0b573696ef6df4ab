package validate

import (
	"errors"
	"time"
)

// DateTimeFormat is the format name of sentTs in openapi.yaml: an ISO 8601 date-time as
// ParseDateTime reads it. A name of ours, not OpenAPI's `date-time` (which is RFC 3339 only, and
// would have other validators refuse the basic format); the spec's pattern says the same for
// validators that do not know the name.
const DateTimeFormat = "iso8601-date-time"

// errDateTime says a string is not a date-time the contract accepts.
var errDateTime = errors.New("not an ISO 8601 date-time (a complete date and time of day, in basic or extended format)")

// ParseDateTime reads a complete ISO 8601 date-time, as openapi.yaml's sentTs describes it:
//
//   - a date, calendar (2017-08-10, 20170810), ordinal (2017-222, 2017222) or week
//     (2017-W32-4, 2017W324);
//   - "T" or "t";
//   - the time of day with seconds (13:05:09, 130509), in the date's format (both basic or both
//     extended), seconds 60 for a leap second at 23:59:60 UTC, read as the instant after
//     23:59:59 (a time.Time cannot hold it); then optionally a fraction after "." or ",", of
//     which the first nine digits count;
//   - optionally the time-zone designator: "Z", "z", ±hh:mm, ±hhmm or ±hh, in either format
//     (the vendor's Go SDK writes an extended time with -0700). Without one, the time is read
//     as UTC, the zone of every timestamp the vendor documents.
//
// Like time.Parse, it returns a time in time.UTC for "Z" or no designator, in time.Local when
// Local has the given offset at that instant, and otherwise in a fixed zone of that offset.
func ParseDateTime(s string) (time.Time, error) {
	p := dateTimeParser{s: s}
	year := p.digits(4)
	extended := p.skip('-')
	var yday int // the day of the year, from 1, for ordinal and week dates
	month, day := -1, -1
	switch {
	case p.skip('W'):
		week := p.digits(2)
		if extended && !p.skip('-') {
			return time.Time{}, errDateTime
		}
		weekday := p.digits(1)
		if week < 1 || week > isoWeeks(year) || weekday < 1 || weekday > 7 {
			return time.Time{}, errDateTime
		}
		yday = weekDateYearDay(year, week, weekday)
	case p.dateLength() == 3:
		yday = p.digits(3)
		if yday < 1 || yday > daysIn(year) {
			return time.Time{}, errDateTime
		}
	default:
		month = p.digits(2)
		if extended && !p.skip('-') {
			return time.Time{}, errDateTime
		}
		day = p.digits(2)
		if month < 1 || month > 12 || day < 1 || day > daysInMonth(year, time.Month(month)) {
			return time.Time{}, errDateTime
		}
	}
	if !p.skip('T') && !p.skip('t') {
		return time.Time{}, errDateTime
	}
	hour := p.digits(2)
	if extended && !p.skip(':') {
		return time.Time{}, errDateTime
	}
	minute := p.digits(2)
	if extended && !p.skip(':') {
		return time.Time{}, errDateTime
	}
	second := p.digits(2)
	nanos := p.fraction()
	offset, utc := p.designator()
	if p.failed || p.i != len(s) || hour > 23 || minute > 59 || second > 60 {
		return time.Time{}, errDateTime
	}
	leap := second == 60
	if leap {
		second = 59
	}
	var t time.Time
	if month > 0 {
		t = time.Date(year, time.Month(month), day, hour, minute, second, nanos, time.UTC)
	} else {
		t = time.Date(year, time.January, yday, hour, minute, second, nanos, time.UTC)
	}
	t = t.Add(-time.Duration(offset) * time.Second)
	if leap {
		if t.Hour() != 23 || t.Minute() != 59 {
			return time.Time{}, errDateTime // a leap second is the last second of a UTC day
		}
		t = t.Add(time.Second)
		if t.Year() > 9999 && utc {
			return time.Time{}, errDateTime // 10000-01-01: beyond what RFC 3339, and so time.Time's JSON, can write
		}
	}
	if utc {
		return t, nil
	}
	if _, local := t.In(time.Local).Zone(); local == offset {
		return t.In(time.Local), nil
	}
	return t.In(time.FixedZone("", offset)), nil
}

// dateTimeParser reads s from i on; a read that fails sets failed and returns 0.
type dateTimeParser struct {
	s      string
	i      int
	failed bool
}

// digits reads n decimal digits.
func (p *dateTimeParser) digits(n int) int {
	if p.failed || p.i+n > len(p.s) {
		p.failed = true
		return 0
	}
	v := 0
	for _, c := range []byte(p.s[p.i : p.i+n]) {
		if c < '0' || c > '9' {
			p.failed = true
			return 0
		}
		v = v*10 + int(c-'0')
	}
	p.i += n
	return v
}

// skip reads c if it is next.
func (p *dateTimeParser) skip(c byte) bool {
	if p.failed || p.i >= len(p.s) || p.s[p.i] != c {
		return false
	}
	p.i++
	return true
}

// dateLength is the number of digits before the date's end ("T" or "t"): 3 for an ordinal
// date's day, 4 (basic) or 2 (the month, extended) for a calendar date.
func (p *dateTimeParser) dateLength() int {
	n := 0
	for p.i+n < len(p.s) && p.s[p.i+n] >= '0' && p.s[p.i+n] <= '9' {
		n++
	}
	return n
}

// fraction reads an optional decimal fraction of a second, "." or "," and digits, as
// nanoseconds: the digits after the ninth are dropped.
func (p *dateTimeParser) fraction() int {
	if !p.skip('.') && !p.skip(',') {
		return 0
	}
	start := p.i
	nanos := 0
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		if p.i-start < 9 {
			nanos = nanos*10 + int(p.s[p.i]-'0')
		}
		p.i++
	}
	n := p.i - start
	if n == 0 {
		p.failed = true
		return 0
	}
	for ; n < 9; n++ {
		nanos *= 10
	}
	return nanos
}

// designator reads the optional time-zone designator: its offset east of UTC in seconds, and
// whether the time is UTC by "Z" or by having none.
func (p *dateTimeParser) designator() (offset int, utc bool) {
	if p.i == len(p.s) || p.skip('Z') || p.skip('z') {
		return 0, true
	}
	sign := 1
	if p.skip('-') {
		sign = -1
	} else if !p.skip('+') {
		p.failed = true
		return 0, false
	}
	hours, minutes := p.digits(2), 0
	if p.i < len(p.s) {
		p.skip(':')
		minutes = p.digits(2)
	}
	if hours > 23 || minutes > 59 {
		p.failed = true
	}
	return sign * (hours*3600 + minutes*60), false
}

// daysIn is the number of days of year.
func daysIn(year int) int {
	if daysInMonth(year, time.February) == 29 {
		return 366
	}
	return 365
}

// daysInMonth is the number of days of month in year.
func daysInMonth(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// isoWeeks is the number of ISO weeks of year (52 or 53): 28 December is always in its last.
func isoWeeks(year int) int {
	_, week := time.Date(year, time.December, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return week
}

// weekDateYearDay is the day of year (from 1; 0 or less, or beyond the year's days, for a day
// in the year before or after) of weekday (1 Monday … 7 Sunday) of ISO week of year. Week 1 is
// the week that holds 4 January.
func weekDateYearDay(year, week, weekday int) int {
	jan4 := int(time.Date(year, time.January, 4, 0, 0, 0, 0, time.UTC).Weekday()+6)%7 + 1 // 1 Monday … 7 Sunday
	return (week-1)*7 + weekday + 4 - jan4
}
