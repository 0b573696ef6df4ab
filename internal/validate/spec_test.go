package validate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/validate"
)

// TestSpecValid is `make lint-spec`: openapi.yaml loads and passes kin-openapi's validation,
// examples included.
func TestSpecValid(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("../../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
}

// TestSpecExamplesMatchAPI: the spec's example recipient list is the one of api/report.json, and
// every example report of api/ passes the spec.
func TestSpecExamplesMatchAPI(t *testing.T) {
	doc, err := validate.Spec()
	if err != nil {
		t.Fatal(err)
	}
	var report struct {
		RecipientStatus any `json:"recipientStatus"`
	}
	if err := json.Unmarshal(api.Example(api.ReportExample), &report); err != nil {
		t.Fatal(err)
	}
	specExample := doc.Components.Schemas["StatusReport"].Value.Properties["recipientStatus"].Value.Example
	a, _ := json.Marshal(specExample)
	b, _ := json.Marshal(report.RecipientStatus)
	if !bytes.Equal(a, b) {
		t.Fatalf("spec example %s\n!= api/examples/report.json %s", a, b)
	}
	d, err := validate.NewDecoder[gen.StatusReport]("StatusReport")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range api.Reports() {
		if _, err := d.Decode("application/json", api.Example(name)); err != nil {
			t.Errorf("api/examples/%s: %v", name, err)
		}
	}
	errSchema := doc.Components.Schemas["Error"].Value
	for _, name := range []string{api.Error401, api.Error404} {
		var v any
		if err := json.Unmarshal(api.Example(name), &v); err != nil {
			t.Fatal(err)
		}
		if err := errSchema.VisitJSON(v); err != nil {
			t.Errorf("api/examples/%s: %v", name, err)
		}
	}
}

// Every error answer of every operation may have an empty body with no content type, as the
// vendor documents them ("No Content"), and a third-party validator (kin-openapi's response
// filter) reads that from the spec: an empty body passes, with no content type or any; the
// Error object passes as JSON; a body that is neither fails.
func TestSpecErrorAnswersMayBeEmpty(t *testing.T) {
	doc, err := validate.Spec()
	if err != nil {
		t.Fatal(err)
	}
	check := func(path, method string, status int, contentType, body string) error {
		item := doc.Paths.Value(path)
		header := http.Header{}
		if contentType != "" {
			header.Set("Content-Type", contentType)
		}
		return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{
				Request: httptest.NewRequest(method, "/", nil),
				Route:   &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: item.GetOperation(method)},
			},
			Status: status,
			Header: header,
			Body:   io.NopCloser(strings.NewReader(body)),
		})
	}
	n := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for code := range op.Responses.Map() {
				status, err := strconv.Atoi(code)
				if err != nil || status < 400 {
					continue
				}
				n++
				for _, ok := range []struct{ contentType, body string }{{"", ""}, {"text/html", ""}, {"application/json", `{"code":404,"message":"no job report"}`}} {
					if err := check(path, method, status, ok.contentType, ok.body); err != nil {
						t.Errorf("%s %s %d, %q body %q: %v", method, path, status, ok.contentType, ok.body, err)
					}
				}
				for _, bad := range []struct{ contentType, body string }{{"", "oops"}, {"application/json", `{"code":"x"}`}} {
					if check(path, method, status, bad.contentType, bad.body) == nil {
						t.Errorf("%s %s %d, %q body %q: passed", method, path, status, bad.contentType, bad.body)
					}
				}
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d error answers checked", n)
	}
}
