package validate

import (
	"errors"
	"strings"
	"testing"

	"github.com/faxreport/faxreport/gen"
)

const (
	validItem = `{"jobId":"FJ1","recipientStatus":[{"number":"1","status":"OK","reason":"OK","durationInSecs":1}],"pages":1}`
	// restOfItem completes an item that starts with its jobId and another member.
	restOfItem = `"recipientStatus":[{"number":"1","status":"OK","reason":"OK","durationInSecs":1}],"pages":1}`
)

func listDecoderForTest(t *testing.T) *Decoder[List[gen.StatusReport]] {
	t.Helper()
	d, err := NewListDecoder[gen.StatusReport]("StatusReportList")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// An item that is not strict JSON on its own is an invalid item, kept as the body has it, and
// named by its job when it has exactly one, with valid UTF-8: the items beside it are decoded.
func TestListDecoderKeepsTheItemsBesideAnUnparseableOne(t *testing.T) {
	d := listDecoderForTest(t)
	for name, tc := range map[string]struct{ item, job string }{
		"duplicate name":        {`{"jobId":"FJBAD","pages":1,` + restOfItem, "FJBAD"},
		"invalid UTF-8":         {"{\"jobId\":\"FJBAD\",\"note\":\"\xff\"," + restOfItem, "FJBAD"},
		"number beyond float":   {`{"jobId":"FJBAD","cost":-1e400,` + restOfItem, "FJBAD"},
		"escaped job ID":        {`{"jobId":"FJ\u0042AD","pages":1,` + restOfItem, "FJBAD"},
		"two job IDs":           {`{"jobId":"FJBAD","jobId":"FJOTHER",` + restOfItem, ""},
		"job ID twice, same":    {`{"jobId":"FJBAD","jobId":"FJBAD",` + restOfItem, "FJBAD"},
		"job ID invalid UTF-8":  {"{\"jobId\":\"FJ\xff\",\"pages\":1," + restOfItem, ""},
		"job ID not a string":   {`{"jobId":1,"jobId":"FJBAD",` + restOfItem, ""},
		"nested duplicate name": {`{"jobId":"FJBAD","recipientStatus":[{"number":"1","number":"1","status":"OK","reason":"OK","durationInSecs":1}],"pages":1}`, "FJBAD"},
	} {
		t.Run(name, func(t *testing.T) {
			body := `{"reports":[` + validItem + `, ` + tc.item + ` ,` + validItem + `]}`
			l, err := d.Decode("application/json", []byte(body))
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Items) != 2 || len(l.Raw) != 2 || string(l.Raw[0]) != validItem || string(l.Raw[1]) != validItem {
				t.Fatalf("%d items, raw %q", len(l.Items), l.Raw)
			}
			if len(l.Invalid) != 1 || string(l.InvalidRaw[0]) != tc.item {
				t.Fatalf("invalid %v, raw %q", l.Invalid, l.InvalidRaw)
			}
			if e := l.Invalid[0]; e.Field != "/reports/1" || e.Job != tc.job || e.Reason != notJSON || e.Detail == "" {
				t.Errorf("error %+v, want not JSON at /reports/1, job %q", e, tc.job)
			}
		})
	}
}

// A body whose envelope is at fault, or that is not JSON at the token level, is refused whole,
// even when an item is unparseable too.
func TestListDecoderRefusesAnUnparseableEnvelope(t *testing.T) {
	d := listDecoderForTest(t)
	bad := `{"jobId":"FJBAD","pages":1,` + restOfItem
	for name, body := range map[string]string{
		"reports twice":        `{"reports":[` + validItem + `,` + bad + `],"reports":[]}`,
		"duplicate name":       `{"x":1,"reports":[` + bad + `],"x":1}`,
		"invalid UTF-8":        "{\"x\":\"\xff\",\"reports\":[" + bad + "]}",
		"number beyond float":  `{"x":1e400,"reports":[` + bad + `]}`,
		"cut":                  `{"reports":[` + validItem + `,` + bad,
		"trailing data":        `{"reports":[` + bad + `]} {}`,
		"broken item":          `{"reports":[` + validItem + `,{"jobId":"FJBAD",}]}`,
		"reports not an array": `{"reports":{"a":` + bad + `}}`,
		"too many items":       `{"reports":[` + strings.Repeat(validItem+",", 1000) + bad + `]}`,
	} {
		t.Run(name, func(t *testing.T) {
			l, err := d.Decode("application/json", []byte(body))
			if err == nil {
				t.Fatalf("decoded %d items, %d invalid", len(l.Items), len(l.Invalid))
			}
			var e *Error
			if !errors.As(err, &e) || e.Field != "" {
				t.Errorf("error %v, want one about the whole body", err)
			}
		})
	}
}
