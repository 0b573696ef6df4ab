// Package api holds the examples of the contract in openapi.yaml: reports and error bodies as
// JSON files, shared by the spec's tests, the client's tests and the faxtest fake.
package api

import (
	"embed"
	"io/fs"
)

//go:embed examples/*.json
var examples embed.FS

// Examples of reports, by file name in examples/.
const (
	ReportExample = "report.json"         // the example report of the API document
	ReportMinimal = "report-minimal.json" // a report with only the required fields
	ReportPending = "report-pending.json" // a report with a recipient still PENDING
	Error401      = "error-401.json"      // the documented 401 body
	Error404      = "error-404.json"      // a 404 body
)

// Example returns the bytes of the example file name. It panics for a name that is not one of
// the constants of this package, which is a programming error.
func Example(name string) []byte {
	b, err := fs.ReadFile(examples, "examples/"+name)
	if err != nil {
		panic("api: no example " + name)
	}
	return b
}

// Reports lists the file names of the example reports.
func Reports() []string { return []string{ReportExample, ReportMinimal, ReportPending} }
