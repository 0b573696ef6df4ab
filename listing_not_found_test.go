package faxreport_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// An endpoint whose path does not end in /rest/v1 is refused: every request to it would answer
// 404, which a listing reads as "nothing there" and a job as "not found".
func TestNewRefusesAnEndpointNotEndingInRestV1(t *testing.T) {
	for _, bad := range []string{"https://h", "https://h/", "https://h/rest", "https://h/rest/v2", "https://h/rest/v1/x", "https://h/api/rest/v10"} {
		c, err := faxreport.New(faxreport.Config{CustomerNumber: testCustNr, Username: testUser, Password: testPassword, Endpoints: []string{bad}})
		if c != nil || err == nil || !strings.Contains(err.Error(), "/rest/v1") {
			t.Errorf("%s: client %v, error %v", bad, c, err)
			continue
		}
		mustFail(t, err, faxreport.ErrInvalidArgument)
	}
	for _, good := range []string{"https://h/rest/v1", "https://h/rest/v1/", "https://h/proxy/rest/v1"} {
		if _, err := faxreport.New(faxreport.Config{CustomerNumber: testCustNr, Username: testUser, Password: testPassword, Endpoints: []string{good}}); err != nil {
			t.Errorf("%s: %v", good, err)
		}
	}
}

// serveNotFoundOnReports answers every call on the reports as a whole 404, as the vendor
// documents for the listing; a single report's calls are not expected.
func serveNotFoundOnReports(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/fax/reports") || r.Method == http.MethodPost {
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
		}
		serveJSON(http.StatusNotFound, []byte(`{"code":404,"message":"no job report available"}`))(w, r)
	}
}

// A 404 on the listing is an empty part of that data center, not an error, logged at debug
// level; the other data center's reports are there, and a drain ends without error.
func TestListAndDrainReadA404ListingAsNothingThere(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{DataCenters: 1, T: t})
	ids := s.SeedReports(3)
	var logs lockedBuffer
	cfg := s.Config()
	cfg.Endpoints = append(cfg.Endpoints, newDataCenter(t, serveNotFoundOnReports(t)).BaseURL())
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg.Retry = fastRetry
	c, err := faxreport.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	listing, err := c.ListStatusReports(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	if p := listing.Parts[1]; len(p.Reports) != 0 || p.Err != nil || p.Truncated || listing.Count() != len(ids) {
		t.Fatalf("the 404 part %+v, %d reports in all", p, listing.Count())
	}
	if !strings.Contains(logs.String(), "404 read as nothing there") || !strings.Contains(logs.String(), "level=DEBUG") {
		t.Errorf("the 404 is not logged at debug level: %s", logs.String())
	}
	counts, err := c.DrainStatusReports(testContext(t), faxreport.DrainConfig{Handle: func(context.Context, []*faxreport.Report) error { return nil }})
	if err != nil || counts.Deleted != len(ids) || s.Count() != 0 {
		t.Fatalf("drain: %+v, %v, %d left", counts, err, s.Count())
	}
}

// A 404 on delete-oldest means that data center has nothing to delete: no result, no error.
func TestDeleteOldestReadsA404AsNothingDeleted(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{DataCenters: 1, T: t})
	ids := s.SeedReports(2)
	cfg := s.Config()
	cfg.Endpoints = append(cfg.Endpoints, newDataCenter(t, serveNotFoundOnReports(t)).BaseURL())
	c, err := faxreport.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	results, err := c.DeleteOldestStatusReports(testContext(t))
	if err != nil || len(results) != len(ids) {
		t.Fatalf("%d results, %v", len(results), err)
	}
}
