package validate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

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
	d, err := validate.NewDecoder[gen.StatusReport](http.MethodGet, validate.ReportPath, http.StatusOK)
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
