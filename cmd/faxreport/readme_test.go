package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// Every --demo command the README shows works as written, its first one included.
func TestREADMEDemoCommands(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	commands := regexp.MustCompile("(?:go run ./cmd/faxreport|faxreport) ([^`#\n]*--demo[^`#\n]*)").FindAllStringSubmatch(string(readme), -1)
	if len(commands) < 2 || !strings.HasPrefix(commands[0][0], "go run ./cmd/faxreport get --demo FJJ66GHGX105ZZBIELVCN1") {
		t.Fatalf("README's demo commands: %q", commands)
	}
	for _, c := range commands {
		args := strings.Fields(c[1])
		if inv := runCLI(t, nil, "", args...); inv.code != exitOK || inv.stderr != "" {
			t.Errorf("README's %q: exit %d %s", c[0], inv.code, inv.stderr)
		}
	}
}
