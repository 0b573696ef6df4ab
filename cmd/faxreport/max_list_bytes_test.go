package main

import (
	"strings"
	"testing"
)

// --max-list-bytes caps a listing: one over it fails as an answer outside the contract, one
// under it lists; a negative cap is a usage error.
func TestMaxListBytesCapsAListing(t *testing.T) {
	_, _, env := seededEnv(t, 5)
	if inv := runCLI(t, env, "", "list", "--max-list-bytes", "100"); inv.code != exitInvalid || !strings.Contains(inv.stderr, "too large") {
		t.Fatalf("exit %d %q, want %d and a body too large", inv.code, inv.stderr, exitInvalid)
	}
	if inv := runCLI(t, env, "", "list", "--max-list-bytes", "100000"); inv.code != exitOK {
		t.Fatalf("exit %d %q", inv.code, inv.stderr)
	}
	if inv := runCLI(t, env, "", "list", "--max-list-bytes", "-1"); inv.code != exitUsage {
		t.Fatalf("exit %d %q, want %d", inv.code, inv.stderr, exitUsage)
	}
}
