package faxreport_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
)

func TestGetStatusReportRejectsResponsesOutsideTheSpec(t *testing.T) {
	long := strings.Repeat("x", 10_000)
	for _, tc := range []struct {
		name        string
		contentType string
		body        []byte
		field       string // must appear in the error
	}{
		{"no jobId", "", newReport(testJobID).with(nil, "jobId").json(), "jobId"},
		{"no recipientStatus", "", newReport(testJobID).with(nil, "recipientStatus").json(), "recipientStatus"},
		{"no pages", "", newReport(testJobID).with(nil, "pages").json(), "pages"},
		{"pages is a string", "", newReport(testJobID).with("1", "pages").json(), "/pages"},
		{"pages is a fraction", "", newReport(testJobID).with(1.5, "pages").json(), "/pages"},
		{"recipient without status", "", newReport(testJobID).with(nil, "recipientStatus", 0, "status").json(), "status"},
		{"recipient without durationInSecs", "", newReport(testJobID).with(nil, "recipientStatus", 0, "durationInSecs").json(), "durationInSecs"},
		{"recipient without number", "", newReport(testJobID).with(nil, "recipientStatus", 0, "number").json(), "number"},
		{"recipient without reason", "", newReport(testJobID).with(nil, "recipientStatus", 0, "reason").json(), "reason"},
		{"sentTs not a date-time", "", newReport(testJobID).with("yesterday", "recipientStatus", 0, "sentTs").json(), "/recipientStatus/0/sentTs"},
		{"property without key", "", newReport(testJobID).with([]any{map[string]any{"value": "v"}}, "recipientStatus", 0, "properties").json(), "key"},
		{"customerDefinedId over 256", "", newReport(testJobID).with(strings.Repeat("é", 257), "reference", "customerDefinedId").json(), "/reference/customerDefinedId"},
		{"billingCode over 80", "", newReport(testJobID).with(strings.Repeat("b", 81), "reference", "billingCode").json(), "/reference/billingCode"},
		{"billingInfo over 80", "", newReport(testJobID).with(strings.Repeat("b", 81), "reference", "billingInfo").json(), "/reference/billingInfo"},
		{"status not a string", "", newReport(testJobID).with(7, "recipientStatus", 0, "status").json(), "/recipientStatus/0/status"},
		{"recipientStatus null", "", newReport(testJobID).with(nil, "recipientStatus").json(), "recipientStatus"},
		{"html", "text/html", []byte("<html>" + long + "</html>"), "content type"},
		{"no content type", "-", api.Example(api.ReportExample), "content type"},
		{"not JSON", "", []byte("{" + long), "not JSON"},
		{"empty body", "", nil, "not JSON"},
		{"array", "", []byte(`[]`), ""},
		{"null", "", []byte(`null`), ""},
		{"huge bad field", "", newReport(testJobID).with(long, "reference", "billingInfo").json(), "billingInfo"},
		{"duplicate jobId", "", []byte(`{"jobId":"FJ1","jobId":"FJ2","recipientStatus":[],"pages":1}`), "duplicate"},
		{"alternativeNumbers not strings", "", newReport(testJobID).with([]any{1}, "recipientStatus", 0, "alternativeNumbers").json(), "alternativeNumbers"},
		{"huge number", "", []byte(`{"jobId":"J","recipientStatus":[],"pages":1` + strings.Repeat("0", 5000) + `}`), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dc := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
				switch tc.contentType {
				case "":
					w.Header().Set("Content-Type", "application/json; charset=utf-8")
				case "-":
					w.Header()["Content-Type"] = nil
				default:
					w.Header().Set("Content-Type", tc.contentType)
				}
				w.Write(tc.body)
			})
			r, err := newClient(t, dc).GetStatusReport(testContext(t), testJobID)
			if r != nil {
				t.Fatalf("got a report %+v from an invalid response", r)
			}
			mustFail(t, err, faxreport.ErrInvalidResponse, faxreport.ErrNotFound)
			if !strings.Contains(err.Error(), tc.field) {
				t.Errorf("error %q does not say %q", err, tc.field)
			}
			if len(err.Error()) > 600 {
				t.Errorf("error is %d bytes long: it echoes too much of the body", len(err.Error()))
			}
			if dc.requests.Load() != 1 {
				t.Errorf("an invalid response was retried")
			}
		})
	}
}

func TestGetStatusReportAcceptsWhatTheSpecAllows(t *testing.T) {
	extra := newReport(testJobID).with(map[string]any{"nested": true}, "someNewField").json()
	var doc map[string]any
	json.Unmarshal(extra, &doc)
	doc["recipientStatus"].([]any)[0].(map[string]any)["newVendorKey"] = "x"
	extra, _ = json.Marshal(doc)
	for _, tc := range []struct {
		name string
		body []byte
	}{
		{"document example", api.Example(api.ReportExample)},
		{"minimal", api.Example(api.ReportMinimal)},
		{"pending with properties and empty remoteCsid", api.Example(api.ReportPending)},
		{"unknown fields", extra},
		{"no reference", newReport(testJobID).with(nil, "reference").json()},
		{"sentTs absent", newReport(testJobID).with(nil, "recipientStatus", 0, "sentTs").json()},
		{"status not seen before", newReport(testJobID).with("SOMETHING_NEW", "recipientStatus", 0, "status").json()},
		{"customerDefinedId of 256 runes", newReport(testJobID).with(strings.Repeat("é", 256), "reference", "customerDefinedId").json()},
		{"alternativeNumbers null", newReport(testJobID).with(nil, "recipientStatus", 0, "alternativeNumbers").json()},
		{"pages at the int32 maximum", newReport(testJobID).with(int64(math.MaxInt32), "pages").json()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var asked struct {
				JobID string `json:"jobId"`
			}
			if err := json.Unmarshal(tc.body, &asked); err != nil {
				t.Fatal(err)
			}
			dc := newDataCenter(t, serveJSON(200, tc.body))
			r, err := newClient(t, dc).GetStatusReport(testContext(t), asked.JobID)
			if err != nil {
				t.Fatal(err)
			}
			if r.JobID != asked.JobID || len(r.RecipientStatus) == 0 {
				t.Fatalf("report %+v", r)
			}
		})
	}
}

// encoding/json matches object names case-insensitively: a validator and a decoder that disagree
// on names would let {"BillingCode": <too long>} past maxLength into Reference.BillingCode, or
// validate one jobId and return another.
func TestGetStatusReportNamesAreCaseSensitive(t *testing.T) {
	body := []byte(`{"jobId":"FJ1","JobId":"FJ2","recipientStatus":[],"pages":1,"reference":{"BillingCode":"` + strings.Repeat("b", 100) + `"}}`)
	dc := newDataCenter(t, serveJSON(200, body))
	r, err := newClient(t, dc).GetStatusReport(testContext(t), "FJ1")
	if err != nil {
		t.Fatal(err)
	}
	if r.JobID != "FJ1" || r.Reference == nil || r.Reference.BillingCode != nil {
		t.Fatalf("decoded %+v with reference %+v: a name that differs in case was taken", r, r.Reference)
	}
}

// What is not an ISO 8601 date-time is refused, also what time.Parse(time.RFC3339, …) takes (a
// one-digit hour, found by FuzzGetStatusReportResponse), and a mix of basic and extended format.
func TestGetStatusReportRefusesWhatIsNoISO8601DateTime(t *testing.T) {
	for _, ts := range []string{
		"2017-08-10 13:05:09Z", "10.08.2017 13:05", "2017-13-10T13:05:09Z", "2017-08-10T1:05:09Z",
		"2017-8-10T13:05:09Z", "2017-08-10T13:05:60Z", "2017-08-10x13:05:09Z", "2017-02-29T13:05:09Z",
		"20170810T13:05:09Z", "2017-08-10T130509Z", "2017-08-10T13:05Z", "2017-08-10T24:00:00Z",
		"2017-08-10T13:05:09+24:00", "2017-08-10T13:05:09+02:", "2017-08-10T13:05:09.Z", "2017-W53-1T13:05:09Z",
		"2017-366T13:05:09Z", "+2017-08-10T13:05:09Z",
	} {
		c := newClient(t, newDataCenter(t, serveJSON(200, newReport(testJobID).with(ts, "recipientStatus", 0, "sentTs").json())))
		_, err := c.GetStatusReport(testContext(t), testJobID)
		mustFail(t, err, faxreport.ErrInvalidResponse)
		if !strings.Contains(err.Error(), "/recipientStatus/0/sentTs") {
			t.Errorf("%s: the error does not name sentTs: %v", ts, err)
		}
		_, err = c.GetStatusReportJSON(testContext(t), testJobID)
		mustFail(t, err, faxreport.ErrInvalidResponse)
	}
}

// Every complete ISO 8601 date-time is read to its instant, by the typed read and the JSON read
// alike (the JSON read keeps the string as sent): basic and extended format, every designator,
// fractions after "." or ",", lower-case "t" and "z", leap seconds, ordinal and week dates, and
// no designator, read as UTC.
func TestGetStatusReportReadsEveryISO8601DateTime(t *testing.T) {
	utc := func(month time.Month, day, hour, minute, second, nanos int) time.Time {
		return time.Date(2017, month, day, hour, minute, second, nanos, time.UTC)
	}
	for ts, want := range map[string]time.Time{
		"2017-08-10T13:05:09.999-0700":  utc(8, 10, 20, 5, 9, 999e6),
		"20170810T130509Z":              utc(8, 10, 13, 5, 9, 0),
		"2017-08-10T13:05:09,5Z":        utc(8, 10, 13, 5, 9, 5e8),
		"2017-08-10T13:05:09+02":        utc(8, 10, 11, 5, 9, 0),
		"2017-08-10T13:05:09+02:00":     utc(8, 10, 11, 5, 9, 0),
		"20170810T130509+0200":          utc(8, 10, 11, 5, 9, 0),
		"20170810T130509,25-01":         utc(8, 10, 14, 5, 9, 25e7),
		"2017-08-10t13:05:09z":          utc(8, 10, 13, 5, 9, 0),
		"2017-08-10T13:05:09.123+02:00": utc(8, 10, 11, 5, 9, 123e6),
		"2017-08-10T13:05:09":           utc(8, 10, 13, 5, 9, 0),
		"20170810T130509":               utc(8, 10, 13, 5, 9, 0),
		"2017-222T13:05:09Z":            utc(8, 10, 13, 5, 9, 0),
		"2017-W32-4T13:05:09Z":          utc(8, 10, 13, 5, 9, 0),
		"2017W324T130509Z":              utc(8, 10, 13, 5, 9, 0),
		"2016-12-31T23:59:60Z":          utc(1, 1, 0, 0, 0, 0),
		"2016-12-31t23:59:60.5z":        utc(1, 1, 0, 0, 0, 5e8),
		"2017-01-01T00:59:60+01:00":     utc(1, 1, 0, 0, 0, 0),
		"20161231T235960":               utc(1, 1, 0, 0, 0, 0),
	} {
		body := newReport(testJobID).with(ts, "recipientStatus", 0, "sentTs").json()
		c := newClient(t, newDataCenter(t, serveJSON(200, body)))
		r, err := c.GetStatusReport(testContext(t), testJobID)
		if err != nil {
			t.Fatalf("%s: %v", ts, err)
		}
		if got := *r.RecipientStatus[0].SentTS; !got.Equal(want) {
			t.Errorf("%s: read as %v, want %v", ts, got, want)
		}
		raw, err := c.GetStatusReportJSON(testContext(t), testJobID)
		if err != nil {
			t.Fatalf("%s (JSON): %v", ts, err)
		}
		if string(raw) != string(body) {
			t.Errorf("%s: the JSON read gave %s, not the body", ts, raw)
		}
	}
}

// A date-time without a designator never stops a drain: the report is handed over and deleted
// like any other.
func TestDrainTakesADateTimeWithoutDesignator(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{DataCenters: 1})
	s.PutJSON(newReport(testJobID).with("2017-08-10T13:05:09", "recipientStatus", 0, "sentTs").json())
	var got []*faxreport.Report
	counts, err := c.DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: func(_ context.Context, page []*faxreport.Report) error {
		got = append(got, page...)
		return nil
	}})
	if err != nil || counts.Deleted != 1 || len(got) != 1 {
		t.Fatalf("drain: %+v, %v, handed %d reports", counts, err, len(got))
	}
	if want := time.Date(2017, 8, 10, 13, 5, 9, 0, time.UTC); !got[0].RecipientStatus[0].SentTS.Equal(want) {
		t.Fatalf("sentTs read as %v, want %v", got[0].RecipientStatus[0].SentTS, want)
	}
}

func TestAnswerAboutAnotherJobIsInvalid(t *testing.T) {
	dc := newDataCenter(t, serveReport()) // always the example job
	c := newClient(t, dc)
	_, err := c.GetStatusReport(testContext(t), "FJOTHER")
	mustFail(t, err, faxreport.ErrInvalidResponse, faxreport.ErrNotFound)
	_, err = c.GetStatusReportJSON(testContext(t), "FJOTHER")
	mustFail(t, err, faxreport.ErrInvalidResponse, faxreport.ErrNotFound)

	deletedOther := newDataCenter(t, serveJSON(200, []byte(`{"jobId":"FJOTHER","deleted":true}`)))
	_, err = newClient(t, deletedOther).DeleteStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrInvalidResponse, faxreport.ErrNotFound)
}

// The model and the raw JSON paths accept and refuse the same bodies: integers are bounded by
// the spec (int32), so validation, not decoding, refuses what no Go int holds.
func TestModelAndJSONPathsAgreeOnIntegers(t *testing.T) {
	for _, tc := range []struct {
		body  []byte
		valid bool
	}{
		{newReport(testJobID).with(1e300, "pages").json(), false},
		{newReport(testJobID).with(int64(math.MaxInt32)+1, "pages").json(), false},
		{newReport(testJobID).with(int64(math.MinInt32)-1, "pages").json(), false},
		{newReport(testJobID).with(1e300, "recipientStatus", 0, "durationInSecs").json(), false},
		{newReport(testJobID).with(int64(math.MaxInt32), "pages").json(), true},
		{newReport(testJobID).with(int64(math.MinInt32), "recipientStatus", 0, "durationInSecs").json(), true},
	} {
		c := newClient(t, newDataCenter(t, serveJSON(200, tc.body)))
		_, modelErr := c.GetStatusReport(testContext(t), testJobID)
		_, jsonErr := c.GetStatusReportJSON(testContext(t), testJobID)
		for _, err := range []error{modelErr, jsonErr} {
			if tc.valid && err != nil || !tc.valid && !errors.Is(err, faxreport.ErrInvalidResponse) {
				t.Errorf("%s: model %v, JSON %v", tc.body, modelErr, jsonErr)
			}
		}
	}
}

// alternativeNumbers, which the seed document does not list, is part of the model.
func TestAlternativeNumbersAreInTheModel(t *testing.T) {
	body := newReport(testJobID).with([]string{"+49 89 1111", "+49 89 2222"}, "recipientStatus", 0, "alternativeNumbers").json()
	r, err := newClient(t, newDataCenter(t, serveJSON(200, body))).GetStatusReport(testContext(t), testJobID)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.RecipientStatus[0].AlternativeNumbers; got == nil || len(*got) != 2 || (*got)[1] != "+49 89 2222" {
		t.Fatalf("alternativeNumbers = %v", got)
	}
}

// A leading UTF-8 byte-order mark is ignored: the typed and the JSON reads accept the body, the
// JSON read returns it without the mark, a listing's reports are read, and an error body's
// message is read. Duplicate member names are still refused after it.
func TestByteOrderMarkIsIgnored(t *testing.T) {
	const bom = "\ufeff"
	body := api.Example(api.ReportExample)
	c := newClient(t, newDataCenter(t, serveJSON(200, append([]byte(bom), body...))))
	r, err := c.GetStatusReport(testContext(t), testJobID)
	if err != nil || r.JobID != testJobID {
		t.Fatalf("typed read: %+v, %v", r, err)
	}
	raw, err := c.GetStatusReportJSON(testContext(t), testJobID)
	if err != nil || string(raw) != string(body) {
		t.Fatalf("JSON read: %q, %v; want the body without the mark", raw, err)
	}

	list := append([]byte(bom+`{"reports":[`), append(body, "]}"...)...)
	listing, err := newClient(t, newDataCenter(t, serveJSON(200, list))).ListStatusReports(testContext(t))
	if err != nil || len(listing.Parts[0].Reports) != 1 || string(listing.Parts[0].JSON[0]) != strings.TrimSpace(string(body)) {
		t.Fatalf("listing: %+v, %v", listing, err)
	}

	_, err = newClient(t, newDataCenter(t, serveJSON(404, []byte(bom+`{"code":404,"message":"no job report"}`)))).GetStatusReport(testContext(t), testJobID)
	var apiErr *faxreport.APIError
	if !errors.As(err, &apiErr) || apiErr.Message != "no job report" || apiErr.Code != 404 {
		t.Fatalf("error body: %v", err)
	}

	dup := newClient(t, newDataCenter(t, serveJSON(200, []byte(bom+`{"jobId":"FJ1","jobId":"FJ2","recipientStatus":[],"pages":1}`))))
	_, err = dup.GetStatusReport(testContext(t), "FJ1")
	mustFail(t, err, faxreport.ErrInvalidResponse)
}
