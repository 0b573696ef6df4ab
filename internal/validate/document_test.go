package validate

import (
	"reflect"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"

	"github.com/faxreport/faxreport/gen"
)

// documentSeeds are bodies that the document parser must read exactly as json.Unmarshal into an
// any does: the same value, or an error for the same bodies.
var documentSeeds = []string{
	`{}`, `[]`, `null`, `true`, `false`, `0`, `-0`, `0.5`, `255`, `255.0`, `256`, `1e2`, `-1.5e3`, `["OK","OK",{"OK":"OK"}]`, `"x"`, `""`, ` {"a" : [ 1 , "b" , null ] } `,
	`{"a":{"b":{"c":[[],[{}],[1,2,3]]}}}`, `{"jobId":"J","recipientStatus":[{"number":"1","properties":[{"key":"k","value":"v"}]}]}`,
	`{"unknown name":1,"jobId":"\u00e4\ud83d\ude00\n"}`, `["\u0000","\\\"/"]`,
	// refused
	``, ` `, `{`, `{"a":1,"a":2}`, `{"a":1}{}`, `{"a":1} x`, `1 2`, `[1,]`, `{"a"}`, `1e999`, `-1e999`,
	"\"\xff\"", "{\"\xff\":1}", `{"a":1,}`, `[`, `NaN`, `01`, `"\ud800"`,
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
}

func checkDocument(t *testing.T, parsers *docParsers, body string) {
	t.Helper()
	var want any
	wantErr := json.Unmarshal([]byte(body), &want)
	p := parsers.get()
	got, err := p.parse([]byte(body))
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("body %q: error %v, json.Unmarshal's %v", body, err, wantErr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("body %q: parsed %#v, json.Unmarshal %#v", body, got, want)
	}
	parsers.put(p)
}

// The parser reads every body as json.Unmarshal into an any does, also when its objects and
// arrays are reused from one body to the next.
func TestDocumentParsesAsUnmarshal(t *testing.T) {
	parsers := newDocParsers(map[string]string{"jobId": "jobId", "a": "a"})
	for range 2 { // the second round reuses the first round's objects
		for _, body := range documentSeeds {
			checkDocument(t, parsers, body)
		}
	}
}

func FuzzDocumentParse(f *testing.F) {
	for _, body := range documentSeeds {
		f.Add(body)
	}
	parsers := newDocParsers(map[string]string{"jobId": "jobId"})
	f.Fuzz(func(t *testing.T, body string) {
		checkDocument(t, parsers, body)
	})
}

// A decoded value shares nothing with the objects the decoder reuses: a report, and one decoded
// with its JSON, stay as they were while other bodies are decoded.
func TestReusedDocumentLeavesValuesAlone(t *testing.T) {
	report := func(id, number string) []byte {
		return []byte(`{"jobId":"` + id + `","pages":1,"recipientStatus":[{"number":"` + number + `","properties":[{"key":"k","value":"` + number + `"}],"status":"OK","reason":"OK","durationInSecs":1}]}`)
	}
	d, err := NewDecoder[gen.StatusReport]("StatusReport")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := NewWithJSONDecoder[gen.StatusReport]("StatusReport")
	if err != nil {
		t.Fatal(err)
	}
	first, err := d.Decode("application/json", report("J1", "+49 1"))
	if err != nil {
		t.Fatal(err)
	}
	firstRaw, err := raw.Decode("application/json", report("R1", "+49 3"))
	if err != nil {
		t.Fatal(err)
	}
	keep := *first
	keepRecipients := append([]gen.RecipientStatus(nil), first.RecipientStatus...)
	keepProps := append([]gen.Property(nil), *first.RecipientStatus[0].Properties...)
	keepRaw := *firstRaw.Value
	keepRawRecipients := append([]gen.RecipientStatus(nil), firstRaw.Value.RecipientStatus...)
	keepJSON := string(firstRaw.JSON)
	for i := range 3 {
		if _, err := d.Decode("application/json", report("J2", "+49 2")); err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Decode("application/json", report("R2", "+49 4")); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Decode("application/json", []byte(`{"jobId":3,"pages":1,"recipientStatus":[{}]}`)); err == nil {
			t.Fatal("a report with a numeric job ID passed")
		}
		if first.JobID != keep.JobID || !reflect.DeepEqual(first.RecipientStatus, keepRecipients) || !reflect.DeepEqual(*first.RecipientStatus[0].Properties, keepProps) {
			t.Fatalf("after %d more decodes, the first report changed: %+v", i+1, first)
		}
		if firstRaw.Value.JobID != keepRaw.JobID || !reflect.DeepEqual(firstRaw.Value.RecipientStatus, keepRawRecipients) || string(firstRaw.JSON) != keepJSON {
			t.Fatalf("after %d more decodes, the first report decoded with its JSON changed: %+v, %s", i+1, firstRaw.Value, firstRaw.JSON)
		}
	}
}

// A parser given back after a large document keeps no more than its bounds of it.
func TestParserKeepsNoLargeDocument(t *testing.T) {
	parsers := newDocParsers(nil)
	p := parsers.get()
	body := `{"long":"` + strings.Repeat("x", 2*maxPooledLen) + `","many":[` + strings.Repeat("1,", 2*maxPooledLen) + `1]}`
	if _, err := p.parse([]byte(body)); err != nil {
		t.Fatal(err)
	}
	parsers.put(p)
	if cap(p.text) > maxPooledLen {
		t.Errorf("kept %d bytes of scratch", cap(p.text))
	}
	for _, a := range p.arrays {
		if cap(a) > maxPooledLen {
			t.Errorf("kept an array of %d elements", cap(a))
		}
	}
	many := parsers.pool.New().(*docParser)
	for range maxPooledObjects + 1 {
		many.objects = append(many.objects, map[string]any{})
	}
	many.nobj = len(many.objects)
	parsers.put(many)
	for range 10 {
		if parsers.get() == many {
			t.Fatal("a parser holding more objects than the bound was kept")
		}
	}
}
