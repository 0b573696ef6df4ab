package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const unitsDir = "../../deploy/systemd"

// unitLines returns the "Key=value" lines of a unit file, comments left out.
func unitLines(t *testing.T, name string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(unitsDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for line := range strings.Lines(string(data)) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") && !strings.HasPrefix(line, "[") {
			lines = append(lines, line)
		}
	}
	return lines
}

// The units are hardened, take the password from a credential file, keep their output in a
// state directory, the drain's count its stop by signal (exit 130, 143) as no failure (listen
// exits 0 on SIGTERM, so its unit has no such exception), and the timer runs nightly and
// catches up on a missed run.
func TestSystemdUnitsSayWhatTheyMust(t *testing.T) {
	hardened := []string{"DynamicUser=yes", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
		"CapabilityBoundingSet=", "SystemCallFilter=@system-service", "LoadCredential=password:/etc/faxreport/password",
		"Environment=FAXREPORT_PASSWORD_FILE=%d/password"}
	for unit, want := range map[string][]string{
		"faxreport-listen.service": append([]string{"StateDirectory=faxreport-listen", "Restart=on-failure"}, hardened...),
		"faxreport-drain.service":  append([]string{"StateDirectory=faxreport-drain", "Type=oneshot", "SuccessExitStatus=130 143"}, hardened...),
		"faxreport-drain.timer":    {"OnCalendar=*-*-* 02:30:00", "Persistent=true", "WantedBy=timers.target"},
	} {
		lines := unitLines(t, unit)
		for _, w := range want {
			if !strings.Contains("\n"+strings.Join(lines, "\n")+"\n", "\n"+w+"\n") {
				t.Errorf("%s lacks %q", unit, w)
			}
		}
	}
	for _, line := range unitLines(t, "faxreport-listen.service") {
		if strings.HasPrefix(line, "SuccessExitStatus=") {
			t.Errorf("faxreport-listen.service has %q: listen exits 0 on SIGTERM, and 1 when it could not finish", line)
		}
	}
}

// systemd-analyze verify finds nothing to say about the units, with their ExecStart pointed at
// the built command; and each ExecStart's flags are ones the command knows.
func TestSystemdUnitsVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("no systemd-analyze on this machine")
	}
	bin, _ := builtBinary(t)
	dir := t.TempDir()
	units, err := filepath.Glob(filepath.Join(unitsDir, "*"))
	if err != nil || len(units) != 3 {
		t.Fatalf("units %q: %v", units, err)
	}
	var copies []string
	for _, unit := range units {
		data, err := os.ReadFile(unit)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(data), "/usr/local/bin/faxreport", bin)
		copies = append(copies, filepath.Join(dir, filepath.Base(unit)))
		if err := os.WriteFile(copies[len(copies)-1], []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(text) {
			command, ok := strings.CutPrefix(strings.TrimSpace(line), "ExecStart="+bin+" ")
			if !ok {
				continue
			}
			args := append(strings.Fields(strings.ReplaceAll(command, "%d", dir)), "--help")
			if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
				t.Errorf("%s: faxreport %q: %v\n%s", filepath.Base(unit), args, err, out)
			}
		}
	}
	verify := func(files ...string) (string, error) {
		out, err := exec.Command(analyze, append([]string{"verify", "--man=no"}, files...)...).CombinedOutput()
		return string(out), err
	}
	if out, err := verify(copies...); err != nil || out != "" {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	// The check can fail: a misspelt key is reported, and so is a missing executable.
	for i, broken := range []func(string) string{
		func(s string) string { return strings.Replace(s, "NoNewPrivileges=", "NoNewPrivilege=", 1) },
		func(s string) string { return strings.ReplaceAll(s, bin, bin+".absent") },
	} {
		data, _ := os.ReadFile(filepath.Join(dir, "faxreport-drain.service"))
		file := filepath.Join(dir, "broken"+string(rune('a'+i))+".service")
		if err := os.WriteFile(file, []byte(broken(string(data))), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := verify(file); err == nil && out == "" {
			t.Errorf("systemd-analyze verify found nothing wrong with broken unit %d", i)
		}
	}
}
