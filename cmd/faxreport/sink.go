package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// errSinkClosed refuses a report written after the output was closed: its push is answered
// 503 (if at all), and the sender pushes again.
var errSinkClosed = errors.New("output closed: shutting down")

// reportSink is where listen and drain write the reports (--out): a file, each line synced to
// disk before write returns, or stdout. Writes come from concurrent pushes and are serialised;
// once closed, it refuses them, so that a push still running after the command has returned
// writes nothing.
//
// One file has one writer: the file is locked while it is open (flock, advisory), so that a
// second faxreport on it fails at once. Lines are appended (O_APPEND), and a line written in
// part is cut off again back to the file's size just before that write, which keeps whatever
// another process (one that ignores the lock) had appended until then, but a line it appends
// while this one's write is failing may be cut with it.
type reportSink struct {
	mu     sync.Mutex
	w      io.Writer
	file   *os.File // nil for stdout
	flag   string   // the flag that named it, for errors: --out, --invalid
	path   string   // the file's path, "" for stdout
	err    error    // a write that could not be undone: every write that follows fails with it
	closed bool
}

// openSink opens path (see openOutFile) as the file of flag (--out, --invalid), or returns a
// sink on stdout when path is empty. Its warnings go to stderr, as JSON with --json.
func (a *app) openSink(flag, path string) (*reportSink, error) {
	if path == "" {
		return &reportSink{w: a.stdout, flag: flag}, nil
	}
	f, err := openOutFile(flag, path, a.warn)
	if _, usage := errors.AsType[*usageError](err); err != nil && !usage {
		return nil, a.fail(err) // exit code 1: another run holds the file, or it cannot be read
	} else if err != nil {
		return nil, err
	}
	return &reportSink{w: f, file: f, flag: flag, path: path}, nil
}

// stillAt returns an error unless the sink's path still names the file it writes (the same
// device and inode): a file renamed, replaced or deleted since it was opened would take the
// lines that follow where nobody looks for them.
func (s *reportSink) stillAt() error {
	mine, err := s.file.Stat()
	if err != nil {
		return fmt.Errorf("%s: %w", s.flag, err)
	}
	named, err := os.Stat(s.path)
	if err != nil || !os.SameFile(mine, named) {
		return fmt.Errorf("%s %s no longer names the file this run writes (renamed, replaced or deleted while it ran): stopped, with nothing of this page deleted; its lines are in the file that was there", s.flag, s.path)
	}
	return nil
}

// write appends one line, and for a file syncs it to disk. A line written in part is cut off
// again, back to the file's size taken just before the write (not one remembered from earlier,
// which would cut what another process appended since), so that the next line starts on a line
// of its own.
func (s *reportSink) write(line []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return errSinkClosed
	case s.err != nil:
		return s.err
	}
	if s.file == nil {
		_, err := s.w.Write(line)
		return err
	}
	info, err := s.file.Stat()
	if err != nil {
		return fmt.Errorf("%s: %w", s.flag, err) // nothing written, nothing to undo
	}
	if _, err = s.w.Write(line); err == nil {
		err = s.file.Sync()
	}
	if err != nil {
		if cut := s.file.Truncate(info.Size()); cut != nil {
			s.err = fmt.Errorf("%s: a write failed (%w) and could not be undone: %w", s.flag, err, cut)
			return s.err
		}
		return fmt.Errorf("%s: %w", s.flag, err)
	}
	return nil
}

// close makes the writes that follow fail and closes the file. Only the first call does it.
func (s *reportSink) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.file == nil {
		return nil
	}
	if err := s.file.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
		return fmt.Errorf("%s: %w", s.flag, err)
	}
	return nil
}
