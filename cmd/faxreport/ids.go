package main

import (
	"bufio"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// idsFileUsage documents --ids-file, the flag of the commands that take many job IDs.
const idsFileUsage = `read job IDs from this file, or from standard input with "-": one per line (or separated by spaces)`

// jobIDs returns the job IDs a command was given, in order: its arguments, where "-" stands for
// the IDs read from standard input, then those of --ids-file (a file, or "-" for standard
// input). IDs are separated by newlines or spaces; blank lines are skipped. No ID at all is an
// invalid input, as is reading standard input twice (for "-" and --password-file -, say).
func (a *app) jobIDs(args []string, idsFile string) ([]string, error) {
	stdinUsers := 0
	for _, arg := range args {
		if arg == "-" {
			stdinUsers++
		}
	}
	for _, use := range []bool{idsFile == "-", a.opts.passwordFile == "-"} {
		if use {
			stdinUsers++
		}
	}
	if stdinUsers > 1 {
		return nil, usagef(`standard input can be read once: give "-" as a job ID, --ids-file - or --password-file -, not several`)
	}
	var ids []string
	for _, arg := range args {
		if strings.Contains(arg, ",") {
			return nil, usagef("job ID %q has a comma: give job IDs as separate arguments, separated by spaces (or one per line with --ids-file)", arg)
		}
		if arg != "-" {
			ids = append(ids, arg)
			continue
		}
		read, err := readIDs(a.stdin, "standard input")
		if err != nil {
			return nil, err
		}
		ids = append(ids, read...)
	}
	switch idsFile {
	case "":
	case "-":
		read, err := readIDs(a.stdin, "standard input (--ids-file -)")
		if err != nil {
			return nil, err
		}
		ids = append(ids, read...)
	default:
		f, err := os.Open(idsFile)
		if err != nil {
			return nil, usagef("--ids-file: %v", err)
		}
		defer f.Close()
		read, err := readIDs(f, "the file "+idsFile)
		if err != nil {
			return nil, err
		}
		ids = append(ids, read...)
	}
	if len(ids) == 0 {
		if len(args) > 0 || idsFile != "" {
			return nil, usagef("no job ID given: the input was empty")
		}
		if isPiped(a.stdin) {
			return nil, usagef(`no job ID given; to read the job IDs piped to standard input, give "-" as an argument`)
		}
		return nil, usagef("no job ID given")
	}
	return ids, nil
}

// isPiped says whether r is standard input redirected from a pipe or a file, rather than a
// terminal or a device such as /dev/null.
func isPiped(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	if err != nil {
		return false
	}
	return info.Mode()&os.ModeNamedPipe != 0 || info.Mode().IsRegular()
}

// readIDs reads the words of r: job IDs separated by newlines or spaces. A UTF-8 byte-order
// mark at the start, which some editors write, is dropped.
func readIDs(r io.Reader, where string) ([]string, error) {
	input := bufio.NewReader(r)
	if start, _ := input.Peek(len(byteOrderMark)); string(start) == byteOrderMark {
		_, _ = input.Discard(len(byteOrderMark)) // peeked: cannot fail
	}
	scanner := bufio.NewScanner(input)
	scanner.Split(bufio.ScanWords)
	var ids []string
	for scanner.Scan() {
		ids = append(ids, scanner.Text())
	}
	if err := scanner.Err(); err != nil {
		return nil, usagef("reading job IDs from %s: %v", where, err)
	}
	return ids, nil
}

// byteOrderMark is U+FEFF encoded in UTF-8.
const byteOrderMark = "\uFEFF"

// addIDsFile registers --ids-file on cmd.
func addIDsFile(cmd *cobra.Command, idsFile *string) {
	cmd.Flags().StringVar(idsFile, "ids-file", "", idsFileUsage)
}
