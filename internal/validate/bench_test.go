package validate

import (
	"bytes"
	stdjson "encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"testing"

	"github.com/go-json-experiment/json"

	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/blockbench"
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

// p2Block is the number of decodes in each of P2's blocks (about 25 ms of plain decodes).
const p2Block = 10

// BenchmarkP2Decode1000Recipients: the decode and validation of a 1000-recipient report against
// a plain json.Unmarshal into the same struct (encoding/json), in alternating blocks of p2Block
// decodes (blockbench.Pairs); ratio-median is the P2 target of BENCHMARKS.md, bytes-ratio its
// memory. Run with -benchtime 60x for 60 pairs.
func BenchmarkP2Decode1000Recipients(b *testing.B) {
	body := bigReport(1000)
	d := reportDecoder(b)
	blockbench.Pairs(b, p2Block, func() {
		var r gen.StatusReport
		if err := stdjson.Unmarshal(body, &r); err != nil {
			b.Fatal(err)
		}
	}, func() {
		if _, err := d.Decode("application/json", body); err != nil {
			b.Fatal(err)
		}
	})
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
			{"parse", func() { p := d.parsers.get(); _, _ = p.parse(tc.body); d.parsers.put(p, false) }},
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
	d, err := NewDecoder[gen.StatusReport](http.MethodGet, ReportPath, http.StatusOK)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// exampleReport is the document's example report (api/examples/report.json, compacted).
var exampleReport = []byte(`{"jobId":"FJJ66GHGX105ZZBIELVCN1","recipientStatus":[{"number":"+49 89 1234567-8900","properties":null,"status":"OK","reason":"OK","sentTs":"2017-08-10T13:05:09Z","durationInSecs":19,"sentToNumber":"00498912345678900","remoteCsid":"+49/89/1234567-8900"}],"pages":1,"reference":{"customerDefinedId":"2022-04-7T11:04:37.057Z_customerDefinedId","billingCode":"2022-04-7T11:04:37.057Z_billingCode","billingInfo":"2022-04-7T11:04:37.057Z_billingInfo"}}`)
