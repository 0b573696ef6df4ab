//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes an exclusive flock(2) on f without waiting, held until f is closed (or the
// process ends: no stale lock is left behind). It is advisory: it keeps out another faxreport,
// not a program that does not ask for the lock. A file locked already is errFileHeld.
func lockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errFileHeld
	}
	return err
}
