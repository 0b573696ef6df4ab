package main

import (
	"fmt"
	"log/slog"
)

// warn prints a warning on stderr: a line "faxreport: warning: msg", or with --json a JSON log
// record at level WARN, as the library's warnings are.
func (a *app) warn(msg string) {
	if a.opts.json {
		slog.New(slog.NewJSONHandler(a.stderr, nil)).Warn(msg)
		return
	}
	fmt.Fprintln(a.stderr, "faxreport: warning: "+msg)
}
