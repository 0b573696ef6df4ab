package faxreport_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// envOf is the environment that points ConfigFromEnv at s, with the password given as file
// says: "" for FAXREPORT_PASSWORD, else written to that file for FAXREPORT_PASSWORD_FILE.
func envOf(t *testing.T, s *faxtest.Server, fileContent string) map[string]string {
	t.Helper()
	env := map[string]string{
		"FAXREPORT_CUSTNR":    s.CustomerNumber,
		"FAXREPORT_USERNAME":  s.Username,
		"FAXREPORT_ENDPOINTS": strings.Join(s.Endpoints(), " , "),
	}
	if fileContent == "" {
		env["FAXREPORT_PASSWORD"] = s.Password
		return env
	}
	file := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(file, []byte(fileContent), 0o600); err != nil {
		t.Fatal(err)
	}
	env["FAXREPORT_PASSWORD_FILE"] = file
	return env
}

// envErrorVars returns the variables named by the *EnvErrors that err joins, in order.
func envErrorVars(err error) []string {
	var names []string
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return nil
	}
	for _, e := range joined.Unwrap() {
		if envErr, ok := errors.AsType[*faxreport.EnvError](e); ok {
			names = append(names, envErr.Var)
		}
	}
	return names
}

// A Config from the environment reaches the service: the password from FAXREPORT_PASSWORD or
// from the file FAXREPORT_PASSWORD_FILE names, with its one trailing newline trimmed.
func TestConfigFromEnvReachesTheService(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	for name, fileContent := range map[string]string{"variable": "", "file": s.Password, "file with newline": s.Password + "\n", "file with CRLF": s.Password + "\r\n"} {
		env := envOf(t, s, fileContent)
		cfg, err := faxreport.ConfigFromEnv(func(k string) string { return env[k] })
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if cfg.Password != s.Password || !slices.Equal(cfg.Endpoints, s.Endpoints()) || cfg.Region != "" {
			t.Fatalf("%s: %v", name, cfg)
		}
		client, err := faxreport.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.GetStatusReport(context.Background(), "FJJ66GHGX105ZZBIELVCN1"); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	cfg, err := faxreport.ConfigFromEnv(func(k string) string {
		return map[string]string{"FAXREPORT_CUSTNR": "1", "FAXREPORT_USERNAME": "u", "FAXREPORT_PASSWORD": "p", "FAXREPORT_REGION": " America "}[k]
	})
	if err != nil || cfg.Region != faxreport.RegionAmerica || cfg.Endpoints != nil {
		t.Fatalf("region: %v %v", cfg, err)
	}
}

// Each variable that cannot be used is a typed error that names it and matches
// ErrInvalidArgument, all of them at once; none quotes the password.
func TestConfigFromEnvErrorsNameTheVariable(t *testing.T) {
	const secret = "pa55-secret-word"
	s := faxtest.NewServer(faxtest.Options{T: t})
	missingFile := filepath.Join(t.TempDir(), "absent")
	for _, c := range []struct {
		name   string
		change map[string]string // "" removes the variable
		file   string            // the password file's content, when there is one
		vars   []string
		says   string
	}{
		{"nothing set", map[string]string{"FAXREPORT_CUSTNR": "", "FAXREPORT_USERNAME": "", "FAXREPORT_PASSWORD": ""}, "",
			[]string{"FAXREPORT_CUSTNR", "FAXREPORT_USERNAME", "FAXREPORT_PASSWORD"}, "FAXREPORT_CUSTNR is not set"},
		{"unknown region", map[string]string{"FAXREPORT_REGION": "mars"}, "", []string{"FAXREPORT_REGION"}, `unknown region "mars"`},
		{"empty endpoint", map[string]string{"FAXREPORT_ENDPOINTS": "https://a.example/rest/v1,,"}, "", []string{"FAXREPORT_ENDPOINTS"}, "entry 2 of 3 is empty"},
		{"plain http", map[string]string{"FAXREPORT_ENDPOINTS": "http://u:" + secret + "@a.example/rest/v1"}, "", []string{"FAXREPORT_ENDPOINTS"}, "is plain http"},
		{"both passwords", map[string]string{"FAXREPORT_PASSWORD": secret}, secret, []string{"FAXREPORT_PASSWORD_FILE"}, "set together with FAXREPORT_PASSWORD"},
		{"no password file", map[string]string{"FAXREPORT_PASSWORD": "", "FAXREPORT_PASSWORD_FILE": missingFile}, "", []string{"FAXREPORT_PASSWORD_FILE"}, "no such file"},
		{"empty password file", nil, "\n", []string{"FAXREPORT_PASSWORD_FILE"}, "holds no password: it is empty"},
		{"two lines", nil, secret + "\n" + secret + "\n", []string{"FAXREPORT_PASSWORD_FILE"}, "holds more than one line"},
	} {
		env := envOf(t, s, c.file)
		for k, v := range c.change {
			if v == "" {
				delete(env, k)
			} else {
				env[k] = v
			}
		}
		_, err := faxreport.ConfigFromEnv(func(k string) string { return env[k] })
		if got := envErrorVars(err); !slices.Equal(got, c.vars) || !errors.Is(err, faxreport.ErrInvalidArgument) ||
			!strings.Contains(err.Error(), c.says) || strings.Contains(err.Error(), secret) {
			t.Errorf("%s: %v (variables %q), want %q saying %q", c.name, err, got, c.vars, c.says)
		}
	}
	env := envOf(t, s, "")
	delete(env, "FAXREPORT_PASSWORD")
	env["FAXREPORT_PASSWORD_FILE"] = missingFile
	if _, err := faxreport.ConfigFromEnv(func(k string) string { return env[k] }); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v does not match fs.ErrNotExist", err)
	}
}
