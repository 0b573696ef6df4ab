package password

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

// One trailing newline is trimmed, and only one; what is not a password is refused without
// being quoted.
func TestRead(t *testing.T) {
	for in, want := range map[string]string{
		"s3cret":       "s3cret",
		"s3cret\n":     "s3cret",
		"s3cret\r\n":   "s3cret",
		" s3 cret \n":  " s3 cret ",
		"\ts3cret\t\n": "\ts3cret\t",
	} {
		if got, err := Read(strings.NewReader(in)); err != nil || got != want {
			t.Errorf("%q: %q %v, want %q", in, got, err, want)
		}
	}
	for in, problem := range map[string]string{
		"":                                 "it is empty",
		"\n":                               "it is empty",
		"\r\n":                             "it is empty",
		"s3cret\n\n":                       "more than one line",
		"s3cret\nother\n":                  "more than one line",
		"s3cret\r":                         "more than one line",
		strings.Repeat("s3cret", MaxBytes): "more than 4096 bytes",
	} {
		_, err := Read(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), problem) || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%.20q: %v, want an error saying %q", in, err, problem)
		}
	}
	if _, err := Read(iotest.ErrReader(errors.New("disk on fire"))); err == nil || err.Error() != "disk on fire" {
		t.Errorf("reader's error: %v", err)
	}
}
