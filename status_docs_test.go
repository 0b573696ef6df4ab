package faxreport_test

import (
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/internal/validate"
)

// The contract's description of a recipient's status, which the generated docs inherit, names
// every known status value and says that the list is open-ended.
func TestStatusDescriptionNamesTheKnownValues(t *testing.T) {
	doc, err := validate.Spec()
	if err != nil {
		t.Fatal(err)
	}
	status := doc.Components.Schemas["RecipientStatus"].Value.Properties["status"].Value
	if len(status.Enum) > 0 || strings.Contains(status.Description, "TBD") || !strings.Contains(status.Description, "not an enum") {
		t.Fatalf("status: enum %v, description %q", status.Enum, status.Description)
	}
	for _, known := range []string{
		faxreport.StatusOK, faxreport.StatusPending, faxreport.StatusBusy, faxreport.StatusNoFax,
		faxreport.StatusNoFaxDis, faxreport.StatusNoFaxTO, faxreport.StatusRingTO, faxreport.StatusRemoteDis,
	} {
		if !strings.Contains(strings.Join(strings.Fields(status.Description), " "), known+" (") {
			t.Errorf("the description does not explain %s: %q", known, status.Description)
		}
	}
}
