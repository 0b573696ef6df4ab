package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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
// One file should have one writer: lines are appended (O_APPEND), and a line written in part is
// cut off again back to the file's size just before that write, which keeps whatever another
// process had appended until then, but a line another process appends while this one's write
// is failing may be cut with it. Give each listen or drain a file of its own.
type reportSink struct {
	mu     sync.Mutex
	w      io.Writer
	file   *os.File // nil for stdout
	err    error    // a write that could not be undone: every write that follows fails with it
	closed bool
}

// openSink opens path for appending, creating it (readable by its owner only: reports hold
// fax numbers) if need be, or returns a sink on stdout when path is empty.
func openSink(path string, stdout io.Writer) (*reportSink, error) {
	if path == "" {
		return &reportSink{w: stdout}, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, usagef("--out: %v", err)
	}
	syncDir(filepath.Dir(path)) // so that a file just created survives a crash too
	return &reportSink{w: f, file: f}, nil
}

// syncDir syncs a directory's entries, where the system allows it (not on Windows): best effort.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
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
		return fmt.Errorf("--out: %w", err) // nothing written, nothing to undo
	}
	if _, err = s.w.Write(line); err == nil {
		err = s.file.Sync()
	}
	if err != nil {
		if cut := s.file.Truncate(info.Size()); cut != nil {
			s.err = fmt.Errorf("--out: a write failed (%w) and could not be undone: %w", err, cut)
			return s.err
		}
		return fmt.Errorf("--out: %w", err)
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
		return fmt.Errorf("--out: %w", err)
	}
	return nil
}
