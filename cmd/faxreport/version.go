package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/faxreport/faxreport"
)

// buildInfo is what the binary knows about itself: the library's version, and what the Go
// toolchain recorded when it built the binary (debug.ReadBuildInfo).
type buildInfo struct {
	Version  string `json:"version"`            // faxreport.Version, as in the User-Agent
	Module   string `json:"module,omitempty"`   // the main module's version, "(devel)" for a checkout
	Revision string `json:"revision,omitempty"` // the VCS commit, when built from a checkout
	Modified *bool  `json:"modified,omitempty"` // whether that checkout had uncommitted changes
	Go       string `json:"go"`                 // the Go version that built the binary
	Platform string `json:"platform"`           // GOOS/GOARCH
}

// readBuildInfo gathers the binary's buildInfo.
func readBuildInfo() buildInfo {
	info, _ := debug.ReadBuildInfo() // nil (and false) only in a binary built without module support
	return newBuildInfo(info)
}

// newBuildInfo reads the module version and the VCS settings of info, which may be nil.
func newBuildInfo(info *debug.BuildInfo) buildInfo {
	b := buildInfo{Version: faxreport.Version, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if info == nil {
		return b
	}
	b.Module = info.Main.Version
	if info.GoVersion != "" {
		b.Go = info.GoVersion
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.modified":
			modified := s.Value == "true"
			b.Modified = &modified
		}
	}
	return b
}

// String is the one line that --version and the version command print, such as
// "faxreport 0.1.0 (module (devel), commit 68f4d33…, tree clean, go1.26.8 linux/amd64)".
func (b buildInfo) String() string {
	var parts []string
	if b.Module != "" {
		parts = append(parts, "module "+b.Module)
	}
	if b.Revision != "" {
		parts = append(parts, "commit "+b.Revision)
	}
	if b.Modified != nil {
		parts = append(parts, map[bool]string{false: "tree clean", true: "tree modified"}[*b.Modified])
	}
	parts = append(parts, b.Go+" "+b.Platform)
	return fmt.Sprintf("faxreport %s (%s)", b.Version, strings.Join(parts, ", "))
}

func newVersionCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of faxreport and how it was built",
		Long: `Prints the version of faxreport (the one its User-Agent sends) and what the binary knows
of its build: the module version; for a binary built from a git checkout, the commit and
whether the tree had uncommitted changes (go build records them unless -buildvcs=false); and
the Go version. With --json, one object with the keys version, module, revision, modified, go
and platform.`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error {
			info := readBuildInfo()
			if !a.opts.json {
				fmt.Fprintln(a.stdout, info)
				return nil
			}
			line, err := json.Marshal(info)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(a.stdout, "%s\n", line)
			return err
		},
	}
}
