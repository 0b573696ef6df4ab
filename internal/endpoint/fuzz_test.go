package endpoint_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/endpoint"
)

// fuzzBase is a data center's base URL as the client passes it to the generated code: with
// exactly one trailing slash.
const fuzzBase = "https://faxws.de1.retarus.com/rest/v1/"

// FuzzRequestPath checks that every customer number and job ID that endpoint.CheckPathParam accepts stays
// inside its own path segment of /rest/v1/{custNr}/fax/reports/{jobId} on the data center's host:
//
//   - CheckPathParam refuses exactly "", ".", "..", invalid UTF-8 and control characters, with an error
//     wrapping ErrInvalidPathParam;
//   - for accepted values, gen.NewGetStatusReportRequest succeeds; the URL keeps the scheme and
//     host, has no user, query or fragment, its decoded path is exactly
//     "/rest/v1/" + custNr + "/fax/reports/" + jobID, and its escaped path is six segments whose
//     third and sixth unescape to custNr and jobID;
//   - the request line the server receives (RequestURI) parses back to the same path.
func FuzzRequestPath(f *testing.F) {
	for _, s := range [][2]string{
		{"12345", "FJJ66GHGX105ZZBIELVCN1"},
		{"", "FJ1"}, {"12345", ""}, {".", "FJ1"}, {"12345", ".."}, {"..", ".."},
		{"...", "./"}, {"a/b", "../x"}, {"12345", "../../admin"}, {"%2e%2e", "%2F"}, {"12345", "%"},
		{"12345", "a?b=c"}, {"12345", "a#frag"}, {"12345", "a;b"}, {"12345", "a b"}, {"12345", "+"},
		{"12345", "//evil.example/x"}, {"@evil.example", "x"}, {"12345", "http://evil.example/"},
		{"12345", "\\..\\x"}, {"12345", "\x00"}, {"12345", "\r\nHost: x"}, {"12345", "\xff\xfe"},
		{"12345", "é/ü"}, {"12345", "\u202e"}, {"12345", strings.Repeat("A", 5000)},
	} {
		f.Add(s[0], s[1])
	}

	f.Fuzz(func(t *testing.T, custNr, jobID string) {
		refused := func(v string) bool {
			return v == "" || v == "." || v == ".." || !utf8.ValidString(v) || strings.IndexFunc(v, unicode.IsControl) >= 0
		}
		for _, v := range []string{custNr, jobID} {
			err := endpoint.CheckPathParam("value", v)
			if (err != nil) != refused(v) {
				t.Fatalf("CheckPathParam(%q) = %v: want an error exactly for \"\", \".\", \"..\", invalid UTF-8 and control characters", v, err)
			}
			if err != nil && !errors.Is(err, endpoint.ErrInvalidPathParam) {
				t.Fatalf("CheckPathParam(%q) = %v: does not wrap ErrInvalidPathParam", v, err)
			}
		}
		if refused(custNr) || refused(jobID) {
			return
		}

		req, err := gen.NewGetStatusReportRequest(fuzzBase, custNr, jobID)
		if err != nil {
			t.Fatalf("NewGetStatusReportRequest(%q, %q): %v", custNr, jobID, err)
		}
		u := req.URL
		if u.Scheme != "https" || u.Host != "faxws.de1.retarus.com" || u.User != nil || u.Opaque != "" {
			t.Fatalf("custNr %q, job %q: URL %q left https://faxws.de1.retarus.com", custNr, jobID, u)
		}
		if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
			t.Fatalf("custNr %q, job %q: URL %q has a query or fragment", custNr, jobID, u)
		}
		wantPath := "/rest/v1/" + custNr + "/fax/reports/" + jobID
		if u.Path != wantPath {
			t.Fatalf("custNr %q, job %q: path %q, want %q", custNr, jobID, u.Path, wantPath)
		}
		checkSegments(t, custNr, jobID, u.EscapedPath())

		// What goes on the wire.
		sent, err := url.ParseRequestURI(u.RequestURI())
		if err != nil {
			t.Fatalf("custNr %q, job %q: request URI %q does not parse: %v", custNr, jobID, u.RequestURI(), err)
		}
		if sent.Path != wantPath || sent.RawQuery != "" {
			t.Fatalf("custNr %q, job %q: request URI %q is path %q query %q, want path %q", custNr, jobID, u.RequestURI(), sent.Path, sent.RawQuery, wantPath)
		}
		checkSegments(t, custNr, jobID, sent.EscapedPath())
	})
}

// checkSegments asserts that escaped is /rest/v1/{custNr}/fax/reports/{jobID}, each value in one
// segment.
func checkSegments(t *testing.T, custNr, jobID, escaped string) {
	t.Helper()
	segs := strings.Split(strings.TrimPrefix(escaped, "/"), "/")
	if !strings.HasPrefix(escaped, "/") || len(segs) != 6 || segs[0] != "rest" || segs[1] != "v1" || segs[3] != "fax" || segs[4] != "reports" {
		t.Fatalf("custNr %q, job %q: escaped path %q is not /rest/v1/{custNr}/fax/reports/{jobId}", custNr, jobID, escaped)
	}
	for i, want := range map[int]string{2: custNr, 5: jobID} {
		got, err := url.PathUnescape(segs[i])
		if err != nil || got != want {
			t.Fatalf("escaped path %q: segment %d %q unescapes to %q (%v), want %q", escaped, i, segs[i], got, err, want)
		}
	}
}
