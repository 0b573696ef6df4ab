package faxreport_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
)

// serveReportForPath answers every GET with the example report for the job ID of the path,
// and a bulk GET with the example report for each job asked.
func serveReportForPath(t *testing.T) http.HandlerFunc { return serveReportForPathWith(t, nil) }

// serveReportForPathWith is serveReportForPath, but a job in bodies gets that body as its
// report, in a single answer and a bulk one alike.
func serveReportForPathWith(t *testing.T, bodies map[string][]byte) http.HandlerFunc {
	report := func(jobID string) []byte {
		if body, ok := bodies[jobID]; ok {
			return body
		}
		return newReport(jobID).json()
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			var bulk struct {
				JobIDs []string `json:"jobIds"`
			}
			if err := json.NewDecoder(r.Body).Decode(&bulk); err != nil {
				t.Error(err)
			}
			items := make([]json.RawMessage, len(bulk.JobIDs))
			for i, id := range bulk.JobIDs {
				items[i] = report(id)
			}
			body, _ := json.Marshal(map[string]any{"reports": items})
			serveJSON(200, body)(w, r)
			return
		}
		serveJSON(200, report(path.Base(r.URL.Path)))(w, r)
	}
}

// testReport is the tests' one report builder: the API's example report (api.ReportExample)
// with fields changed, given as JSON (json, or sent for bytes laid out as a data center may lay
// them out) or as a model (model).
type testReport struct{ doc map[string]any }

// newReport is the example report of jobID. With statuses, it is a minimal report instead: the
// job ID, one page, and one recipient per status (number "+49 89 i", the status as reason, 10 s).
func newReport(jobID string, statuses ...string) *testReport {
	r := &testReport{}
	if err := json.Unmarshal(api.Example(api.ReportExample), &r.doc); err != nil {
		panic(err) // the project's own example
	}
	r.doc["jobId"] = jobID
	if len(statuses) > 0 {
		recipients := make([]any, len(statuses))
		for i, st := range statuses {
			recipients[i] = map[string]any{"number": fmt.Sprintf("+49 89 %d", i), "status": st, "reason": st, "durationInSecs": 10}
		}
		r.doc["recipientStatus"] = recipients
		delete(r.doc, "reference")
	}
	return r
}

// with sets the field at path (keys and indexes) to value, or removes it when value is nil.
func (r *testReport) with(value any, path ...any) *testReport {
	var node any = r.doc
	for _, step := range path[:len(path)-1] {
		switch s := step.(type) {
		case string:
			node = node.(map[string]any)[s]
		case int:
			node = node.([]any)[s]
		}
	}
	last := path[len(path)-1].(string)
	if value == nil {
		delete(node.(map[string]any), last)
	} else {
		node.(map[string]any)[last] = value
	}
	return r
}

// json is the report as compact JSON.
func (r *testReport) json() []byte {
	b, err := json.Marshal(r.doc)
	if err != nil {
		panic(err) // the values given are JSON's
	}
	return b
}

// sent is the report as a data center may send it, which a client that returns the bytes it got
// must keep: with an unknown field (and a null in it), indented, its fields in an order that is
// not the spec's.
func (r *testReport) sent() []byte {
	r.doc["vendorExtra"] = map[string]any{"a": []any{1, nil}}
	defer delete(r.doc, "vendorExtra")
	b, err := json.MarshalIndent(r.doc, " ", "   ")
	if err != nil {
		panic(err)
	}
	return b
}

// model is the report as the client's model.
func (r *testReport) model() *faxreport.Report {
	var m faxreport.Report
	if err := json.Unmarshal(r.json(), &m); err != nil {
		panic(err)
	}
	return &m
}
