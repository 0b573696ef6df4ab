package validate_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/httpbody"
	"github.com/faxreport/faxreport/internal/validate"
)

// maxErrorFieldAndReason bounds what a *validate.Error says besides its excerpt (and besides the
// quoted content type of a content-type error, which comes from a header, not from the body).
const maxErrorFieldAndReason = 512

// maxErrorLen bounds the whole message of a *validate.Error about the body.
const maxErrorLen = 1024

// FuzzDecode feeds arbitrary content types and bodies to the report decoder. Every outcome is one
// of:
//
//   - a report, only for an application/json body that is a JSON object passing the StatusReport
//     schema; the report says exactly what the validated document says about every field of the
//     spec, and re-marshalled it passes the schema again;
//   - a *validate.Error that quotes the body only through httpbody.Excerpt and is otherwise
//     short, so that no more than a bounded excerpt of a hostile body reaches an error message.
//
// The decoder with JSON accepts exactly the same bodies, and its model is the report: a read
// with the bytes says what a model read says.
func FuzzDecode(f *testing.F) {
	d, err := validate.NewDecoder[gen.StatusReport]("StatusReport")
	if err != nil {
		f.Fatal(err)
	}
	rawDecoder, err := validate.NewWithJSONDecoder[gen.StatusReport]("StatusReport")
	if err != nil {
		f.Fatal(err)
	}
	doc, err := validate.Spec()
	if err != nil {
		f.Fatal(err)
	}
	schema := doc.Components.Schemas["StatusReport"].Value

	const jsonType = "application/json"
	for _, name := range api.Reports() {
		f.Add(jsonType, api.Example(name))
		f.Add("application/json; charset=utf-8", api.Example(name))
		f.Add("text/plain", api.Example(name))
		b := api.Example(name)
		f.Add(jsonType, b[:len(b)/2]) // truncated
	}
	for _, name := range []string{api.Error401, api.Error404} {
		f.Add(jsonType, api.Example(name))
	}
	minimal := `{"jobId":"J","recipientStatus":[{"number":"1","status":"OK","reason":"OK","durationInSecs":0}],"pages":1}`
	for _, s := range []struct{ ct, body string }{
		{jsonType, ""},
		{"", minimal},
		{"APPLICATION/JSON", minimal},
		{"application/json;", minimal},
		{"application/json; charset=\"", minimal},
		{"application/problem+json", minimal},
		{jsonType, "null"},
		{jsonType, "[]"},
		{jsonType, "{}"},
		{jsonType, `"jobId"`},
		{jsonType, minimal},
		{jsonType, "\ufeff" + minimal},
		{jsonType, "\ufeff\ufeff" + minimal},
		{jsonType, "\ufeff"},
		{jsonType, minimal + " "},
		{jsonType, minimal + "{}"},
		{jsonType, `{"jobId":"J","recipientStatus":[],"pages":0}`},
		{jsonType, `{"jobId":"","recipientStatus":[],"pages":-1}`},
		{jsonType, `{"jobId":"J","recipientStatus":null,"pages":1}`},
		{jsonType, `{"jobId":"J","recipientStatus":[],"pages":1.5}`},
		{jsonType, `{"jobId":"J","recipientStatus":[],"pages":1.0}`},
		{jsonType, `{"jobId":"J","recipientStatus":[],"pages":1e3}`},
		{jsonType, `{"jobId":"J","recipientStatus":[],"pages":99999999999999999999}`},
		{jsonType, `{"jobId":1,"recipientStatus":[],"pages":1}`},
		{jsonType, `{"jobId":"J","recipientStatus":[],"pages":1,"reference":null}`},
		{jsonType, `{"jobId":"J","recipientStatus":[],"pages":1,"reference":{"billingCode":"` + strings.Repeat("b", 81) + `"}}`},
		{jsonType, `{"jobId":"J","recipientStatus":[],"pages":1,"reference":{"customerDefinedId":"` + strings.Repeat("é", 256) + `"}}`},
		{jsonType, `{"jobId":"J","recipientStatus":[{"number":"1","status":"OK","reason":"OK","durationInSecs":0,"sentTs":"2017-08-10T13:05:09.5+02:00","properties":[]}],"pages":1}`},
		{jsonType, `{"jobId":"J","recipientStatus":[{"number":"1","status":"OK","reason":"OK","durationInSecs":0,"sentTs":"2017-08-10 13:05:09"}],"pages":1}`},
		{jsonType, `{"jobId":"J","recipientStatus":[{"number":"1","status":"OK","reason":"OK","durationInSecs":0,"properties":[{"key":"k"}]}],"pages":1}`},
		{jsonType, `{"jobId":"J","recipientStatus":[{"number":"1","status":"OK","reason":"OK"}],"pages":1}`},
		{jsonType, `{"jobId":"J","jobId":2,"recipientStatus":[],"pages":1}`},
		{jsonType, `{"jobId":"\ud800","recipientStatus":[],"pages":1,"extra":{"deep":[1,2,{"x":null}]}}`},
		{jsonType, "{\"jobId\":\"\xff\xfe\",\"recipientStatus\":[],\"pages\":1}"}, // invalid UTF-8
		{jsonType, "\xff\xfe\xfd" + strings.Repeat("\x00", 200)},
		{jsonType, strings.Repeat("é", 200)},                        // cut inside a rune
		{jsonType, strings.Repeat("[", 2000)},                       // deep nesting
		{jsonType, `{"jobId":"` + strings.Repeat("A", 5000) + `"}`}, // huge string, missing fields
		{strings.Repeat("x", 300), minimal},
	} {
		f.Add(s.ct, []byte(s.body))
	}

	f.Fuzz(func(t *testing.T, contentType string, sent []byte) {
		orig := bytes.Clone(sent)
		report, err := d.Decode(contentType, sent)
		if !bytes.Equal(sent, orig) {
			t.Fatalf("Decode modified its input")
		}
		body := bytes.TrimPrefix(sent, []byte("\ufeff")) // the JSON: a leading byte-order mark is ignored
		checkRawAgrees(t, rawDecoder, contentType, sent, body, report, err)
		if err != nil {
			if report != nil {
				t.Fatalf("Decode returned both a report and an error: %v", err)
			}
			checkDecodeError(t, contentType, body, err)
			return
		}
		if report == nil {
			t.Fatal("Decode returned neither a report nor an error")
		}

		// Only an application/json body can be accepted.
		if mt, _, err := mime.ParseMediaType(contentType); err != nil || mt != "application/json" {
			t.Fatalf("accepted content type %q", contentType)
		}

		// The body, decoded generically, is an object holding every required field with the right
		// JSON type: nothing required was filled in with a zero value.
		var generic map[string]any
		if err := json.Unmarshal(body, &generic); err != nil {
			t.Fatalf("accepted a body that is not a JSON object: %v", err)
		}
		checkRequired(t, generic)

		// The report, re-marshalled, passes the schema.
		again, err := json.Marshal(report)
		if err != nil {
			t.Fatalf("cannot re-marshal the accepted report: %v", err)
		}
		var regeneric any
		if err := json.Unmarshal(again, &regeneric); err != nil {
			t.Fatalf("re-marshalled report is not JSON: %v", err)
		}
		if err := schema.VisitJSON(regeneric, fuzzVisitOptions...); err != nil {
			t.Fatalf("accepted a body whose decoded report fails the schema:\nbody:    %q\nreport:  %s\nfailure: %v", body, again, err)
		}

		// The report says what the validated document says: every field of the spec, compared
		// after the document is reduced to the fields the spec defines.
		want := projectReport(generic)
		got := projectReport(regeneric.(map[string]any))
		if !reflect.DeepEqual(got, want) {
			gotJSON, _ := json.Marshal(got)
			wantJSON, _ := json.Marshal(want)
			t.Fatalf("decoded report differs from the validated document:\nbody:      %q\nvalidated: %s\ndecoded:   %s", body, wantJSON, gotJSON)
		}
	})
}

// checkRawAgrees asserts that the raw decoder accepts what was sent exactly when the model
// decoder did (report, err), that its JSON is the body (sent without a byte-order mark),
// and that its model is that report.
func checkRawAgrees(t *testing.T, rawDecoder *validate.Decoder[validate.WithJSON[gen.StatusReport]], contentType string, sent, body []byte, report *gen.StatusReport, err error) {
	t.Helper()
	raw, rawErr := rawDecoder.Decode(contentType, sent)
	if (rawErr == nil) != (err == nil) {
		t.Fatalf("the raw decoder says %v, the model decoder %v", rawErr, err)
	}
	if rawErr != nil {
		return
	}
	if !bytes.Equal(raw.JSON, body) {
		t.Fatalf("raw body %q, not the body %q", raw.JSON, body)
	}
	if !reflect.DeepEqual(raw.Value, report) {
		t.Fatalf("model decoded with the JSON: %+v; the decoded report: %+v", raw.Value, report)
	}
}

// fuzzVisitOptions are the options of the decoder: validate as a response, the date-time format
// by ParseDateTime (which FuzzDateTime checks against an oracle of its own).
var fuzzVisitOptions = []openapi3.SchemaValidationOption{
	openapi3.VisitAsResponse(),
	openapi3.DisableSchemaErrorDetails(),
	openapi3.WithStringFormatValidator(validate.DateTimeFormat, openapi3.NewCallbackValidator(func(s string) error {
		_, err := validate.ParseDateTime(s)
		return err
	})),
}

// checkDecodeError asserts that err is a *validate.Error that is short and quotes the body only
// through its excerpt.
func checkDecodeError(t *testing.T, contentType string, body []byte, err error) {
	t.Helper()
	var ve *validate.Error
	if !errors.As(err, &ve) {
		t.Fatalf("error %T is not a *validate.Error: %v", err, err)
	}
	if ve.Excerpt != httpbody.Excerpt(body) {
		t.Fatalf("Excerpt %q is not httpbody.Excerpt(body) %q", ve.Excerpt, httpbody.Excerpt(body))
	}
	if strings.HasPrefix(ve.Reason, "content type ") && ve.Field == "" {
		want := httpbody.Excerpt([]byte(contentType))
		if ve.Reason != "content type is not application/json" || ve.Detail != want {
			t.Fatalf("content-type error %q: %q, want the detail %q", ve.Reason, ve.Detail, want)
		}
		if mt, _, err := mime.ParseMediaType(contentType); err == nil && mt == "application/json" {
			t.Fatalf("refused content type %q, which is application/json", contentType)
		}
		return
	}
	if mt, _, err := mime.ParseMediaType(contentType); err != nil || mt != "application/json" {
		t.Fatalf("content type %q passed; error: %v", contentType, err)
	}
	if n := len(ve.Field) + len(ve.Reason) + len(ve.Detail); n > maxErrorFieldAndReason {
		t.Fatalf("error field and reason are %d bytes (> %d), the body is quoted beyond its excerpt:\nbody:   %.200q...\nfield:  %.300q...\nreason: %.300q...",
			n, maxErrorFieldAndReason, body, ve.Field, ve.Reason)
	}
	if n := len(err.Error()); n > maxErrorLen {
		t.Fatalf("error message is %d bytes (> %d): %.300q...", n, maxErrorLen, err.Error())
	}
}

// checkRequired asserts that doc, the generic decode of an accepted body, has every required
// field of StatusReport and RecipientStatus with its JSON type.
func checkRequired(t *testing.T, doc map[string]any) {
	t.Helper()
	if _, ok := doc["jobId"].(string); !ok {
		t.Fatalf("accepted a report whose jobId is %#v", doc["jobId"])
	}
	if _, ok := doc["pages"].(float64); !ok {
		t.Fatalf("accepted a report whose pages is %#v", doc["pages"])
	}
	recipients, ok := doc["recipientStatus"].([]any)
	if !ok {
		t.Fatalf("accepted a report whose recipientStatus is %#v", doc["recipientStatus"])
	}
	for i, r := range recipients {
		r, ok := r.(map[string]any)
		if !ok {
			t.Fatalf("accepted a report whose recipientStatus[%d] is %#v", i, r)
		}
		for _, k := range []string{"number", "status", "reason"} {
			if _, ok := r[k].(string); !ok {
				t.Fatalf("accepted a report whose recipientStatus[%d].%s is %#v", i, k, r[k])
			}
		}
		if _, ok := r["durationInSecs"].(float64); !ok {
			t.Fatalf("accepted a report whose recipientStatus[%d].durationInSecs is %#v", i, r["durationInSecs"])
		}
	}
}

// projectReport reduces a generically decoded report to the fields the spec defines, as the
// generated model holds them: unknown fields dropped, a null properties list dropped (the model
// cannot tell it from an absent one), sentTs as an instant.
func projectReport(doc map[string]any) map[string]any {
	out := pick(doc, "jobId", "pages")
	if rs, ok := doc["recipientStatus"].([]any); ok {
		list := make([]any, len(rs))
		for i, r := range rs {
			r, _ := r.(map[string]any)
			p := pick(r, "number", "status", "reason", "durationInSecs", "sentToNumber", "remoteCsid")
			if s, ok := r["sentTs"].(string); ok {
				if ts, err := validate.ParseDateTime(s); err == nil {
					p["sentTs"] = ts.UTC().Format(time.RFC3339Nano)
				} else {
					p["sentTs"] = "unparsable: " + s
				}
			}
			if props, ok := r["properties"].([]any); ok {
				pl := make([]any, len(props))
				for j, prop := range props {
					prop, _ := prop.(map[string]any)
					pl[j] = pick(prop, "key", "value")
				}
				p["properties"] = pl
			}
			list[i] = p
		}
		out["recipientStatus"] = list
	} else if v, present := doc["recipientStatus"]; present {
		out["recipientStatus"] = v
	}
	if ref, ok := doc["reference"].(map[string]any); ok {
		out["reference"] = pick(ref, "customerDefinedId", "billingCode", "billingInfo")
	} else if v, present := doc["reference"]; present {
		out["reference"] = v
	}
	return out
}

// pick copies the named keys of m that are present.
func pick(m map[string]any, keys ...string) map[string]any {
	out := map[string]any{}
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}
