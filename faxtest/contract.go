package faxtest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/endpoint"
	"github.com/faxreport/faxreport/internal/validate"
)

// A report stored with Put, PutPending or PutJSON is checked when it is stored, not when a
// client first reads it: it must be a StatusReport as openapi.yaml defines the 200 answer of
// GET /{custNr}/fax/reports/{jobId} (required fields, types, date-times, lengths; unknown
// fields are allowed, as the client allows them), with a job ID that a client can ask for.
//
// A report that breaks the contract is a mistake in the test's setup, so the Put methods
// panic, with a message that names the rule, as PutJSON always has and as httptest panics
// on a setup it cannot honour; the test fails at the line that stored the report. (A panic
// rather than Options.T's Fatalf: Put may be called from any goroutine, and Fatalf may not.)
// To make a data center answer something outside the contract, inject a Fault with Malformed.

// reportDecoder validates reports against the schema of the GET report 200 response.
var reportDecoder = sync.OnceValues(func() (*validate.Decoder[gen.StatusReport], error) {
	return validate.NewDecoder[gen.StatusReport]("StatusReport")
})

// checkedJobID returns the job ID of a report about to be stored, and panics when the report
// breaks the contract.
func checkedJobID(body []byte) string {
	decoder, err := reportDecoder()
	if err != nil {
		panic("faxtest: " + err.Error())
	}
	report, err := decoder.Decode("application/json", body)
	if err != nil {
		panic("faxtest: refusing a report that breaks openapi.yaml's StatusReport: " + err.Error())
	}
	id := report.JobID
	if err := endpoint.CheckPathParam("jobId", id); err != nil {
		panic(fmt.Sprintf("faxtest: refusing a report that no client can ask for: %v", err))
	}
	return id
}

// dataCenterIndex panics unless i is the index of one of n data centers, saying what was asked
// and what exists.
func dataCenterIndex(i, n int) int {
	if i < 0 || i >= n {
		panic(fmt.Sprintf("faxtest: DataCenter(%d): the server has %d data centers, DataCenter(0) to DataCenter(%d)", i, n, n-1))
	}
	return i
}

// maxContractMessage bounds the message of the answer to a request that breaks the contract.
const maxContractMessage = 200

// contractError is a request that breaks openapi.yaml. Its text, the message of the 400 (or
// 405) answer, names the failing part, field and rule only, at most maxContractMessage bytes;
// kin-openapi's own text, with the schema and the value dumped (hundreds of bytes, thousands
// for a long list), is kept for the test's failure (fullError).
type contractError struct{ err error }

func (e *contractError) Error() string {
	msg := e.err.Error()
	var reqErr *openapi3filter.RequestError
	if errors.As(e.err, &reqErr) {
		part := "request"
		switch {
		case reqErr.Parameter != nil:
			part = fmt.Sprintf("parameter %q in %s", reqErr.Parameter.Name, reqErr.Parameter.In)
		case reqErr.RequestBody != nil:
			part = "request body"
		}
		reason := reqErr.Reason
		if schemaErr, ok := errors.AsType[*openapi3.SchemaError](e.err); ok {
			reason = "/" + strings.Join(schemaErr.JSONPointer(), "/") + ": " + schemaErr.Reason
		} else if reqErr.Err != nil && reqErr.Err.Error() != reason {
			reason = strings.TrimPrefix(reason+": "+reqErr.Err.Error(), ": ")
		}
		msg = part + ": " + reason
	}
	msg, _, _ = strings.Cut(msg, "\n")
	if len(msg) <= maxContractMessage {
		return msg
	}
	cut := maxContractMessage - len("…")
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + "…"
}

func (e *contractError) Unwrap() error { return e.err }

// fullError is err's whole text: for a contractError, kin-openapi's own.
func fullError(err error) string {
	if c, ok := errors.AsType[*contractError](err); ok {
		return c.err.Error()
	}
	return err.Error()
}
