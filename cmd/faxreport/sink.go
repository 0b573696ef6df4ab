package main

import (
	"context"
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
// writes nothing. writeWithin and closeWithin give up when their context ends, so that an
// output that blocks (stdout that nobody reads) holds neither a push nor the shutdown.
//
// One file has one writer: the file is locked while it is open (flock, advisory), so that a
// second faxreport on it fails at once. Lines are appended (O_APPEND), and a line written in
// part is cut off again back to the file's size just before that write, which keeps whatever
// another process (one that ignores the lock) had appended until then, but a line it appends
// while this one's write is failing may be cut with it.
type reportSink struct {
	turn chan struct{} // holds a token while a write runs: one at a time, waited for with a context
	w    io.Writer
	file *os.File // nil for stdout

	mu      sync.Mutex // guards what follows; never held during a write
	err     error      // a write that could not be undone: every write that follows fails with it
	closed  bool
	stalled bool   // a write whose caller gave up on it is still blocked
	flag    string // the flag that named it, for errors: --out, --invalid
	path    string // the file's path, "" for stdout
}

// openSink opens path (see openOutFile) as the file of flag (--out, --invalid), or returns a
// sink on stdout when path is empty. Its warnings go to stderr, as JSON with --json.
func (a *app) openSink(flag, path string) (*reportSink, error) {
	if path == "" {
		return &reportSink{turn: make(chan struct{}, 1), w: a.stdout, flag: flag}, nil
	}
	f, err := openOutFile(flag, path, a.warn)
	if _, usage := errors.AsType[*usageError](err); err != nil && !usage {
		return nil, a.fail(err) // exit code 1: another run holds the file, or it cannot be read
	} else if err != nil {
		return nil, err
	}
	return &reportSink{turn: make(chan struct{}, 1), w: fileWriter(f), file: f, flag: flag, path: path}, nil
}

// fileWriter is what a sink writes its file's lines through: the file itself. The tests replace
// it with a writer that blocks, as a write to a hung NFS mount does.
var fileWriter = func(f *os.File) io.Writer { return f }

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

// writeWithin appends one line, and for a file syncs it to disk, or fails when ctx ends first.
// A write still blocked then goes on in the background and holds the sink until it returns;
// its caller gets an error, so never acknowledges the line, and the writes that follow wait for
// it within their own contexts. Whatever the outcome, the next line starts on a line of its own.
func (s *reportSink) writeWithin(ctx context.Context, line []byte) error {
	select {
	case s.turn <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("output blocked: an earlier write has not returned: %w", ctx.Err())
	}
	if err := s.ready(); err != nil {
		<-s.turn
		return err
	}
	var (
		done     = make(chan error, 1)
		finished bool // guarded by s.mu
	)
	go func() {
		err := s.put(line)
		s.mu.Lock()
		finished, s.stalled = true, false
		s.mu.Unlock()
		<-s.turn // after stalled is cleared, so that the next write does not find it set
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if finished { // returned just now: its outcome stands
		return <-done
	}
	s.stalled = true
	return fmt.Errorf("output blocked: the write did not return in time (its lines may still be written; their reports were neither acknowledged nor deleted, so they come again): %w", ctx.Err())
}

// ready returns why a line cannot be written now (the sink is closed or broken, or a write
// is blocked), or nil. A caller that holds the turn finds no write blocked.
func (s *reportSink) ready() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return errSinkClosed
	case s.err != nil:
		return s.err
	case s.stalled:
		return errors.New("output blocked: a write has not returned")
	}
	return nil
}

// put writes the line, the caller holding the turn. A line written in part to a file is cut
// off again, back to the file's size taken just before the write (not one remembered from
// earlier, which would cut what another process appended since); one written in part to stdout
// cannot be, and breaks the sink, lest the next line be glued to it.
func (s *reportSink) put(line []byte) error {
	if s.file == nil {
		n, err := s.w.Write(line)
		if err != nil && n > 0 {
			return s.broken(fmt.Errorf("stdout: a line was written in part (%d of %d bytes): %w", n, len(line), err))
		}
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
			return s.broken(fmt.Errorf("%s: a write failed (%w) and could not be undone: %w", s.flag, err, cut))
		}
		return fmt.Errorf("%s: %w", s.flag, err)
	}
	return nil
}

// broken makes err the outcome of every write that follows, and returns it.
func (s *reportSink) broken(err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
	return err
}

// close makes the writes that follow fail and closes the file: closeWithin without a deadline.
func (s *reportSink) close() error {
	return s.closeWithin(context.Background())
}

// closeWithin makes the writes that follow fail and closes the file once the write in progress,
// if any, has returned; when ctx ends first, it leaves the file to that write and says so. Only
// the first call does it.
func (s *reportSink) closeWithin(ctx context.Context) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	select {
	case s.turn <- struct{}{}: // a free turn is taken even when ctx has ended already
	default:
		select {
		case s.turn <- struct{}{}:
		case <-ctx.Done():
			return fmt.Errorf("output blocked: a write had not returned when the command stopped (its push was not answered 2xx): %w", ctx.Err())
		}
	}
	defer func() { <-s.turn }()
	if s.file == nil {
		return nil
	}
	if err := s.file.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
		return fmt.Errorf("%s: %w", s.flag, err)
	}
	return nil
}
