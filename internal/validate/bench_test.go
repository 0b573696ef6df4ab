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

// BenchmarkDecodeParts splits Decode of a 1000-recipient report into its steps, against
// encoding/json's struct decode (the P2 baseline), to show where the time goes.
func BenchmarkDecodeParts(b *testing.B) {
	body := bigReport(1000)
	d, err := NewDecoder[gen.StatusReport](http.MethodGet, "/{custNr}/fax/reports/{jobId}", http.StatusOK)
	if err != nil {
		b.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		b.Fatal(err)
	}
	convert := converterFor(reflect.TypeFor[gen.StatusReport](), map[reflect.Type]*converter{})
	b.Run("encoding-json-struct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var r gen.StatusReport
			_ = stdjson.Unmarshal(body, &r)
		}
	})
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v any
			_ = json.Unmarshal(body, &v)
		}
	})
	b.Run("visit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = d.schema.VisitJSON(doc, visitOptions...)
		}
	})
	b.Run("convert", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var r gen.StatusReport
			_ = convert(reflect.ValueOf(&r).Elem(), doc)
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = d.Decode("application/json", body)
		}
	})
}

// BenchmarkDecodeSmall decodes the document's example report, the P1 case.
func BenchmarkDecodeSmall(b *testing.B) {
	body := []byte(`{"jobId":"FJJ66GHGX105ZZBIELVCN1","recipientStatus":[{"number":"+49 89 1234567-8900","properties":null,"status":"OK","reason":"OK","sentTs":"2017-08-10T13:05:09Z","durationInSecs":19,"sentToNumber":"00498912345678900","remoteCsid":"+49/89/1234567-8900"}],"pages":1,"reference":{"customerDefinedId":"2022-04-7T11:04:37.057Z_customerDefinedId","billingCode":"2022-04-7T11:04:37.057Z_billingCode","billingInfo":"2022-04-7T11:04:37.057Z_billingInfo"}}`)
	d, err := NewDecoder[gen.StatusReport](http.MethodGet, "/{custNr}/fax/reports/{jobId}", http.StatusOK)
	if err != nil {
		b.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		b.Fatal(err)
	}
	b.Run("encoding-json-struct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var r gen.StatusReport
			_ = stdjson.Unmarshal(body, &r)
		}
	})
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v any
			_ = json.Unmarshal(body, &v)
		}
	})
	b.Run("parse-encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var v any
			_ = stdjson.Unmarshal(body, &v)
		}
	})
	b.Run("visit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = d.schema.VisitJSON(doc, visitOptions...)
		}
	})
	convert := converterFor(reflect.TypeFor[gen.StatusReport](), map[reflect.Type]*converter{})
	b.Run("convert", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var r gen.StatusReport
			_ = convert(reflect.ValueOf(&r).Elem(), doc)
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = d.Decode("application/json", body)
		}
	})
}
