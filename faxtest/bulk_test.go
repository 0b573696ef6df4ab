package faxtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
	"github.com/faxreport/faxreport/internal/validate"
)

// sendReports sends method with body (none when "") to dc's reports resource with the server's
// credentials, checks the response against openapi.yaml, and returns its status and body.
func sendReports(t *testing.T, s *faxtest.Server, dc *faxtest.DataCenter, method, body string) (int, []byte) {
	t.Helper()
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, dc.URL()+"/"+s.CustomerNumber+"/fax/reports", reader)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.SetBasicAuth(s.Username, s.Password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) > 0 || resp.StatusCode < 400 { // empty error bodies ("No Content") have no schema
		checkResponse(t, req, resp, got, validate.ReportsPath)
	}
	return resp.StatusCode, got
}

// items decodes {"reports": [...]} into its items' jobId, deleted and reason.
func items(t *testing.T, body []byte) []string {
	t.Helper()
	var doc struct {
		Reports []struct {
			JobID   string  `json:"jobId"`
			Deleted *bool   `json:"deleted"`
			Reason  *string `json:"reason"`
		} `json:"reports"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	var out []string
	for _, r := range doc.Reports {
		s := r.JobID
		if r.Deleted != nil {
			s += fmt.Sprint(" ", *r.Deleted)
		}
		if r.Reason != nil {
			s += " " + *r.Reason
		}
		out = append(out, s)
	}
	return out
}

func TestReportsResourceAnswersMatchTheSpec(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1})
	dc := s.DataCenter(0)
	ids := s.SeedReports(4)
	dc.PutPending(report("FJPENDING"), faxtest.Pending{Reads: 5}) // not completed: not listed

	if status, body := sendReports(t, s, dc, http.MethodGet, ""); status != 200 || !slices.Equal(items(t, body), ids) {
		t.Fatalf("list: %d %v, want %v", status, items(t, body), ids)
	}
	// action in any case; unknown IDs left out of a GET by default
	status, body := sendReports(t, s, dc, http.MethodPost, `{"action":"get","jobIds":["`+ids[1]+`","FJUNKNOWN"]}`)
	if status != 200 || !slices.Equal(items(t, body), ids[1:2]) {
		t.Fatalf("bulk get: %d %v", status, items(t, body))
	}
	status, body = sendReports(t, s, dc, http.MethodPost, `{"action":"Delete","jobIds":["`+ids[0]+`","FJUNKNOWN"]}`)
	if want := []string{ids[0] + " true", "FJUNKNOWN false NOT_FOUND"}; status != 200 || !slices.Equal(items(t, body), want) {
		t.Fatalf("bulk delete: %d %v, want %v", status, items(t, body), want)
	}
	dc.FailDeletions(ids[1], 1)
	status, body = sendReports(t, s, dc, http.MethodPost, `{"action":"DELETE","jobIds":["`+ids[1]+`"]}`)
	if want := []string{ids[1] + " false INTERNAL_ERROR"}; status != 200 || !slices.Equal(items(t, body), want) {
		t.Fatalf("bulk delete with INTERNAL_ERROR: %d %v", status, items(t, body))
	}
	status, body = sendReports(t, s, dc, http.MethodDelete, "")
	if want := []string{ids[1] + " true", ids[2] + " true", ids[3] + " true"}; status != 200 || !slices.Equal(items(t, body), want) {
		t.Fatalf("delete oldest: %d %v, want %v", status, items(t, body), want)
	}
	if !dc.Has("FJPENDING") || dc.Count() != 1 {
		t.Fatal("delete-oldest deleted a report that is not completed")
	}
	dc.RefuseUnknownInBulkGet(http.StatusNotFound)
	if status, _ := sendReports(t, s, dc, http.MethodPost, `{"action":"GET","jobIds":["FJUNKNOWN"]}`); status != 404 {
		t.Fatalf("refusing unknown IDs: %d", status)
	}
	dc.Inject(faxtest.Fault{Status: 503, EmptyBody: true, Times: 1}) // faults apply here too
	if status, _ := sendReports(t, s, dc, http.MethodGet, ""); status != 503 {
		t.Fatalf("fault: %d", status)
	}
}

func TestBulkRequestsBeyondTheLimitAreRefused(t *testing.T) {
	rec := &recordingTB{TB: t}
	s := faxtest.NewServer(faxtest.Options{T: rec, DataCenters: 1})
	body := tooManyJobs()
	if status, _ := sendReports(t, s, s.DataCenter(0), http.MethodPost, string(body)); status != 400 {
		t.Fatalf("1001 IDs: %d", status)
	}
	if status, _ := sendReports(t, s, s.DataCenter(0), http.MethodPost, `{"action":"PURGE","jobIds":["FJ1"]}`); status != 400 {
		t.Fatalf("unknown action: %d", status)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.errors) != 2 {
		t.Fatalf("spec violations reported: %q", rec.errors)
	}
}

func TestDropAnswerCarriesTheRequestOut(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1})
	dc := s.Put(report(exampleJob))
	dc.Inject(faxtest.Fault{DropAnswer: true, Times: 1})
	req, _ := http.NewRequest(http.MethodDelete, dc.URL()+"/"+s.CustomerNumber+"/fax/reports/"+exampleJob, nil)
	req.SetBasicAuth(s.Username, s.Password)
	if _, err := (&http.Transport{DisableKeepAlives: true}).RoundTrip(req); err == nil {
		t.Fatal("a lost answer arrived")
	}
	if dc.Has(exampleJob) {
		t.Fatal("the deletion was not carried out")
	}
	if st := statusesOf(dc.Requests()); !slices.Equal(st, []int{0}) {
		t.Fatalf("logged statuses %v, want [0]", st)
	}
}

func TestSeedReportsSpreadsCompletedReportsOverTheDataCenters(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 3})
	ids := s.SeedReports(3000)
	for i, dc := range s.DataCenters() {
		listed := dc.Listed()
		if dc.Count() != 1000 || len(listed) != 1000 || listed[0] != ids[i] {
			t.Fatalf("data center %d holds %d, lists %d from %v", i, dc.Count(), len(listed), listed[:1])
		}
	}
	if again := s.SeedReports(1); slices.Contains(ids, again[0]) {
		t.Fatal("a seeded job ID came twice")
	}
}

// A job whose stored report still has a PENDING recipient is not complete: it is not listed.
func TestListLeavesOutReportsWithPendingRecipients(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1})
	s.LoadExamples() // one of them is still PENDING
	c, err := faxreport.New(s.Config())
	if err != nil {
		t.Fatal(err)
	}
	listing, err := c.ListStatusReports(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if listing.Count() != len(api.Reports())-1 {
		t.Fatalf("%d listed of %d examples", listing.Count(), len(api.Reports()))
	}
	for _, r := range listing.Reports() {
		if !faxreport.IsReportFinal(r) {
			t.Fatalf("listed %s with a PENDING recipient", r.JobID)
		}
	}
}

// tooManyJobs is a bulk GET request of 1001 job IDs, one more than the vendor allows.
func tooManyJobs() []byte {
	ids := make([]string, 1001)
	for i := range ids {
		ids[i] = fmt.Sprintf("FJ%04d", i)
	}
	body, _ := json.Marshal(map[string]any{"action": "GET", "jobIds": ids})
	return body
}
