package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/faxreport/faxreport"
)

// The CLI is built on cobra (with pflag), as gh and kubectl are: flags anywhere on the line,
// "help COMMAND", --version and shell completion come with it.

// subcommands lists the constructors of the commands under the root. A new command is a file of
// its own with a constructor like newGetCommand, added here; it builds its client with
// app.newClient (or handles its one job with app.oneJob) and prints with app.print.
var subcommands = []func(*app) *cobra.Command{
	newGetCommand,
	newWaitCommand,
	newDeleteCommand,
	newListCommand,
	newDrainCommand,
	newListenCommand,
	newVersionCommand,
}

const rootLong = `faxreport reads the status reports of fax jobs sent with the Retarus Fax REST API.

Flags may come before or after the command and the job IDs. Try it offline, with no
credentials, against a built-in fake (--demo):

  faxreport get --demo FJJ66GHGX105ZZBIELVCN1     a delivered job
  faxreport get --demo FJ0MINIMAL0REPORT00001     a job whose recipient was busy
  faxreport wait --demo FJ0PENDING0REPORT00001    a job that is still sending, done in about ` + demoPendingText + `
  faxreport list --demo                           every report the data centers list`

// rootCommand builds the command tree of one run.
func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "faxreport",
		Short:         "Read the status reports of fax jobs sent with the Retarus Fax REST API",
		Long:          rootLong,
		Version:       faxreport.Version, // --version; -v is left free (kubectl's verbosity)
		SilenceErrors: true,              // reportCommandError prints them, one line each
		SilenceUsage:  true,              // an error is followed by a hint, not by the whole usage
		// With no command, print the help on stderr and exit 2, as for any usage error.
		RunE: func(cmd *cobra.Command, _ []string) error {
			cmd.SetOut(a.stderr)
			_ = cmd.Help() // stderr: nothing better to do with a failure
			return &exitError{code: exitUsage}
		},
	}
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetVersionTemplate(readBuildInfo().String() + "\n")
	usage := root.HelpTemplate() // cobra's
	root.SetHelpTemplate(usage + helpFooter)
	root.SetFlagErrorFunc(explainFlagError)
	root.Flags().Bool("version", false, "print the version of faxreport") // cobra's would add -v
	a.opts.register(root)
	for _, newCommand := range subcommands {
		root.AddCommand(newCommand(a))
	}
	refuseUnknownHelpTopics(root)
	refuseUnknownShells(root)
	for _, cmd := range root.Commands() { // their own usage, and a pointer to the rest
		cmd.SetHelpTemplate(usage + commandHelpFooter)
	}
	return root
}

// explainFlagError turns the error of an unknown --password into one that says where the
// password comes from.
func explainFlagError(_ *cobra.Command, err error) error {
	if msg := err.Error(); msg == "unknown flag: --password" || strings.HasPrefix(msg, "unknown flag: --password=") {
		return usagef("unknown flag: --password: the password comes from FAXREPORT_PASSWORD, FAXREPORT_PASSWORD_FILE or --password-file, never from a flag")
	}
	return err
}

// refuseUnknownShells makes "completion SHELL" of a shell cobra has no script for an invalid
// input, where cobra prints the completion help and exits 0.
func refuseUnknownShells(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, completion := range root.Commands() {
		if completion.Name() != "completion" || completion.Runnable() {
			continue
		}
		completion.Args = cobra.ArbitraryArgs
		completion.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("no completion for shell %q: want bash, zsh, fish or powershell", args[0])
			}
			return cmd.Help()
		}
	}
}

// refuseUnknownHelpTopics makes "help TOPIC" of a topic that is no command an invalid input
// (exit code 2, one error line and the hint), where cobra's help command prints the whole usage
// and exits 0 ("help get bogus" too, where cobra would print get's help). Its help and
// completion stay cobra's.
func refuseUnknownHelpTopics(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	for _, help := range root.Commands() {
		if help.Name() != "help" || help.Run == nil {
			continue
		}
		show := help.Run
		help.Run = nil
		help.RunE = func(cmd *cobra.Command, args []string) error {
			if topic, rest, err := cmd.Root().Find(args); topic == nil || err != nil || len(rest) > 0 {
				return usagef("unknown help topic %q: want a command, such as get", strings.Join(args, " "))
			}
			show(cmd, args)
			return nil
		}
	}
}

// commandHelpFooter ends the help of each command.
const commandHelpFooter = `
Run 'faxreport --help' for the environment, the JSON output and the exit codes.
`

// helpFooter ends the help of faxreport itself: the environment, the JSON output and the exit
// codes.
const helpFooter = `
Environment (flags win; --demo ignores it):
  FAXREPORT_CUSTNR         customer number (--custnr)
  FAXREPORT_USERNAME       user name (--username)
  FAXREPORT_PASSWORD       password (never a flag), or:
  FAXREPORT_PASSWORD_FILE  a file that holds it, such as a systemd credential (--password-file)
  FAXREPORT_REGION         europe (default), america, switzerland or singapore (--region)
  FAXREPORT_ENDPOINTS      comma-separated data-center base URLs, overriding the region (--endpoints)
  HTTPS_PROXY, NO_PROXY    the proxy to use for the data centers

JSON output (--json):
  stdout: one line per job done, in argument order (wait of several jobs: in order of
    completion): the report as the API sent it (its own fields, order and nulls; only
    insignificant whitespace removed), or for delete the service's answer as decoded,
    {"deleted":true,"jobId":…}. That is NDJSON: one JSON
    document per line. list prints its reports, and drain writes them to --out, the same way.
    drain prints its counts as one object.
  stderr: one line per failed job (or one for a failure that concerns no job), for example
    {"jobId":"FJ1","kind":"not_found","exitCode":3,"message":"get job \"FJ1\": not found …"}
    kind is one of invalid_input, not_found, unauthorized, invalid_response, unavailable,
    pending, failure, interrupted, terminated, and matches exitCode; jobId is absent when the
    failure concerns no job.

Exit codes:
  0  found (for wait: and final; for delete: deleted; for list and drain: every data center done)
  1  other failure
  2  invalid input (flags, arguments, configuration)
  3  not found in any data center
  4  unauthorized (credentials or customer number refused)
  5  invalid response (the service broke the API contract)
  6  unavailable (a data center failed or could not be reached, or --timeout expired)
  7  pending (wait: --timeout expired while the report existed but was still PENDING)
  130, 143  drain stopped by SIGINT or SIGTERM (after finishing the pages in progress)
With several job IDs, the exit code is that of the first job, in argument order, that failed.
Job IDs may also come from standard input ("-" as an argument) or a file (--ids-file).
`
