// Package password reads a password from a file or a stream the way faxreport does wherever
// one is given so: a secret mounted as a file (systemd credentials, Kubernetes secrets), or
// standard input.
package password

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxBytes bounds what Read reads: a password file is small, and anything larger is some other
// file given by mistake.
const MaxBytes = 4096

// Read reads the whole of r as a password, with one trailing newline ("\n" or "\r\n") trimmed,
// as editors and "echo" leave one. Its errors say what is wrong without quoting the content:
// nothing to read, a second line, more than MaxBytes, or the reader's own error.
func Read(r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	switch {
	case err != nil:
		return "", err
	case len(data) > MaxBytes:
		return "", fmt.Errorf("holds more than %d bytes, too many for a password", MaxBytes)
	}
	password, newline := strings.CutSuffix(string(data), "\n")
	if newline {
		password = strings.TrimSuffix(password, "\r")
	}
	switch {
	case password == "":
		return "", errors.New("holds no password: it is empty")
	case strings.ContainsAny(password, "\r\n"):
		return "", errors.New("holds more than one line: want the password alone, with at most one newline after it")
	}
	return password, nil
}
