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

// reportSink is where listen writes the reports: a file, each line synced to disk before write
// returns, or stdout. Writes come from concurrent pushes and are serialised; once closed, it
// refuses them, so that a push still running after the command has returned writes nothing.
type reportSink struct {
	mu     sync.Mutex
	w      io.Writer
	file   *os.File // nil for stdout
	size   int64    // of file: where the next line starts
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
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, usagef("--out: %v", err)
	}
	syncDir(filepath.Dir(path)) // so that a file just created survives a crash too
	return &reportSink{w: f, file: f, size: info.Size()}, nil
}

// syncDir syncs a directory's entries, where the system allows it (not on Windows): best effort.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// write appends one line, and for a file syncs it to disk. A line written in part is cut off
// again, so that the next line starts on a line of its own.
func (s *reportSink) write(line []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return errSinkClosed
	case s.err != nil:
		return s.err
	}
	_, err := s.w.Write(line)
	if s.file == nil {
		return err
	}
	if err == nil {
		err = s.file.Sync()
	}
	if err != nil {
		if cut := s.file.Truncate(s.size); cut != nil {
			s.err = fmt.Errorf("--out: a write failed (%w) and could not be undone: %w", err, cut)
			return s.err
		}
		return fmt.Errorf("--out: %w", err)
	}
	s.size += int64(len(line))
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
