package faxtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/internal/validate"
)

// basePath is where the API lives on every data center.
const basePath = "/rest/v1"

var errBadAuthorization = errors.New("authorization header missing or malformed")

func unescape(s string) (string, error) { return url.PathUnescape(s) }

func (dc *DataCenter) serveHTTP(w http.ResponseWriter, r *http.Request) {
	dc.enter()
	entry := &logEntry{dc: dc, req: Request{DataCenter: dc.index, Method: r.Method, Path: r.URL.EscapedPath(), Time: time.Now()}}
	defer dc.leave(entry)
	rec := &statusRecorder{ResponseWriter: w, logStatus: entry.record}

	bufferBody(r) // read first: only then does the server notice a client that hangs up
	fault, latency := dc.nextFault()
	if fault != nil {
		latency += fault.Latency
	}
	if latency > 0 {
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			return
		}
	}
	if fault != nil && dc.serveFault(rec, fault, entry) {
		return
	}
	if fault != nil && fault.DropAnswer { // answer into the void, then hang up: a lost answer
		defer dropConnection(rec, entry)
		rec = &statusRecorder{ResponseWriter: discardWriter{}, logStatus: func(int) {}}
	}
	if custNr, ok := splitReportsPath(r.URL.EscapedPath()); ok {
		dc.serveReports(rec, r, custNr, entry)
		return
	}

	custNr, jobID, ok := splitReportPath(r.URL.EscapedPath())
	if !ok {
		dc.specViolation(r, fmt.Errorf("path %s is not %s%s", r.URL.EscapedPath(), basePath, validate.ReportPath))
		writeError(rec, http.StatusNotFound, "no such resource")
		return
	}
	entry.req.JobID = jobID
	if !dc.admit(rec, r, entry, validate.ReportPath, map[string]string{"custNr": custNr, "jobId": jobID}, http.StatusMethodNotAllowed) {
		return
	}
	if r.Method == http.MethodDelete {
		result := dc.removeEach([]string{jobID})
		if dc.refuseUnknownDelete(rec, result) {
			return
		}
		body, _ := json.Marshal(result[0])
		writeJSON(rec, http.StatusOK, body)
		return
	}
	body, ok := dc.read(jobID)
	if !ok {
		writeError(rec, http.StatusNotFound, "no report for job "+jobID)
		return
	}
	writeJSON(rec, http.StatusOK, body)
}

// serveFault answers with f and reports whether that was the whole answer.
func (dc *DataCenter) serveFault(w http.ResponseWriter, f *Fault, entry *logEntry) bool {
	switch {
	case f.Drop:
		dropConnection(w, entry)
		return true
	case f.Status != 0:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		if f.EmptyBody {
			w.WriteHeader(f.Status)
			return true
		}
		writeError(w, f.Status, http.StatusText(f.Status))
		return true
	case f.Malformed != nil:
		writeJSON(w, http.StatusOK, f.Malformed)
		return true
	case f.Oversize > 0:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.FormatInt(f.Oversize, 10))
		w.Write([]byte(`{"jobId":"`))
		pad := []byte(strings.Repeat("X", 32<<10))
		for left := f.Oversize - 10; left > 0; left -= int64(len(pad)) {
			if _, err := w.Write(pad[:min(int64(len(pad)), left)]); err != nil {
				break
			}
		}
		return true
	}
	return false
}

// admit checks a request to the spec's path with its path parameters against openapi.yaml and
// the credentials, and answers it when it fails: 400 without an Authorization header, invalid
// (a spec violation, reported to the test) with the given status, 401 for wrong credentials or
// another customer number. It reports whether the request may be served, logged as authorized.
func (dc *DataCenter) admit(w http.ResponseWriter, r *http.Request, entry *logEntry, path string, params map[string]string, invalid int) bool {
	if err := dc.checkRequest(r, path, params); err != nil {
		if errors.Is(err, errBadAuthorization) {
			writeError(w, http.StatusBadRequest, "Authorization header missing or malformed")
			return false
		}
		dc.specViolation(r, err)
		writeError(w, invalid, err.Error())
		return false
	}
	user, pass, _ := r.BasicAuth()
	if user != dc.region.Username || pass != dc.region.Password || params["custNr"] != dc.region.CustomerNumber {
		writeJSON(w, http.StatusUnauthorized, api.Example(api.Error401))
		return false
	}
	entry.req.Authorized = true
	return true
}

// checkRequest validates the request against the operation (method, path) of openapi.yaml,
// the httpBasicAuth security scheme included: a missing or malformed Authorization header is
// errBadAuthorization.
func (dc *DataCenter) checkRequest(r *http.Request, path string, params map[string]string) error {
	doc, err := validate.Spec()
	if err != nil {
		return err
	}
	item := doc.Paths.Value(path)
	op := item.GetOperation(r.Method)
	if op == nil {
		return fmt.Errorf("openapi.yaml has no %s %s", r.Method, path)
	}
	input := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      &routers.Route{Spec: doc, Path: path, PathItem: item, Method: r.Method, Operation: op},
		Options: &openapi3filter.Options{AuthenticationFunc: func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
			if in.SecurityScheme.Type != "http" || in.SecurityScheme.Scheme != "basic" {
				return fmt.Errorf("unexpected security scheme %q", in.SecuritySchemeName)
			}
			if _, _, ok := r.BasicAuth(); !ok {
				return errBadAuthorization
			}
			return nil
		}},
	}
	if err := openapi3filter.ValidateRequest(r.Context(), input); err != nil {
		var secErr *openapi3filter.SecurityRequirementsError
		if errors.As(err, &secErr) {
			return errBadAuthorization
		}
		return &contractError{err: err}
	}
	return nil
}

// specViolation reports a request that openapi.yaml does not allow: loudly, when the server
// has a test, with the validator's whole account (the schema and the value included), where
// the answer's message has only the field and the rule.
func (dc *DataCenter) specViolation(r *http.Request, err error) {
	if dc.t != nil {
		dc.t.Errorf("faxtest: %s %s does not match openapi.yaml: %v", r.Method, r.URL.EscapedPath(), fullError(err))
	}
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}

// writeError answers status with the documented {code, message} body.
func writeError(w http.ResponseWriter, status int, message string) {
	body, _ := json.Marshal(map[string]any{"code": status, "message": message})
	writeJSON(w, status, body)
}

// statusRecorder logs the status before it is sent, so that a client that has its answer
// always finds it in the log.
type statusRecorder struct {
	http.ResponseWriter
	logStatus func(int)
	written   bool
}

func (s *statusRecorder) WriteHeader(status int) {
	if !s.written {
		s.written = true
		s.logStatus(status)
	}
	s.ResponseWriter.WriteHeader(status)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if !s.written {
		s.WriteHeader(http.StatusOK)
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (for Drop).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// dropConnection logs entry without a status and closes the connection under w without an
// answer.
func dropConnection(w http.ResponseWriter, entry *logEntry) {
	entry.record(0)
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		conn.Close()
	}
}

// discardWriter swallows an answer that is never to arrive.
type discardWriter struct{}

func (discardWriter) Header() http.Header         { return http.Header{} }
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (discardWriter) WriteHeader(int)             {}
