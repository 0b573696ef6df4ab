package faxreport_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/faxreport/faxreport"
)

const vendorNS = `xmlns="http://retarus.com/fax4ba/faxws/3/0"`

func TestParsePushFindsJobIDs(t *testing.T) {
	for name, tc := range map[string]struct {
		contentType, body string
		want              []string
	}{
		"documented example":                {"text/xml", `<faxJobReport ` + vendorNS + `><jobId>FJ1</jobId><faxRecipient><number>+49</number><status>OK</status></faxRecipient><pages>1</pages></faxJobReport>`, []string{"FJ1"}},
		"ReportResponse with two reports":   {"text/xml; charset=utf-8", `<ReportResponse ` + vendorNS + `><faxJobReport><jobId>FJ1</jobId></faxJobReport><faxJobReport><jobId>FJ2</jobId></faxJobReport></ReportResponse>`, []string{"FJ1", "FJ2"}},
		"SOAP envelope, prefixed names":     {"text/xml", `<?xml version="1.0"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><ns2:ReportResponse xmlns:ns2="http://retarus.com/fax4ba/faxws/3/0"><ns2:faxJobReport><ns2:jobId>FJ1</ns2:jobId></ns2:faxJobReport></ns2:ReportResponse></S:Body></S:Envelope>`, []string{"FJ1"}},
		"no namespace":                      {"application/xml", `<faxJobReport><jobId>FJ1</jobId></faxJobReport>`, []string{"FJ1"}},
		"another namespace":                 {"text/xml", `<faxJobReport xmlns="urn:custom"><jobId>FJ1</jobId></faxJobReport>`, []string{"FJ1"}},
		"white space around":                {"text/xml", "\uFEFF\n <faxJobReport>\n  <jobId>\n    FJ1\n  </jobId>\n</faxJobReport>\n", []string{"FJ1"}},
		"duplicates once":                   {"text/xml", `<r><faxJobReport><jobId>FJ1</jobId></faxJobReport><faxJobReport><jobId>FJ1</jobId></faxJobReport></r>`, []string{"FJ1"}},
		"custom template, loose jobId":      {"text/xml", `<statusPush><job><jobId>FJ1</jobId></job><jobId>FJ2</jobId></statusPush>`, []string{"FJ1", "FJ2"}},
		"reports preferred to loose jobIds": {"text/xml", `<x><jobId>FJLOOSE</jobId><faxJobReport><jobId>FJ1</jobId></faxJobReport></x>`, []string{"FJ1"}},
		"ISO-8859-1 declared":               {"text/xml", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><faxJobReport><jobId>FJ1</jobId><document><name>M\xfcnchen.pdf</name></document></faxJobReport>", []string{"FJ1"}},
		"XML sniffed":                       {"text/plain", `<faxJobReport><jobId>FJ1</jobId></faxJobReport>`, []string{"FJ1"}},
		"JSON top level":                    {"application/json", `{"jobId":"FJ1","faxRecipient":[{"status":"OK"}]}`, []string{"FJ1"}},
		"JSON reports list":                 {"application/json", `{"reports":[{"jobId":"FJ1"},{"jobId":"FJ2"}]}`, []string{"FJ1", "FJ2"}},
		"JSON bare list":                    {"application/json", `[{"jobId":"FJ1"},{"jobId":"FJ2"}]`, []string{"FJ1", "FJ2"}},
		"JSON nested":                       {"application/vnd.retarus+json", `{"b":{"faxJobReport":{"jobId":"FJ2"}},"a":[{"jobId":"FJ1"}]}`, []string{"FJ1", "FJ2"}},
		"JSON sniffed":                      {"", ` {"jobId":"FJ1"}`, []string{"FJ1"}},
		"JSON job ID kept exact":            {"application/json", `{"jobId":"FJ 1/ä"}`, []string{"FJ 1/ä"}},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := faxreport.ParsePush(tc.contentType, []byte(tc.body))
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestParsePushRefusesBodiesWithoutValidJobID(t *testing.T) {
	for name, tc := range map[string]struct{ contentType, body string }{
		"empty":                        {"text/xml", ""},
		"only white space":             {"", " \n"},
		"plain text":                   {"text/plain", "jobId=FJ1"},
		"XML that does not parse":      {"text/xml", `<faxJobReport><jobId>FJ1</jobId>`},
		"mismatched tags":              {"text/xml", `<faxJobReport><jobId>FJ1</faxJobReport>`},
		"faxJobReport without jobId":   {"text/xml", `<faxJobReport><pages>1</pages></faxJobReport>`},
		"faxJobReport with two jobIds": {"text/xml", `<faxJobReport><jobId>FJ1</jobId><jobId>FJ2</jobId></faxJobReport>`},
		"one report without jobId":     {"text/xml", `<r><faxJobReport><jobId>FJ1</jobId></faxJobReport><faxJobReport/></r>`},
		"empty jobId":                  {"text/xml", `<faxJobReport><jobId> </jobId></faxJobReport>`},
		"path-changing jobId":          {"text/xml", `<faxJobReport><jobId>..</jobId></faxJobReport>`},
		"unknown charset":              {"text/xml", `<?xml version="1.0" encoding="x-no-such"?><faxJobReport><jobId>FJ1</jobId></faxJobReport>`},
		"XML declared, JSON sent":      {"text/xml", `{"jobId":"FJ1"}`},
		"JSON that does not parse":     {"application/json", `{"jobId":"FJ1"`},
		"JSON without jobId":           {"application/json", `{"reports":[{"id":"FJ1"}]}`},
		"JSON jobId a number":          {"application/json", `{"jobId":12}`},
		"JSON jobId null":              {"application/json", `{"jobId":null}`},
		"JSON empty jobId":             {"application/json", `{"jobId":""}`},
		"JSON duplicate jobId members": {"application/json", `{"jobId":"FJ1","jobId":"FJ2"}`},
		"JSON a string":                {"application/json", `"FJ1"`},
		"JSON invalid UTF-8":           {"application/json", "{\"jobId\":\"FJ\xff\"}"},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := faxreport.ParsePush(tc.contentType, []byte(tc.body))
			if got != nil || !errors.Is(err, faxreport.ErrInvalidArgument) {
				t.Fatalf("got %q, %v; want ErrInvalidArgument", got, err)
			}
		})
	}
}

// FuzzParsePush checks that any body gives either job IDs, each valid and none repeated, or an
// ErrInvalidArgument, and never panics.
func FuzzParsePush(f *testing.F) {
	f.Add("text/xml", `<faxJobReport xmlns="http://retarus.com/fax4ba/faxws/3/0"><jobId>FJ1</jobId></faxJobReport>`)
	f.Add("text/xml", `<S:Envelope xmlns:S="s"><S:Body><ReportResponse><faxJobReport><jobId>FJ1</jobId></faxJobReport></ReportResponse></S:Body></S:Envelope>`)
	f.Add("application/json", `{"reports":[{"jobId":"FJ1"},{"jobId":"FJ2"}]}`)
	f.Add("", `[{"jobId":"FJ1"}]`)
	f.Fuzz(func(t *testing.T, contentType, body string) {
		jobIDs, err := faxreport.ParsePush(contentType, []byte(body))
		if err != nil {
			if jobIDs != nil || !errors.Is(err, faxreport.ErrInvalidArgument) {
				t.Fatalf("got %q with %v", jobIDs, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, id := range jobIDs {
			if id == "" || id == "." || id == ".." || seen[id] {
				t.Fatalf("job IDs %q", jobIDs)
			}
			seen[id] = true
		}
		if len(jobIDs) == 0 {
			t.Fatal("no job ID and no error")
		}
	})
}
