package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
)

// serviceLog writes the lines of a long-running command on stderr: "faxreport: MESSAGE", or
// with --json one JSON object per line (slog's JSON handler, as for the library's records), so
// that a log collector can parse every line.
type serviceLog struct {
	w    io.Writer
	json *slog.Logger // nil without --json
}

// serviceLog returns the command's log on stderr.
func (a *app) serviceLog() serviceLog {
	l := serviceLog{w: a.stderr}
	if a.opts.json {
		l.json = slog.New(slog.NewJSONHandler(a.stderr, nil))
	}
	return l
}

// info logs msg; with --json, attrs go with it (without, msg says it all).
func (l serviceLog) info(msg string, attrs ...slog.Attr) {
	l.log(slog.LevelInfo, "faxreport: ", msg, attrs)
}

// warn logs msg as a warning.
func (l serviceLog) warn(msg string, attrs ...slog.Attr) {
	l.log(slog.LevelWarn, "faxreport: warning: ", msg, attrs)
}

func (l serviceLog) log(level slog.Level, prefix, msg string, attrs []slog.Attr) {
	if l.json == nil {
		fmt.Fprintln(l.w, prefix+msg)
		return
	}
	l.json.LogAttrs(context.Background(), level, msg, attrs...)
}

// errorLog is a log.Logger for http.Server.ErrorLog (TLS handshake errors and the like): its
// lines are warnings of this log.
func (l serviceLog) errorLog() *log.Logger {
	if l.json == nil {
		return log.New(l.w, "faxreport: ", 0)
	}
	return slog.NewLogLogger(l.json.Handler(), slog.LevelWarn)
}
