package validate

import (
	"strings"
	"testing"

	"github.com/go-json-experiment/json"

	"github.com/faxreport/faxreport/gen"
)

// FuzzListDecode: the list decoder never panics, whatever the body (large ones included, which
// are built while they are validated); a list it returns has one raw item per model, in order,
// each the JSON of its model's job, and one raw item per invalid item, whose error says where in
// the list it is.
func FuzzListDecode(f *testing.F) {
	d, err := NewListDecoder[gen.StatusReport]("StatusReportList")
	if err != nil {
		f.Fatal(err)
	}
	report := `{"jobId":"FJ1","recipientStatus":[{"number":"1","status":"OK","reason":"OK","durationInSecs":1}],"pages":1}`
	bad := `{"jobId":"FJBAD","recipientStatus":[{"number":"1","status":"OK","reason":"OK","durationInSecs":1,"sentTs":"x"}],"pages":1}`
	for _, s := range []string{
		`{"reports":[]}`, `{"reports":[` + report + `]}`, `{"reports":[` + report + `,` + bad + `]}`, `{"reports":[` + bad + `]}`,
		`{"reports":null}`, `[]`, `"` + strings.Repeat("x", 70<<10) + `"`, `{"reports":[` + strings.Repeat(report+",", 600) + bad + `]}`,
		`{"reports":[1,` + report + `]}`, `{"other":1}`,
		`{"reports":[{"jobId":"FJBAD","pages":1,"pages":1},` + report + `]}`, "{\"reports\":[" + report + ",{\"jobId\":\"\xff\"}]}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		l, err := d.Decode("application/json", body)
		if err != nil {
			return
		}
		if len(l.Items) != len(l.Raw) || len(l.Invalid) != len(l.InvalidRaw) {
			t.Fatalf("%d items, %d raw; %d invalid, %d raw", len(l.Items), len(l.Raw), len(l.Invalid), len(l.InvalidRaw))
		}
		for i, raw := range l.Raw {
			var r struct {
				JobID string `json:"jobId"`
			}
			if err := json.Unmarshal(raw, &r); err != nil || r.JobID != l.Items[i].JobID {
				t.Fatalf("raw item %d %q is not the model's job %q (%v)", i, raw, l.Items[i].JobID, err)
			}
		}
		for i, e := range l.Invalid {
			if !strings.HasPrefix(e.Field, "/reports/") {
				t.Fatalf("invalid item %d names no place in the list: %v", i, e)
			}
		}
	})
}

// A list decoder gives the JSON of the items it leaves out, which their errors quote, and each
// valid item's JSON as the body has it.
func TestListDecoderGivesEachItemsJSON(t *testing.T) {
	report := `{ "pages":1, "jobId":"FJ1","recipientStatus":[{"number":"1","status":"OK","reason":"OK","durationInSecs":1}] }`
	bad := `{"jobId":"FJBAD","recipientStatus":[],"pages":"x"}`
	body := []byte(`{"reports":[` + report + `, ` + bad + `]}`)
	d, err := NewListDecoder[gen.StatusReport]("StatusReportList")
	if err != nil {
		t.Fatal(err)
	}
	l, err := d.Decode("application/json", body)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Items) != 1 || len(l.InvalidRaw) != 1 || string(l.InvalidRaw[0]) != bad {
		t.Errorf("%d items, invalid %q", len(l.Items), l.InvalidRaw)
	}
	if len(l.Raw) != 1 || string(l.Raw[0]) != report {
		t.Errorf("raw %q", l.Raw)
	}
}
