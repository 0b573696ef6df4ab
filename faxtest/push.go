package faxtest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/faxreport/faxreport"
)

// PushNamespace is the XML namespace of the vendor's status push.
const PushNamespace = "http://retarus.com/fax4ba/faxws/3/0"

// soapNamespace is the namespace of a SOAP 1.1 envelope.
const soapNamespace = "http://schemas.xmlsoap.org/soap/envelope/"

// PushOption changes how Push sends a push.
type PushOption func(*pushOptions)

type pushOptions struct {
	username, password string
	auth               bool
	wrapped, soap      bool
	noNamespace        bool
	asJSON             bool
	recipientStatus    string
}

// PushBasicAuth sends the push with these basic-auth credentials (the principal and
// credentials of authMethod HTTP_BASIC). Without it, a push carries no credentials.
func PushBasicAuth(username, password string) PushOption {
	return func(o *pushOptions) { o.username, o.password, o.auth = username, password, true }
}

// PushInReportResponse wraps the faxJobReport in a ReportResponse element, as the SOAP API's
// getFaxReports answers.
func PushInReportResponse() PushOption { return func(o *pushOptions) { o.wrapped = true } }

// PushInSOAPEnvelope sends the ReportResponse inside a SOAP 1.1 envelope, with prefixed names.
func PushInSOAPEnvelope() PushOption { return func(o *pushOptions) { o.soap = true } }

// PushWithoutNamespace leaves out the vendor's XML namespace.
func PushWithoutNamespace() PushOption { return func(o *pushOptions) { o.noNamespace = true } }

// PushAsJSON sends the push as application/json: an object with the faxJobReport's fields
// (jobId, faxRecipient, …), since the vendor does not document its JSON variant's shape.
func PushAsJSON() PushOption { return func(o *pushOptions) { o.asJSON = true } }

// PushRecipientStatus makes every recipient of the push carry status (and reason) instead of the
// stored report's: a push whose data differs from what the API serves.
func PushRecipientStatus(status string) PushOption {
	return func(o *pushOptions) { o.recipientStatus = status }
}

// pushClient sends the pushes; its timeout keeps a stuck receiver from hanging a test.
var pushClient = &http.Client{Timeout: 30 * time.Second}

// Push POSTs a status push for jobID to url the way Retarus documents it: the faxJobReport
// layout of the SOAP API's getFaxReports, as text/xml in the vendor's namespace, built from the
// report stored for jobID (or a one-recipient OK report when none is), with the variants that
// opts select. Reading the stored report for it is not a request: it is not logged, and it
// does not count as a read of a Pending job.
//
// The response's body has been read (up to 1 MiB) and closed; resp.Body holds a copy, so
// closing it is optional. An error is a failure to send or to read the answer.
func (s *Server) Push(url, jobID string, opts ...PushOption) (*http.Response, error) {
	var o pushOptions
	for _, opt := range opts {
		opt(&o)
	}
	body, contentType, err := o.render(s.pushReport(jobID, url, o))
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	if o.auth {
		req.SetBasicAuth(o.username, o.password)
	}
	resp, err := pushClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body = io.NopCloser(bytes.NewReader(answer))
	return resp, err
}

// pushReport is a faxJobReport of the push, with the vendor's element names.
type pushReport struct {
	XMLName        xml.Name        `json:"-"`
	JobID          string          `xml:"jobId" json:"jobId"`
	ReportMail     pushReportMail  `xml:"reportMail" json:"reportMail"`
	HTTPStatusPush pushTarget      `xml:"httpStatusPush" json:"httpStatusPush"`
	FaxRecipient   []pushRecipient `xml:"faxRecipient" json:"faxRecipient"`
	Document       []pushDocument  `xml:"document" json:"document"`
	Pages          int             `xml:"pages" json:"pages"`
}

type pushReportMail struct {
	SuccessAddress         string `xml:"successAddress" json:"successAddress"`
	FailureAddress         string `xml:"failureAddress" json:"failureAddress"`
	AttachedFaxImageMode   string `xml:"attachedFaxImageMode" json:"attachedFaxImageMode"`
	AttachedFaxImageFormat string `xml:"attachedFaxImageFormat" json:"attachedFaxImageFormat"`
}

type pushTarget struct {
	URL        string `xml:"url" json:"url"`
	AuthMethod string `xml:"authMethod" json:"authMethod"`
}

type pushRecipient struct {
	Number         string `xml:"number" json:"number"`
	NumID          string `xml:"numId" json:"numId"`
	Status         string `xml:"status" json:"status"`
	Reason         string `xml:"reason" json:"reason"`
	SentTS         string `xml:"sentTS,omitempty" json:"sentTS,omitempty"`
	DurationInSecs int    `xml:"durationInSecs" json:"durationInSecs"`
	SentToNumber   string `xml:"sentToNumber,omitempty" json:"sentToNumber,omitempty"`
	RemoteCsid     string `xml:"remoteCsid,omitempty" json:"remoteCsid,omitempty"`
}

type pushDocument struct {
	Name   string `xml:"name" json:"name"`
	IsText bool   `xml:"isText" json:"isText"`
}

// pushReport builds the push for jobID from its stored report.
func (s *Server) pushReport(jobID, url string, o pushOptions) pushReport {
	authMethod := "NONE"
	if o.auth {
		authMethod = "HTTP_BASIC"
	}
	p := pushReport{
		JobID:          jobID,
		ReportMail:     pushReportMail{AttachedFaxImageMode: "NEVER", AttachedFaxImageFormat: "TIFF"},
		HTTPStatusPush: pushTarget{URL: url, AuthMethod: authMethod},
		Document:       []pushDocument{{Name: "document.pdf"}},
		Pages:          1,
	}
	stored, ok := s.stored(jobID)
	if !ok {
		stored = &faxreport.Report{JobID: jobID, Pages: 1, RecipientStatus: []faxreport.RecipientStatus{
			{Number: "+49 89 1234567", Status: faxreport.StatusOK, Reason: "OK", DurationInSecs: 20},
		}}
	}
	p.Pages = stored.Pages
	for i, r := range stored.RecipientStatus {
		rec := pushRecipient{
			Number: r.Number, NumID: fmt.Sprintf("FN%s%02d", jobID, i), Status: r.Status, Reason: r.Reason,
			DurationInSecs: r.DurationInSecs, SentToNumber: deref(r.SentToNumber), RemoteCsid: deref(r.RemoteCsid),
		}
		if r.SentTS != nil {
			rec.SentTS = r.SentTS.UTC().Format(time.RFC3339)
		}
		if o.recipientStatus != "" {
			rec.Status, rec.Reason = o.recipientStatus, o.recipientStatus
		}
		p.FaxRecipient = append(p.FaxRecipient, rec)
	}
	return p
}

// stored returns the final report stored for jobID in its home data center.
func (s *Server) stored(jobID string) (*faxreport.Report, bool) {
	dc := s.Home(jobID)
	dc.mu.Lock()
	j := dc.jobs[jobID]
	dc.mu.Unlock()
	if j == nil {
		return nil, false
	}
	var r faxreport.Report
	if json.Unmarshal(j.body, &r) != nil {
		return nil, false
	}
	return &r, true
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// render encodes p as o asks, and returns the body and its content type.
func (o pushOptions) render(p pushReport) ([]byte, string, error) {
	if o.asJSON {
		body, err := json.Marshal(p)
		return body, "application/json", err
	}
	ns := PushNamespace
	if o.noNamespace {
		ns = ""
	}
	p.XMLName = xml.Name{Space: ns, Local: "faxJobReport"}
	report, err := xml.Marshal(p)
	if err != nil {
		return nil, "", err
	}
	var b bytes.Buffer
	switch {
	case o.soap:
		b.WriteString(xml.Header)
		b.WriteString(`<soap:Envelope xmlns:soap="` + soapNamespace + `"><soap:Body>`)
		if ns == "" {
			b.WriteString(`<ReportResponse>`)
		} else {
			b.WriteString(`<ns2:ReportResponse xmlns:ns2="` + ns + `">`)
		}
		b.Write(report)
		if ns == "" {
			b.WriteString(`</ReportResponse>`)
		} else {
			b.WriteString(`</ns2:ReportResponse>`)
		}
		b.WriteString(`</soap:Body></soap:Envelope>`)
	case o.wrapped:
		if ns == "" {
			b.WriteString(`<ReportResponse>`)
		} else {
			b.WriteString(`<ReportResponse xmlns="` + ns + `">`)
		}
		b.Write(report)
		b.WriteString(`</ReportResponse>`)
	default:
		b.Write(report)
	}
	return b.Bytes(), "text/xml", nil
}
