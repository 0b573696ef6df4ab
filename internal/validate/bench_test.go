package validate

import (
	"bytes"
	stdjson "encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/go-json-experiment/json"

	"github.com/faxreport/faxreport/gen"
)

// bigReport is a report of n recipients with every optional field set.
func bigReport(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"jobId":"FJJ66GHGX105ZZBIELVCN1","pages":3,"reference":{"customerDefinedId":"cdi","billingCode":"bc","billingInfo":"bi"},"recipientStatus":[`)
	for i := range n {
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"number":"+49 89 %07d","properties":[{"key":"name","value":"Recipient %d"}],"status":"OK","reason":"OK","sentTs":"2017-08-10T13:05:09Z","durationInSecs":%d,"sentToNumber":"004989%07d","remoteCsid":"+49/89/%07d"}`, i, i, i%120, i, i)
	}
	buf.WriteString(`]}`)
	return buf.Bytes()
}

// BenchmarkDecodeParts splits Decode into its steps, against encoding/json's struct decode, for
// the 1000-recipient report (P2) and the document's example report (P1), to show where the time
// and the memory go. Each step alone also gives P2's memory figures.
func BenchmarkDecodeParts(b *testing.B) {
	d := reportDecoder(b)
	convert := converterFor(reflect.TypeFor[gen.StatusReport](), map[reflect.Type]*converter{})
	for _, tc := range []struct {
		name string
		body []byte
	}{{"1000-recipients", bigReport(1000)}, {"example", exampleReport}} {
		var doc any
		if err := json.Unmarshal(tc.body, &doc); err != nil {
			b.Fatal(err)
		}
		steps := []struct {
			name string
			run  func()
		}{
			{"encoding-json-struct", func() { var r gen.StatusReport; _ = stdjson.Unmarshal(tc.body, &r) }},
			{"parse", func() { p := d.parsers.get(); _, _ = p.parse(tc.body); d.parsers.put(p) }},
			{"parse-json-v2", func() { var v any; _ = json.Unmarshal(tc.body, &v) }},
			{"visit", func() { _ = d.schema.VisitJSON(doc, visitOptions...) }},
			{"build", func() { var r gen.StatusReport; _ = convert(reflect.ValueOf(&r).Elem(), doc) }},
			{"decode", func() { _, _ = d.Decode("application/json", tc.body) }},
		}
		for _, step := range steps {
			b.Run(tc.name+"/"+step.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					step.run()
				}
			})
		}
	}
}

func reportDecoder(b *testing.B) *Decoder[gen.StatusReport] {
	d, err := NewDecoder[gen.StatusReport]("StatusReport")
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// exampleReport is the document's example report (api/examples/report.json, compacted).
var exampleReport = []byte(`{"jobId":"FJJ66GHGX105ZZBIELVCN1","recipientStatus":[{"number":"+49 89 1234567-8900","properties":null,"status":"OK","reason":"OK","sentTs":"2017-08-10T13:05:09Z","durationInSecs":19,"sentToNumber":"00498912345678900","remoteCsid":"+49/89/1234567-8900"}],"pages":1,"reference":{"customerDefinedId":"2022-04-7T11:04:37.057Z_customerDefinedId","billingCode":"2022-04-7T11:04:37.057Z_billingCode","billingInfo":"2022-04-7T11:04:37.057Z_billingInfo"}}`)
