package main

import (
	"io"
	"sync"
)

// lockedWriter is stderr shared by the command and the library's logger (--verbose), whose
// records come from any goroutine. It serialises the writes and, once closed, drops them: a
// request of the library that straggles on after the command has returned (see the client's
// straggler grace) logs nothing into a stream its caller has taken back.
type lockedWriter struct {
	mu     sync.Mutex
	w      io.Writer
	closed bool
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return len(p), nil
	}
	return l.w.Write(p)
}

// close makes the writes that follow do nothing.
func (l *lockedWriter) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
}
