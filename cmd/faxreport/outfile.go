package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// errFileHeld is matched by the error of opening an output file that another faxreport holds.
var errFileHeld = errors.New("another faxreport drain or listen holds this file (an advisory lock): give each run a file of its own, or wait for it to end")

// openOutFile opens path, an output file of drain or listen (--out, --invalid), for appending:
// a regular file, created readable by its owner only (reports hold fax numbers), locked for as
// long as it is open, and ending with a whole line. It refuses what is not a regular file
// (a directory, a device such as /dev/stdout, a pipe: none can be synced to disk) before
// anything is written, and a file another faxreport holds (errFileHeld). An unterminated last
// line, left by a run killed mid-write, is ended or cut (see endLastLine) and warn says which.
// flag names the file in errors and warnings.
func openOutFile(flag, path string, warn func(string)) (*os.File, error) {
	if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
		return nil, usagef("%s %s is %s, not a regular file: reports go to a file, synced to disk before anything is deleted", flag, path, fileKind(info.Mode()))
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, usagef("%s: %v", flag, err)
	}
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() { // replaced since the check
		f.Close()
		return nil, usagef("%s %s is not a regular file: reports go to a file, synced to disk before anything is deleted", flag, path)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s %s: %w", flag, path, err)
	}
	note, err := endLastLine(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s %s: %w", flag, path, err)
	}
	if note != "" {
		warn(fmt.Sprintf("%s %s %s", flag, path, note))
	}
	syncDir(filepath.Dir(path)) // so that a file just created survives a crash too
	return f, nil
}

// fileKind names what a file that is not a regular file is.
func fileKind(mode os.FileMode) string {
	switch {
	case mode.IsDir():
		return "a directory"
	case mode&os.ModeCharDevice != 0, mode&os.ModeDevice != 0:
		return "a device"
	case mode&os.ModeNamedPipe != 0:
		return "a named pipe"
	case mode&os.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}

// syncDir syncs a directory's entries, where the system allows it (not on Windows): best effort.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// endLastLine makes f, opened for reading and appending, end with a newline (or be empty), so
// that the next line appended is a line of its own, and says what it did ("" for nothing). An
// unterminated last line that is a whole JSON value (a writer that did not end its line) is
// ended with a newline; one that is not (a write cut short: a run killed mid-write, a full
// disk) is cut off. Cutting loses no report: drain deletes, and listen acknowledges, a report
// only once its whole line is synced, so the report of a cut line is still in the API.
func endLastLine(f *os.File) (string, error) {
	info, err := f.Stat()
	if err != nil {
		return "", err
	}
	size := info.Size()
	start, err := lastLineStart(f, size)
	if err != nil || start == size {
		return "", err
	}
	tail := make([]byte, size-start)
	if _, err := f.ReadAt(tail, start); err != nil {
		return "", fmt.Errorf("reading its last line: %w", err)
	}
	if json.Valid(tail) {
		if _, err := f.Write([]byte("\n")); err != nil {
			return "", fmt.Errorf("ending its last line: %w", err)
		}
		if err := f.Sync(); err != nil {
			return "", err
		}
		return "ended with an unterminated line, a whole JSON value: ended it with a newline", nil
	}
	if err := f.Truncate(start); err != nil {
		return "", fmt.Errorf("cutting off its unterminated last line: %w", err)
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	return fmt.Sprintf("ended with an unterminated line of %d bytes that is no JSON value (a write cut short): cut it off; its report had not been deleted or acknowledged", len(tail)), nil
}

// lastLineStart returns the offset just past the last newline in the first size bytes of f
// (0 if there is none), reading backwards a block at a time.
func lastLineStart(f *os.File, size int64) (int64, error) {
	const block = 64 << 10
	buf := make([]byte, block)
	for end := size; end > 0; {
		start := max(end-block, 0)
		chunk := buf[:end-start]
		if _, err := f.ReadAt(chunk, start); err != nil && !errors.Is(err, io.EOF) {
			return 0, fmt.Errorf("reading its last line: %w", err)
		}
		if i := bytes.LastIndexByte(chunk, '\n'); i >= 0 {
			return start + int64(i) + 1, nil
		}
		end = start
	}
	return 0, nil
}
