//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

import "os"

// lockFile does nothing where flock(2) is not available: two runs on one file are not kept
// apart there.
func lockFile(*os.File) error { return nil }
