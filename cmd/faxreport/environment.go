package main

import (
	"cmp"
	"errors"
	"strings"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/internal/password"
)

// envFlags names the flag that overrides each FAXREPORT_* variable that has one.
var envFlags = map[string]string{
	"FAXREPORT_CUSTNR":        "--custnr",
	"FAXREPORT_USERNAME":      "--username",
	"FAXREPORT_PASSWORD_FILE": "--password-file",
	"FAXREPORT_REGION":        "--region",
	"FAXREPORT_ENDPOINTS":     "--endpoints",
}

// flagsOverEnv returns the lookup that the command hands to faxreport.ConfigFromEnv, the one
// reader of the configuration: each given flag in place of its variable (--password-file in
// place of FAXREPORT_PASSWORD too; "-" reads the password from standard input), and fromFlag,
// the flag that gave each variable's value.
func (a *app) flagsOverEnv() (lookup func(string) string, fromFlag map[string]string, err error) {
	given := map[string]string{
		"FAXREPORT_CUSTNR": a.opts.custNr, "FAXREPORT_USERNAME": a.opts.username,
		"FAXREPORT_REGION": a.opts.region, "FAXREPORT_ENDPOINTS": a.opts.endpoints,
		"FAXREPORT_PASSWORD_FILE": a.opts.passwordFile,
	}
	overrides, fromFlag := map[string]string{}, map[string]string{}
	for name, value := range given {
		if value != "" {
			overrides[name], fromFlag[name] = value, envFlags[name]
		}
	}
	switch a.opts.passwordFile {
	case "":
	case "-":
		secret, err := password.Read(a.stdin)
		if err != nil {
			return nil, nil, usagef("--password-file -: standard input %v", err)
		}
		overrides["FAXREPORT_PASSWORD"], overrides["FAXREPORT_PASSWORD_FILE"] = secret, ""
	default:
		overrides["FAXREPORT_PASSWORD"] = ""
	}
	return func(name string) string {
		if value, ok := overrides[name]; ok {
			return value
		}
		return a.getenv(name)
	}, fromFlag, nil
}

// missingSetting says what each required variable gives, and where else it may come from.
var missingSetting = map[string]string{
	"FAXREPORT_CUSTNR":   "the customer number (--custnr or FAXREPORT_CUSTNR)",
	"FAXREPORT_USERNAME": "the user name (--username or FAXREPORT_USERNAME)",
	"FAXREPORT_PASSWORD": "the password (FAXREPORT_PASSWORD, FAXREPORT_PASSWORD_FILE or --password-file)",
}

// configError is the invalid input that an error of faxreport.ConfigFromEnv makes: each value
// that cannot be used, named by the flag or the variable it came from, then what is missing.
func configError(err error, fromFlag map[string]string) error {
	problems := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		problems = joined.Unwrap()
	}
	var wrong, missing []string
	for _, problem := range problems {
		envErr, ok := errors.AsType[*faxreport.EnvError](problem)
		switch {
		case !ok:
			wrong = append(wrong, message(problem))
		case envErr.Err == nil:
			missing = append(missing, missingSetting[envErr.Var])
		default:
			wrong = append(wrong, cmp.Or(fromFlag[envErr.Var], envErr.Var)+": "+message(envErr.Err))
		}
	}
	if len(missing) > 0 {
		wrong = append(wrong, "missing "+strings.Join(missing, ", ")+"; or try --demo")
	}
	return usagef("%s", strings.Join(wrong, "; "))
}
