package faxtest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// panicMessage runs f and returns what it panicked with, "" if it did not.
func panicMessage(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}

// Put, PutPending and PutJSON refuse a report that breaks the contract the same way, when it is
// stored, with a message that names the rule.
func TestPutRefusesReportsThatBreakTheContract(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	for _, tc := range []struct {
		name   string
		report *faxreport.Report
		json   string
		want   string
	}{
		{"no recipients", &faxreport.Report{JobID: "FJNORECIPIENTS", Pages: 1},
			`{"jobId":"FJNORECIPIENTS","pages":1,"recipientStatus":null}`, "field /recipientStatus: "},
		{"no job ID", &faxreport.Report{Pages: 1, RecipientStatus: []faxreport.RecipientStatus{{Number: "+1", Status: "OK", Reason: "OK"}}},
			`{"pages":1,"recipientStatus":[{"number":"+1","status":"OK","reason":"OK","durationInSecs":0}]}`, "jobId"},
		{"empty job ID", &faxreport.Report{JobID: "", Pages: 1, RecipientStatus: []faxreport.RecipientStatus{}},
			`{"jobId":"","pages":1,"recipientStatus":[]}`, "jobId is empty"},
		{"billing code too long", &faxreport.Report{JobID: "FJLONG", Pages: 1, RecipientStatus: []faxreport.RecipientStatus{},
			Reference: &faxreport.Reference{BillingCode: new(strings.Repeat("b", 81))}},
			`{"jobId":"FJLONG","pages":1,"recipientStatus":[],"reference":{"billingCode":"` + strings.Repeat("b", 81) + `"}}`, "field /reference/billingCode: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, put := range []struct {
				name string
				f    func()
			}{
				{"Server.Put", func() { s.Put(tc.report) }},
				{"Server.PutPending", func() { s.PutPending(tc.report, faxtest.Pending{Reads: 1}) }},
				{"DataCenter.Put", func() { s.DataCenter(0).Put(tc.report) }},
				{"Server.PutJSON", func() { s.PutJSON([]byte(tc.json)) }},
				{"DataCenter.PutJSON", func() { s.DataCenter(1).PutJSON([]byte(tc.json)) }},
			} {
				msg := panicMessage(put.f)
				if !strings.HasPrefix(msg, "faxtest: refusing a report") || !strings.Contains(msg, tc.want) {
					t.Errorf("%s: panic %q, want one naming %q", put.name, msg, tc.want)
				}
			}
		})
	}
	if n := len(s.Requests()); n != 0 {
		t.Fatalf("%d requests", n)
	}
	for _, dc := range s.DataCenters() {
		if dc.Has("FJNORECIPIENTS") || dc.Has("FJLONG") {
			t.Fatal("a refused report was stored")
		}
	}
	// What the contract allows stays allowed: unknown fields, null properties, no recipients yet.
	s.PutJSON([]byte(`{"jobId":"FJEXTRA","pages":1,"recipientStatus":[],"extra":{"new":true}}`))
	s.Put(&faxreport.Report{JobID: "FJEMPTY", Pages: 0, RecipientStatus: []faxreport.RecipientStatus{}})
}

// DataCenter of an index that does not exist says what was asked and what exists.
func TestDataCenterOutOfRange(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	for _, i := range []int{2, -1} {
		msg := panicMessage(func() { s.DataCenter(i) })
		if want := fmt.Sprintf("faxtest: DataCenter(%d): the server has 2 data centers, DataCenter(0) to DataCenter(1)", i); msg != want {
			t.Errorf("panic %q, want %q", msg, want)
		}
	}
}
