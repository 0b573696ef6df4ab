package main

import (
	"io"
	"log/slog"
	"strings"
	"time"
)

// newLogger returns the logger the command hands to the library: its warnings (a push answered
// with an error, two data centers that disagree) always, and with verbose a record of every
// HTTP attempt; text on w, or JSON with asJSON. Its records are tidied by tidyAttr.
func newLogger(w io.Writer, asJSON, verbose bool) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelWarn, ReplaceAttr: tidyAttr}
	if verbose {
		opts.Level = slog.LevelDebug
	}
	if asJSON {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// tidyAttr keeps the records of one kind alike, so that a log collector can rely on them:
//   - a duration is a string with its unit ("1.995ms"), not JSON's bare nanoseconds;
//   - an error, or an attribute's text, carries no "faxreport: " prefix: the message names the
//     source once;
//   - an empty job (a call about many jobs) is left out rather than logged as "";
//   - a list of job IDs is [] when empty, never null.
func tidyAttr(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && (a.Key == slog.TimeKey || a.Key == slog.LevelKey || a.Key == slog.MessageKey) {
		return a
	}
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindDuration:
		return slog.String(a.Key, roundDuration(v.Duration()).String())
	case slog.KindString:
		if a.Key == "job" && v.String() == "" {
			return slog.Attr{}
		}
		return slog.String(a.Key, strings.ReplaceAll(v.String(), "faxreport: ", ""))
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, message(x))
		case []string:
			if x == nil {
				return slog.Any(a.Key, []string{})
			}
		}
	}
	return a
}

// roundDuration keeps a duration's three significant decimals: 1.994571ms is 1.995ms.
func roundDuration(d time.Duration) time.Duration {
	for _, unit := range []time.Duration{time.Second, time.Millisecond, time.Microsecond} {
		if d >= unit {
			return d.Round(unit / 1000)
		}
	}
	return d
}
