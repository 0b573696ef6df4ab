package faxreport

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"

	"github.com/faxreport/faxreport/internal/httpbody"
	"github.com/faxreport/faxreport/internal/validate"
)

// Sentinel errors; match them with errors.Is. An error that combines several data centers'
// failures matches the sentinel of each, but never ErrNotFound unless all of them said 404.
var (
	// ErrNotFound: every data center answered 404 (no report for the job).
	ErrNotFound = errors.New("status report not found")
	// ErrUnauthorized: a data center answered 401 (authentication failed) or 400 (authorization
	// header missing or malformed).
	ErrUnauthorized = errors.New("unauthorized")
	// ErrInvalidArgument: bad input or configuration; nothing was sent.
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrInvalidResponse: a response broke the contract of openapi.yaml.
	ErrInvalidResponse = errors.New("invalid response")
	// ErrUnavailable: a data center could not be reached or answered 429 or 5xx.
	ErrUnavailable = errors.New("service unavailable")
)

// APIError is an HTTP error status from one data center. Its Unwrap gives the sentinel of its
// status: ErrNotFound, ErrUnauthorized, ErrUnavailable, or ErrInvalidResponse for a status the
// API does not document (a redirect, 403, …).
type APIError struct {
	Op         string // the operation: "get", "delete", "list", "bulk get", "bulk delete" or "delete oldest"
	StatusCode int    // HTTP status code
	Code       int    // "code" of the JSON error body, 0 when absent
	Message    string // "message" of the JSON error body, "" when absent
	Excerpt    string // a short quoted excerpt of a body that is not the JSON error object
	Endpoint   string // the data center's base URL
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d %s", e.Endpoint, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		fmt.Fprintf(&b, ": %q", e.Message)
	} else if e.Excerpt != "" {
		fmt.Fprintf(&b, " (body %s)", e.Excerpt)
	}
	return b.String()
}

// Unwrap returns the sentinel for e's status code. For a deletion, 400 means that the report is
// not available there, as the vendor documents, and matches ErrNotFound.
func (e *APIError) Unwrap() error {
	switch s := e.StatusCode; {
	case s == http.StatusNotFound, s == http.StatusBadRequest && e.Op == opDelete:
		return ErrNotFound
	case s == http.StatusUnauthorized || s == http.StatusBadRequest:
		return ErrUnauthorized
	case s == http.StatusTooManyRequests || s >= 500:
		return ErrUnavailable
	}
	return ErrInvalidResponse
}

// newAPIError classifies a non-200 response by its status and keeps what an error body says:
// the {code, message} object when it is one, a short excerpt otherwise, nothing when empty.
func newAPIError(op, endpoint string, status int, body []byte) *APIError {
	e := &APIError{Op: op, StatusCode: status, Endpoint: endpoint}
	var doc struct {
		Code    *int    `json:"code"`
		Message *string `json:"message"`
	}
	body = bytes.TrimPrefix(body, []byte("\ufeff")) // a byte-order mark is no part of the JSON
	if len(body) == 0 {
		return e
	}
	if json.Unmarshal(body, &doc) == nil && (doc.Code != nil || doc.Message != nil) {
		if doc.Code != nil {
			e.Code = *doc.Code
		}
		if doc.Message != nil {
			e.Message = httpbody.Truncate(*doc.Message, httpbody.ExcerptBytes)
		}
		return e
	}
	e.Excerpt = httpbody.Excerpt(body)
	return e
}

// EndpointError is the failure of one data center that did not answer with the report.
type EndpointError struct {
	Endpoint string
	Err      error
}

func (e *EndpointError) Error() string {
	if strings.HasPrefix(e.Err.Error(), e.Endpoint) {
		return e.Err.Error()
	}
	return e.Endpoint + ": " + e.Err.Error()
}

// Unwrap returns the data center's error.
func (e *EndpointError) Unwrap() error { return e.Err }

// RegionError says that no data center gave the report and not every one of them said 404, so
// the report may exist in a data center that failed. It never matches ErrNotFound.
type RegionError struct {
	JobID    string
	Failed   []*EndpointError // the data centers that failed, in configuration order
	NotFound []string         // the data centers that answered 404
	cause    error            // the context's error, when it ended the call
}

func (e *RegionError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "faxreport: job %s: ", quoteID(e.JobID))
	if e.cause != nil {
		fmt.Fprintf(&b, "%v; ", e.cause)
	}
	fmt.Fprintf(&b, "%d of %d data centers failed", len(e.Failed), len(e.Failed)+len(e.NotFound))
	for _, f := range e.Failed {
		b.WriteString("; ")
		b.WriteString(f.Error())
	}
	if len(e.NotFound) > 0 {
		fmt.Fprintf(&b, "; not found at %s", strings.Join(e.NotFound, ", "))
	}
	return b.String()
}

// Unwrap returns the context's error, if it ended the call, and each failed data center's error.
func (e *RegionError) Unwrap() []error {
	if e.cause != nil {
		return append([]error{e.cause}, endpointErrors(e.Failed)...)
	}
	return endpointErrors(e.Failed)
}

// endpointErrors is failed as errors, for an Unwrap.
func endpointErrors(failed []*EndpointError) []error {
	errs := make([]error, len(failed))
	for i, f := range failed {
		errs[i] = f
	}
	return errs
}

// scrubbed returns the decoder's error with every credential removed from what it quotes.
func (c *Client) scrubbed(err error, body []byte) error {
	var ve *validate.Error
	if !errors.As(err, &ve) {
		return errors.New(c.scrub.String(err.Error()))
	}
	return c.scrubbedValidation(ve, body)
}

// scrubbedValidation is a validation error with what it quotes of the server withheld if it
// holds a credential: its excerpt is made anew from quoted, scrubbed, and the job ID is cut only
// once scrubbed. Field and Reason are ours and the spec's, so they stay as they are: withholding
// them would tell that the password is one of their words.
func (c *Client) scrubbedValidation(ve *validate.Error, quoted []byte) *validate.Error {
	return &validate.Error{Field: ve.Field, Job: boundedID(c.scrub.String(ve.Job)), Reason: ve.Reason, Detail: c.scrub.String(ve.Detail), Excerpt: httpbody.Excerpt(c.scrub.Bytes(quoted))}
}

// maxQuotedID bounds how much of a job ID an error or log record quotes.
const maxQuotedID = 64

// quoteAnswered quotes a job ID that a data center sent, for an error: at most maxQuotedID
// bytes of it, with any echoed credential scrubbed.
func (c *Client) quoteAnswered(jobID string) string { return quoteID(c.scrub.String(jobID)) }

// quoteID quotes a job ID for an error, at most maxQuotedID bytes of it.
func quoteID(jobID string) string { return strconv.Quote(boundedID(jobID)) }

// boundedID is at most maxQuotedID bytes of a job ID, for a log record.
func boundedID(jobID string) string { return httpbody.Truncate(jobID, maxQuotedID) }

// boundedIDs is boundedID of each job ID, for a log record.
func boundedIDs(jobIDs []string) []string {
	bounded := make([]string, len(jobIDs))
	for i, jobID := range jobIDs {
		bounded[i] = boundedID(jobID)
	}
	return bounded
}
