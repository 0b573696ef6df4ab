package faxtest_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
	"github.com/faxreport/faxreport/internal/validate"
)

const exampleJob = "FJJ66GHGX105ZZBIELVCN1"

// get sends a GET for jobID to dc with the server's credentials (or none when auth is false),
// checks the response against openapi.yaml, and returns its status, headers and body.
func get(t *testing.T, s *faxtest.Server, dc *faxtest.DataCenter, custNr, jobID string, auth bool) (int, http.Header, []byte) {
	t.Helper()
	return send(t, s, dc, http.MethodGet, custNr, jobID, auth)
}

// send is get for any method.
func send(t *testing.T, s *faxtest.Server, dc *faxtest.DataCenter, method, custNr, jobID string, auth bool) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, dc.URL()+"/"+custNr+"/fax/reports/"+jobID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth {
		req.SetBasicAuth(s.Username, s.Password)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(body) > 0 || resp.StatusCode < 400 {
		// The vendor documents error bodies as "No Content" (openapi.yaml says so in prose):
		// the empty ones, which Fault.EmptyBody makes on purpose, have no schema to check.
		checkResponse(t, req, resp, body, validate.ReportPath)
	}
	return resp.StatusCode, resp.Header, body
}

// checkResponse validates a response of the fake to a request for the spec's path against
// openapi.yaml with kin-openapi.
func checkResponse(t *testing.T, req *http.Request, resp *http.Response, body []byte, path string) {
	t.Helper()
	doc, err := validate.Spec()
	if err != nil {
		t.Fatal(err)
	}
	item := doc.Paths.Value(path)
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req,
			Route:   &routers.Route{Spec: doc, Path: path, PathItem: item, Method: req.Method, Operation: item.GetOperation(req.Method)},
		},
		Status: resp.StatusCode,
		Header: resp.Header,
		Body:   io.NopCloser(bytes.NewReader(body)),
	}
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		t.Errorf("response %d %s does not match openapi.yaml: %v", resp.StatusCode, body, err)
	}
}

// recordingTB captures the failures that the fake reports.
type recordingTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func statusesOf(reqs []faxtest.Request) []int {
	out := make([]int, len(reqs))
	for i, r := range reqs {
		out[i] = r.Status
	}
	return out
}

func report(jobID string) *faxreport.Report {
	return &faxreport.Report{JobID: jobID, Pages: 1, RecipientStatus: []faxreport.RecipientStatus{
		{Number: "+49 89 1234567-8900", Status: faxreport.StatusOK, Reason: "OK", DurationInSecs: 19},
	}}
}
