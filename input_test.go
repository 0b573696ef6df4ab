package faxreport_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/faxreport/faxreport"
)

func TestGetStatusReportRejectsPathChangingJobIDs(t *testing.T) {
	dc := newDataCenter(t, serveReport())
	c := newClient(t, dc)
	for _, id := range []string{"", ".", "..", "FJ\x00", "FJ\r\nX-Injected: 1", "FJ\x7f", "FJ\u0085", "FJ\xff\xfe"} {
		r, err := c.GetStatusReport(testContext(t), id)
		if r != nil {
			t.Fatalf("job ID %q: got a report", id)
		}
		mustFail(t, err, faxreport.ErrInvalidArgument)
	}
	if n := dc.requests.Load(); n != 0 {
		t.Fatalf("%d requests sent for invalid job IDs", n)
	}
}

// A job ID, however long, is quoted in errors only in part: a 2 MiB ID answered with 431 gives
// an error of a readable length.
func TestErrorsQuoteLongJobIDsInPart(t *testing.T) {
	dc := newDataCenter(t, serveReport())
	id := "FJ" + strings.Repeat("A", 2<<20)
	_, err := newClient(t, dc).GetStatusReport(testContext(t), id)
	if err == nil {
		t.Fatal("a 2 MiB job ID found a report")
	}
	if n := len(err.Error()); n > 2000 {
		t.Fatalf("the error is %d bytes long", n)
	}
	var apiErr *faxreport.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("got %v, want the server's 431", err)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	ok := faxreport.Config{CustomerNumber: testCustNr, Username: testUser, Password: testPassword}
	for _, tc := range []struct {
		name string
		edit func(*faxreport.Config)
	}{
		{"empty customer number", func(c *faxreport.Config) { c.CustomerNumber = "" }},
		{"customer number ..", func(c *faxreport.Config) { c.CustomerNumber = ".." }},
		{"customer number .", func(c *faxreport.Config) { c.CustomerNumber = "." }},
		{"no username", func(c *faxreport.Config) { c.Username = "" }},
		{"no password", func(c *faxreport.Config) { c.Password = "" }},
		{"unknown region", func(c *faxreport.Config) { c.Region = "mars" }},
		{"plain http to a remote host", func(c *faxreport.Config) { c.Endpoints = []string{"http://faxws.example.com/rest/v1"} }},
		{"ftp endpoint", func(c *faxreport.Config) { c.Endpoints = []string{"ftp://127.0.0.1/rest/v1"} }},
		{"endpoint without host", func(c *faxreport.Config) { c.Endpoints = []string{"https:///rest/v1"} }},
		{"endpoint with credentials", func(c *faxreport.Config) { c.Endpoints = []string{"https://u:" + testPassword + "@h/rest/v1"} }},
		{"endpoint with credentials, no host", func(c *faxreport.Config) { c.Endpoints = []string{"https://u:" + testPassword + "@/rest/v1"} }},
		{"endpoint with credentials, bad scheme", func(c *faxreport.Config) { c.Endpoints = []string{"ftp://u:" + testPassword + "@h/rest/v1"} }},
		{"endpoint with credentials, unparsable", func(c *faxreport.Config) { c.Endpoints = []string{"https://u:" + testPassword + "%zz@h/rest/v1"} }},
		{"endpoint with query", func(c *faxreport.Config) { c.Endpoints = []string{"https://h/rest/v1?x=1"} }},
		{"not a URL", func(c *faxreport.Config) { c.Endpoints = []string{"://"} }},
		{"negative retries", func(c *faxreport.Config) { c.Retry.MaxAttempts = -1 }},
		{"negative body cap", func(c *faxreport.Config) { c.MaxResponseBytes = -1 }},
		{"negative connection bound", func(c *faxreport.Config) { c.MaxConnsPerDataCenter = -1 }},
		{"header injection in the user agent", func(c *faxreport.Config) { c.UserAgent = "x\r\nX-Injected: 1" }},
		{"control character in the user agent", func(c *faxreport.Config) { c.UserAgent = "x\x00" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := ok
			tc.edit(&cfg)
			c, err := faxreport.New(cfg)
			if c != nil {
				t.Fatal("got a client")
			}
			mustFail(t, err, faxreport.ErrInvalidArgument)
		})
	}
}

func TestNewRegions(t *testing.T) {
	for region, want := range map[faxreport.Region][]string{
		"":                          {"https://faxws.de1.retarus.com/rest/v1", "https://faxws.de2.retarus.com/rest/v1"},
		faxreport.RegionEurope:      {"https://faxws.de1.retarus.com/rest/v1", "https://faxws.de2.retarus.com/rest/v1"},
		faxreport.RegionAmerica:     {"https://faxws.us1.retarus.com/rest/v1", "https://faxws.us2.retarus.com/rest/v1"},
		faxreport.RegionSwitzerland: {"https://faxws.ch1.retarus.com/rest/v1"},
		faxreport.RegionSingapore:   {"https://faxws.sg1.retarus.com/rest/v1"},
	} {
		c, err := faxreport.New(faxreport.Config{CustomerNumber: "1", Username: "u", Password: "p", Region: region})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Endpoints(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("region %q: endpoints %v, want %v", region, got, want)
		}
		for _, e := range c.Endpoints() {
			if strings.Contains(e, "-ha.") {
				t.Errorf("region %q queries the HA host %s", region, e)
			}
		}
	}
	if r, err := faxreport.ParseRegion(" America "); err != nil || r != faxreport.RegionAmerica {
		t.Errorf("ParseRegion: %v %v", r, err)
	}
	if _, err := faxreport.ParseRegion("atlantis"); err == nil {
		t.Error("ParseRegion accepted atlantis")
	}
}

func TestNewAllowsInsecureHTTPOnlyWhenAskedTo(t *testing.T) {
	cfg := faxreport.Config{CustomerNumber: "1", Username: "u", Password: "p", Endpoints: []string{"http://faxws.example.com/rest/v1"}, AllowInsecureHTTP: true}
	if _, err := faxreport.New(cfg); err != nil {
		t.Fatal(err)
	}
}

func TestGetStatusReportEscapesPathParameters(t *testing.T) {
	for _, tc := range []struct{ custNr, jobID string }{
		{testCustNr, "a/b"},
		{testCustNr, "../../admin"},
		{testCustNr, "x?y=1#z"},
		{testCustNr, "50% off"},
		{testCustNr, "ü..."},
		{"cu/st", "%2F"},
		{"...", "FJ1"},
	} {
		t.Run(tc.custNr+" "+tc.jobID, func(t *testing.T) {
			dc := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
				want := "/rest/v1/" + url.PathEscape(tc.custNr) + "/fax/reports/" + url.PathEscape(tc.jobID)
				if r.URL.EscapedPath() != want || r.URL.RawQuery != "" {
					t.Errorf("path %q query %q, want %q", r.URL.EscapedPath(), r.URL.RawQuery, want)
				}
				serveJSON(200, newReport(tc.jobID).json())(w, r)
			})
			c := newClientWith(t, func(c *faxreport.Config) { c.CustomerNumber = tc.custNr }, dc)
			if _, err := c.GetStatusReport(testContext(t), tc.jobID); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestEndpointSlashesNeverDouble(t *testing.T) {
	dc := newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/rest/v1/"+testCustNr+"/fax/reports/"+testJobID {
			t.Errorf("path %q", r.URL.Path)
		}
		serveReport()(w, r)
	})
	for _, base := range []string{dc.URL + "/rest/v1", dc.URL + "/rest/v1/", dc.URL + "/rest/v1//"} {
		c := newClientWith(t, func(c *faxreport.Config) { c.Endpoints = []string{base} })
		if _, err := c.GetStatusReport(testContext(t), testJobID); err != nil {
			t.Fatalf("%s: %v", base, err)
		}
	}
	if dc.requests.Load() != 3 {
		t.Fatalf("%d requests", dc.requests.Load())
	}
}

func TestCredentialsNeverPrinted(t *testing.T) {
	var logs strings.Builder
	dc := newDataCenter(t, serveStatus(http.StatusUnauthorized))
	cfg := faxreport.Config{
		CustomerNumber: testCustNr, Username: testUser, Password: testPassword,
		Endpoints: []string{dc.BaseURL()}, Retry: fastRetry,
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	c, err := faxreport.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetStatusReport(testContext(t), testJobID)
	mustFail(t, err, faxreport.ErrUnauthorized)
	cfg.Logger.Info("config", "config", cfg)
	withURLPassword := cfg
	withURLPassword.Endpoints = []string{"https://u:" + testPassword + "@h/rest/v1", "https://u:" + testPassword + "%zz@h"}
	asJSON, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Logger.Info("config", "config", withURLPassword)
	printed := fmt.Sprintf("%v %+v %#v %s %v %+v %#v %v %+v %#v", cfg, cfg, cfg, &cfg, c, c, c, withURLPassword, *c, *c) + logs.String() + string(asJSON)
	if strings.Contains(printed, testPassword) || strings.Contains(printed, "Basic ") {
		t.Fatalf("credentials printed: %s", printed)
	}
	for _, attr := range []string{`"job":"` + testJobID + `"`, `"attempt":1`, `"status":401`} { // each attempt's record says which job and which attempt
		if !strings.Contains(logs.String(), attr) {
			t.Errorf("logs lack %s: %s", attr, logs.String())
		}
	}
	if !strings.Contains(logs.String(), `"status":401`) || !strings.Contains(logs.String(), "[REDACTED]") {
		t.Fatalf("logs lack the attempt or the redacted config: %s", logs.String())
	}
}
