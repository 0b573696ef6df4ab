package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The command reads its configuration as faxreport.ConfigFromEnv does, FAXREPORT_PASSWORD_FILE
// included, with each flag in place of its variable, and names whichever gave a bad value.
func TestCommandReadsTheEnvironmentAsConfigFromEnv(t *testing.T) {
	s, env := fakeEnv(t)
	file := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(file, []byte(s.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	with := func(changes ...string) map[string]string {
		out := map[string]string{}
		for k, v := range env {
			out[k] = v
		}
		for i := 0; i < len(changes); i += 2 {
			out[changes[i]] = changes[i+1]
		}
		return out
	}
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
		code int
		says string
	}{
		{"password file from the environment", with("FAXREPORT_PASSWORD", "", "FAXREPORT_PASSWORD_FILE", file), nil, exitOK, ""},
		{"--password-file wins over FAXREPORT_PASSWORD", with("FAXREPORT_PASSWORD", "wrong-password-123"), []string{"--password-file", file}, exitOK, ""},
		{"--password-file wins over FAXREPORT_PASSWORD_FILE", with("FAXREPORT_PASSWORD", "", "FAXREPORT_PASSWORD_FILE", file+".absent"), []string{"--password-file", file}, exitOK, ""},
		{"both in the environment", with("FAXREPORT_PASSWORD_FILE", file), nil, exitUsage,
			"faxreport: FAXREPORT_PASSWORD_FILE: set together with FAXREPORT_PASSWORD: set one of them\n"},
		{"absent password file", with("FAXREPORT_PASSWORD", "", "FAXREPORT_PASSWORD_FILE", file+".absent"), nil, exitUsage,
			"faxreport: FAXREPORT_PASSWORD_FILE: open " + file + ".absent: no such file or directory\n"},
		{"region from the environment", with("FAXREPORT_REGION", "mars"), nil, exitUsage, "faxreport: FAXREPORT_REGION: unknown region \"mars\""},
		{"region from the flag", with("FAXREPORT_REGION", "mars"), []string{"--region", "venus"}, exitUsage, "faxreport: --region: unknown region \"venus\""},
		{"a bad value and a missing one", with("FAXREPORT_REGION", "mars", "FAXREPORT_USERNAME", ""), nil, exitUsage,
			"faxreport: FAXREPORT_REGION: unknown region \"mars\": want europe, america, switzerland or singapore; missing the user name (--username or FAXREPORT_USERNAME); or try --demo\n"},
	} {
		inv := runCLI(t, c.env, "", append([]string{"get", exampleJob}, c.args...)...)
		if inv.code != c.code || !strings.HasPrefix(inv.stderr, c.says) || (c.code == exitOK) != (inv.stderr == "") {
			t.Errorf("%s: exit %d %q, want %d %q", c.name, inv.code, inv.stderr, c.code, c.says)
		}
	}
}
