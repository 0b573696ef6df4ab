package main

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/faxreport/faxreport"
)

// quarantine is drain's --invalid file: the listed reports that break the API contract, kept
// as the API sent them, one JSON object per line, each page's synced before it is deleted.
type quarantine struct {
	sink *reportSink
	path string
	n    int // reports written; the handlers are never called concurrently
}

// quarantineLine is one line of the --invalid file.
type quarantineLine struct {
	JobID      string `json:"jobId"`
	DataCenter string `json:"dataCenter"`
	Error      string `json:"error"`
	// Report is the report as the API sent it: its JSON when it parses, else a string of its
	// bytes.
	Report any `json:"report"`
}

// openQuarantine opens path as --invalid, as --out is opened: locked for the whole run.
func (a *app) openQuarantine(path string) (*quarantine, error) {
	sink, err := a.openSink("--invalid", path)
	if err != nil {
		return nil, err
	}
	return &quarantine{sink: sink, path: path}, nil
}

// write appends the reports, one line each, syncs them and checks that the path still names
// the file written: only then may they be deleted. It fails when ctx ends before the write
// returns (see reportSink.writeWithin).
func (q *quarantine) write(ctx context.Context, reports []faxreport.InvalidReport) error {
	var lines bytes.Buffer
	for _, r := range reports {
		var report any = string(r.JSON)
		if json.Valid(r.JSON) {
			report = r.JSON
		}
		line, err := json.Marshal(quarantineLine{r.JobID, r.DataCenter, message(r.Err), report})
		if err != nil {
			return err
		}
		lines.Write(append(line, '\n'))
	}
	if err := q.sink.writeWithin(ctx, lines.Bytes()); err != nil {
		return err
	}
	q.n += len(reports)
	return q.sink.stillAt()
}

// count returns how many reports were written.
func (q *quarantine) count() int { return q.n }

// closeWithin closes the file, giving up on a write still blocked when ctx ends (see
// reportSink.closeWithin).
func (q *quarantine) closeWithin(ctx context.Context) error { return q.sink.closeWithin(ctx) }
