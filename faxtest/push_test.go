package faxtest_test

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/faxreport/faxreport/faxtest"
)

// capturedPush is what a receiver got from Push.
type capturedPush struct {
	contentType string
	user, pass  string
	auth        bool
	body        string
}

// capturePush sends one push with opts to a receiver that records it and answers 204.
func capturePush(t *testing.T, s *faxtest.Server, jobID string, opts ...faxtest.PushOption) capturedPush {
	t.Helper()
	got := make(chan capturedPush, 1)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		user, pass, ok := r.BasicAuth()
		got <- capturedPush{r.Header.Get("Content-Type"), user, pass, ok, string(body)}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()
	resp, err := s.Push(receiver.URL, jobID, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status %d", resp.StatusCode)
	}
	return <-got
}

// documentedPush is the faxJobReport of push.md, in the vendor's namespace.
type documentedPush struct {
	XMLName      xml.Name `xml:"http://retarus.com/fax4ba/faxws/3/0 faxJobReport"`
	JobID        string   `xml:"jobId"`
	AuthMethod   string   `xml:"httpStatusPush>authMethod"`
	URL          string   `xml:"httpStatusPush>url"`
	FaxRecipient []struct {
		Number         string `xml:"number"`
		NumID          string `xml:"numId"`
		Status         string `xml:"status"`
		Reason         string `xml:"reason"`
		SentTS         string `xml:"sentTS"`
		DurationInSecs int    `xml:"durationInSecs"`
		SentToNumber   string `xml:"sentToNumber"`
		RemoteCsid     string `xml:"remoteCsid"`
	} `xml:"faxRecipient"`
	Pages int `xml:"pages"`
}

func TestPushSendsTheDocumentedLayout(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	got := capturePush(t, s, "FJJ66GHGX105ZZBIELVCN1", faxtest.PushBasicAuth("principal", "credentials"))
	if got.contentType != "text/xml" || !got.auth || got.user != "principal" || got.pass != "credentials" {
		t.Fatalf("content type %q, basic auth %t %q %q", got.contentType, got.auth, got.user, got.pass)
	}
	if !strings.HasPrefix(got.body, `<faxJobReport xmlns="http://retarus.com/fax4ba/faxws/3/0">`) {
		t.Fatalf("body %s", got.body)
	}
	var p documentedPush
	if err := xml.Unmarshal([]byte(got.body), &p); err != nil {
		t.Fatal(err)
	}
	r := p.FaxRecipient
	if p.JobID != "FJJ66GHGX105ZZBIELVCN1" || p.AuthMethod != "HTTP_BASIC" || p.URL == "" || p.Pages != 1 || len(r) != 1 ||
		r[0].Number != "+49 89 1234567-8900" || r[0].Status != "OK" || r[0].SentTS != "2017-08-10T13:05:09Z" ||
		r[0].DurationInSecs != 19 || r[0].SentToNumber != "00498912345678900" || r[0].NumID == "" {
		t.Fatalf("push %+v from %s", p, got.body)
	}
	if len(s.Requests()) != 0 {
		t.Fatalf("reading the stored report for the push was logged as a request")
	}
}

func TestPushVariants(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	const job = "FJJ66GHGX105ZZBIELVCN1"
	for name, tc := range map[string]struct {
		opts        []faxtest.PushOption
		contentType string
		prefix      string
	}{
		"no credentials":         {nil, "text/xml", `<faxJobReport xmlns=`},
		"ReportResponse":         {[]faxtest.PushOption{faxtest.PushInReportResponse()}, "text/xml", `<ReportResponse xmlns="http://retarus.com/fax4ba/faxws/3/0"><faxJobReport`},
		"SOAP":                   {[]faxtest.PushOption{faxtest.PushInSOAPEnvelope()}, "text/xml", `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ns2:ReportResponse xmlns:ns2="http://retarus.com/fax4ba/faxws/3/0"><faxJobReport`},
		"no namespace":           {[]faxtest.PushOption{faxtest.PushWithoutNamespace()}, "text/xml", `<faxJobReport><jobId>` + job},
		"SOAP without namespace": {[]faxtest.PushOption{faxtest.PushInSOAPEnvelope(), faxtest.PushWithoutNamespace()}, "text/xml", `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ReportResponse><faxJobReport><jobId>`},
		"JSON":                   {[]faxtest.PushOption{faxtest.PushAsJSON()}, "application/json", `{"jobId":"` + job + `"`},
	} {
		t.Run(name, func(t *testing.T) {
			got := capturePush(t, s, job, tc.opts...)
			if got.contentType != tc.contentType || !strings.HasPrefix(got.body, tc.prefix) || got.auth {
				t.Fatalf("content type %q, auth %t, body %s", got.contentType, got.auth, got.body)
			}
		})
	}
}

func TestPushRecipientStatusDiffersFromTheStoredReport(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.LoadExamples()
	got := capturePush(t, s, "FJJ66GHGX105ZZBIELVCN1", faxtest.PushAsJSON(), faxtest.PushRecipientStatus("BUSY"))
	var p struct {
		JobID        string `json:"jobId"`
		FaxRecipient []struct {
			Status string `json:"status"`
		} `json:"faxRecipient"`
	}
	if err := json.Unmarshal([]byte(got.body), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.FaxRecipient) != 1 || p.FaxRecipient[0].Status != "BUSY" {
		t.Fatalf("push %s", got.body)
	}
}

func TestPushOfAJobNotStored(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	got := capturePush(t, s, "FJNOSUCHJOB")
	var p documentedPush
	if err := xml.Unmarshal([]byte(got.body), &p); err != nil {
		t.Fatal(err)
	}
	if p.JobID != "FJNOSUCHJOB" || p.AuthMethod != "NONE" || len(p.FaxRecipient) != 1 || p.FaxRecipient[0].Status != "OK" {
		t.Fatalf("push %+v", p)
	}
}
