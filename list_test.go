package faxreport_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
)

func TestListSeesTheOldest1000OfEachDataCenter(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	ids := s.SeedReports(2500) // round robin: 1250 per data center, oldest first
	listing, err := c.ListStatusReports(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(listing.Parts) != 2 || listing.Count() != 2000 || !listing.Truncated() {
		t.Fatalf("%d parts, %d reports, truncated %t", len(listing.Parts), listing.Count(), listing.Truncated())
	}
	for i, part := range listing.Parts {
		if part.Endpoint != s.DataCenter(i).URL() || part.Err != nil || !part.Truncated || len(part.Reports) != faxreport.ListLimit || part.Invalid != nil {
			t.Fatalf("part %d: %s, err %v, truncated %t, %d reports, invalid %#v", i, part.Endpoint, part.Err, part.Truncated, len(part.Reports), part.Invalid)
		}
		for n, r := range part.Reports { // the data center's oldest, in order
			if want := ids[2*n+i]; r.JobID != want {
				t.Fatalf("part %d report %d is %s, want %s", i, n, r.JobID, want)
			}
		}
	}
}

func TestListNamesAFailingDataCenterAndKeepsTheOthers(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	s.SeedReports(10)
	s.DataCenter(1).Inject(faxtest.Fault{Status: 503}) // every attempt
	listing, err := c.ListStatusReports(testContext(t))
	mustFail(t, err, faxreport.ErrUnavailable, faxreport.ErrNotFound)
	if !strings.Contains(err.Error(), s.DataCenter(1).URL()) || strings.Contains(err.Error(), s.DataCenter(0).URL()) {
		t.Errorf("error does not name only the failing data center: %v", err)
	}
	if listing == nil || len(listing.Parts[0].Reports) != 5 || listing.Parts[0].Err != nil {
		t.Fatalf("the healthy data center's part is lost: %+v", listing)
	}
	if p := listing.Parts[1]; p.Err == nil || p.Reports != nil {
		t.Fatalf("the failing data center's part: %+v", p)
	}
	if got := s.DataCenter(1).RequestCount(); got != fastRetry.MaxAttempts {
		t.Errorf("failing data center asked %d times, want %d (retries)", got, fastRetry.MaxAttempts)
	}
}

func TestListShowsOnlyCompletedReports(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{DataCenters: 1})
	s.DataCenter(0).Put(newReport("FJDONE", faxreport.StatusOK).model())
	s.DataCenter(0).PutPending(newReport("FJBUSY", faxreport.StatusOK).model(), faxtest.Pending{Reads: 1})
	listing, err := c.ListStatusReports(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, r := range listing.Reports() {
		got = append(got, r.JobID)
	}
	if !slices.Equal(got, []string{"FJDONE"}) || listing.Truncated() {
		t.Fatalf("listed %v", got)
	}
}

// The listing and the drain give each report as the API sent it too: unknown fields, nulls and
// the order of the fields kept, byte for byte.
func TestListAndDrainJSONAreTheAPIsBytes(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{DataCenters: 1})
	body := append(bytes.TrimSuffix(bytes.TrimSpace(api.Example(api.ReportExample)), []byte("}")), []byte(`, "vendorExtra": {"a": [1, null]}}`)...)
	s.PutJSON(body)
	listing, err := c.ListStatusReports(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := listing.Parts[0].JSON; len(got) != 1 || !bytes.Equal(got[0], body) || listing.Parts[0].Reports[0].JobID != testJobID {
		t.Fatalf("listed JSON %s, want %s", got, body)
	}
	var drained []faxreport.RawReport
	if _, err := c.DrainStatusReports(testContext(t), faxreport.DrainConfig{HandleJSON: func(_ context.Context, page []faxreport.RawReport) error {
		drained = append(drained, page...)
		return nil
	}}); err != nil {
		t.Fatal(err)
	}
	if len(drained) != 1 || !bytes.Equal(drained[0].JSON, body) || s.Count() != 0 {
		t.Fatalf("drained %+v, want %s, %d left", drained, body, s.Count())
	}
	// Each report comes with its job and data center, as a push's HandleJSON gets them.
	if r := drained[0]; r.JobID != testJobID || r.DataCenter != s.DataCenter(0).URL() {
		t.Fatalf("drained job %q of %q, want %q of %q", r.JobID, r.DataCenter, testJobID, s.DataCenter(0).URL())
	}
}

// A listing that breaks the contract names the job of the offending report, not only its index
// among a thousand.
func TestListInvalidReportIsNamedByItsJob(t *testing.T) {
	bad := newReport(testJobID).with("2017-08-10 13:05:09Z", "recipientStatus", 0, "sentTs").json() // no "T": not ISO 8601
	bad = bytes.Replace(bad, []byte(testJobID), []byte("FJBADDATE"), 1)
	list := `{"reports":[` + string(newReport("FJ1").json()) + "," + string(newReport("FJ2").json()) + "," + string(bad) + "]}"
	c := newClient(t, newDataCenter(t, serveJSON(200, []byte(list))))
	_, err := c.ListStatusReports(testContext(t))
	mustFail(t, err, faxreport.ErrInvalidResponse)
	if !strings.Contains(err.Error(), `/reports/2/recipientStatus/0/sentTs (job "FJBADDATE")`) {
		t.Fatalf("%v does not name the job", err)
	}
}
