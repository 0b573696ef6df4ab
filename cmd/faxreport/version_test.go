package main

import (
	"encoding/json"
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
)

// --version and version print the library's version and what the build recorded; -v is left
// free, and version takes no arguments.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		inv := runCLI(t, nil, "", args...)
		if inv.code != exitOK || !strings.HasPrefix(inv.stdout, "faxreport "+faxreport.Version+" (") || !strings.Contains(inv.stdout, " go1.") {
			t.Errorf("%q: exit %d %q %q", args, inv.code, inv.stdout, inv.stderr)
		}
	}
	if inv := runCLI(t, nil, "", "-v"); inv.code != exitUsage {
		t.Errorf("-v: exit %d: -v is left free", inv.code)
	}
	if inv := runCLI(t, nil, "", "version", "extra"); inv.code != exitUsage {
		t.Errorf("version extra: exit %d", inv.code)
	}
}

// The version line names the module version, the commit and whether the tree was modified,
// from the build information; what the build did not record is left out.
func TestVersionFromBuildInfo(t *testing.T) {
	settings := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.modified", Value: modified}}
	}
	for _, c := range []struct {
		info *debug.BuildInfo
		want string
	}{
		{&debug.BuildInfo{GoVersion: "go1.99.1", Main: debug.Module{Version: "v0.2.0"}, Settings: settings("false")},
			"(module v0.2.0, commit 0123abcd, tree clean, go1.99.1 "},
		{&debug.BuildInfo{GoVersion: "go1.99.1", Main: debug.Module{Version: "(devel)"}, Settings: settings("true")},
			"(module (devel), commit 0123abcd, tree modified, go1.99.1 "},
		{&debug.BuildInfo{GoVersion: "go1.99.1"}, "(go1.99.1 "},
		{nil, "(go1."},
	} {
		if got := newBuildInfo(c.info).String(); !strings.HasPrefix(got, "faxreport "+faxreport.Version+" "+c.want) {
			t.Errorf("%+v: %q, want it to start %q", c.info, got, c.want)
		}
	}
}

// A binary built from a git checkout names its commit, and says the tree was clean, in
// --version, version and version --json alike.
func TestVersionOfBinaryNamesItsCommit(t *testing.T) {
	bin, revision := builtBinary(t)
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out, err := exec.Command(bin, args...).Output()
		if want := "commit " + revision + ", tree clean, go1."; err != nil || !strings.Contains(string(out), want) {
			t.Errorf("%q: %v %q, want %q in it", args, err, out, want)
		}
	}
	out, err := exec.Command(bin, "version", "--json").Output()
	var info buildInfo
	if err != nil || json.Unmarshal(out, &info) != nil || info.Revision != revision || info.Modified == nil || *info.Modified ||
		info.Version != faxreport.Version || !strings.HasPrefix(info.Go, "go1.") || info.Module == "" {
		t.Errorf("version --json: %v %s", err, out)
	}
}
