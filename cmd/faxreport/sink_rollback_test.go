package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// halfWriter writes half of each line to the file, then fails, as a full disk may.
type halfWriter struct{ f *os.File }

func (h halfWriter) Write(b []byte) (int, error) {
	n, _ := h.f.Write(b[:len(b)/2])
	return n, errors.New("no space left on device")
}

// A failed write is cut off back to the file's size just before it, not to a size remembered
// from earlier: a line another process appended since stays.
func TestSinkRollbackKeepsLinesAppendedByOthers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reports.ndjson")
	a := &app{stderr: io.Discard}
	sink, err := a.openSink("--out", path)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.close()
	if err := sink.writeWithin(t.Context(), []byte("{\"mine\":1}\n")); err != nil {
		t.Fatal(err)
	}
	other, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.WriteString("{\"other\":1}\n"); err != nil {
		t.Fatal(err)
	}
	other.Close()
	sink.w = halfWriter{sink.file}
	if err := sink.writeWithin(t.Context(), []byte("{\"mine\":2}\n")); err == nil {
		t.Fatal("the failed write succeeded")
	}
	sink.w = sink.file
	if err := sink.writeWithin(t.Context(), []byte("{\"mine\":3}\n")); err != nil {
		t.Fatalf("the write after an undone one failed: %v", err)
	}
	got, err := os.ReadFile(path)
	if want := "{\"mine\":1}\n{\"other\":1}\n{\"mine\":3}\n"; err != nil || string(got) != want {
		t.Fatalf("file %q (%v), want %q", got, err, want)
	}
}
