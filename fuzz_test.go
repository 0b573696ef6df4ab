package faxreport_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/httpbody"
	"github.com/faxreport/faxreport/internal/validate"

	jsonv2 "github.com/go-json-experiment/json"
)

// fuzzPassword is the password of the fuzzed clients: no error or log record may show it.
const fuzzPassword = "fuzz-S3CRET-pw"

// maxFuzzErrorLen bounds an error message, besides a content type that it quotes in full.
const maxFuzzErrorLen = 2048

// fuzzResponse is what the fuzz server answers.
type fuzzResponse struct {
	status      int
	contentType string
	body        []byte
}

// fuzzServer is one data center for a whole fuzz function: each input sets the response it
// gives, so that the fuzzing does not start a server per input.
type fuzzServer struct {
	*httptest.Server
	mu   sync.Mutex
	resp fuzzResponse
	logs lockedBuffer
}

func newFuzzServer(f *testing.F) *fuzzServer {
	s := &fuzzServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		resp := s.resp
		s.mu.Unlock()
		w.Header().Set("Content-Type", resp.contentType)
		w.WriteHeader(resp.status)
		w.Write(resp.body)
	}))
	f.Cleanup(s.Close)
	return s
}

func (s *fuzzServer) set(resp fuzzResponse) {
	s.mu.Lock()
	s.resp = resp
	s.mu.Unlock()
}

// client returns a client of s alone, without retries, that logs every attempt to s.logs.
func (s *fuzzServer) client(f *testing.F) *faxreport.Client {
	c, err := faxreport.New(faxreport.Config{
		CustomerNumber: testCustNr,
		Username:       "u",
		Password:       fuzzPassword,
		Endpoints:      []string{s.URL + "/rest/v1"},
		Retry:          faxreport.RetryPolicy{MaxAttempts: 1},
		Logger:         slog.New(slog.NewTextHandler(&s.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		f.Fatal(err)
	}
	return c
}

// FuzzGetStatusReportResponse answers GetStatusReport with an arbitrary status (200 to 599),
// content type (its control characters made spaces, see headerValue) and body, and checks that:
//
//   - a report comes only from a 200 whose body passes the spec (the validating decoder gives the
//     same report), never together with an error;
//   - every failure is classified: it matches ErrNotFound, ErrUnauthorized, ErrUnavailable or
//     ErrInvalidResponse, or is an *APIError; it is an *APIError with the status for a non-200,
//     ErrInvalidResponse for a 200; 404 is ErrNotFound, 400 and 401
//     ErrUnauthorized, 429 and 5xx ErrUnavailable, and nothing but a 404 is ErrNotFound;
//   - no error and no log record shows the password or an Authorization header, unless the
//     response itself carried that text;
//   - error messages are bounded whatever the body's size.
func FuzzGetStatusReportResponse(f *testing.F) {
	srv := newFuzzServer(f)
	client := srv.client(f)
	decoder, err := validate.NewDecoder[gen.StatusReport]("StatusReport")
	if err != nil {
		f.Fatal(err)
	}

	const jsonType = "application/json"
	for _, name := range api.Reports() {
		b := api.Example(name)
		f.Add(200, jsonType, b)
		f.Add(200, "application/json; charset=utf-8", b)
		f.Add(200, "text/plain", b)
		f.Add(200, jsonType, b[:len(b)/2])
		f.Add(500, jsonType, b)
	}
	f.Add(401, jsonType, api.Example(api.Error401))
	f.Add(404, jsonType, api.Example(api.Error404))
	for _, s := range []struct {
		status int
		ct     string
		body   string
	}{
		{200, jsonType, ""},
		{200, jsonType, "{}"},
		{200, jsonType, "null"},
		{200, jsonType, `{"jobId":"J","recipientStatus":[],"pages":1,"reference":{"billingCode":"` + strings.Repeat("b", 81) + `"}}`},
		{200, jsonType, `{"jobId":"J","recipientStatus":[],"pages":1` + strings.Repeat("0", 3000) + `}`},
		{200, jsonType, "{\"jobId\":\"\xff\",\"recipientStatus\":[],\"pages\":1}"},
		{200, jsonType, `{"jobId":"J","recipientStatus":[],"pages":1,"note":"Basic dTpmdXp6LVMzQ1JFVC1wdw=="}`},
		{200, "", `{"jobId":"J","recipientStatus":[],"pages":1}`},
		{200, "text/html", "<html>maintenance</html>"},
		{200, strings.Repeat("x", 3000), "{}"},
		{200, "application/json\x00", "{}"},
		{204, jsonType, ""},
		{301, jsonType, ""},
		{304, jsonType, "ignored"},
		{400, jsonType, ""},
		{401, "text/plain", "Basic realm=\"retarus\""},
		{403, jsonType, `{"code":403}`},
		{404, jsonType, ""},
		{404, "text/html", strings.Repeat("<p>not found</p>", 100)},
		{429, jsonType, `{"message":"slow down"}`},
		{500, jsonType, `{"code":500,"message":"` + strings.Repeat("é", 200) + `"}`},
		{502, "text/html", "<html>bad gateway</html>"},
		{503, jsonType, "\xff\xfe\x00"},
		{520, jsonType, `{"code":"x"}`},
		{599, jsonType, strings.Repeat("A", 100000)},
	} {
		f.Add(s.status, s.ct, []byte(s.body))
	}

	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		status = 200 + ((status-200)%400+400)%400 // 200..599, seeds unchanged: no 1xx, not final responses
		contentType = headerValue(contentType)
		srv.set(fuzzResponse{status: status, contentType: contentType, body: body})
		srv.logs.take()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()

		report, err := client.GetStatusReport(ctx, testJobID)
		logs := srv.logs.take()
		if ctx.Err() != nil {
			t.Fatalf("status %d: the call did not end within 10s: %v", status, err)
		}
		for _, secret := range []string{fuzzPassword, "Basic "} {
			if echoes(contentType, body, secret) {
				continue
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Fatalf("error shows %q: %v", secret, err)
			}
			if strings.Contains(logs, secret) {
				t.Fatalf("log shows %q: %s", secret, logs)
			}
		}

		if err == nil {
			if report == nil {
				t.Fatalf("status %d: no report and no error", status)
			}
			if status != http.StatusOK {
				t.Fatalf("status %d gave a report", status)
			}
			if _, err := decoder.Decode("application/json", body); err != nil {
				t.Fatalf("accepted a body that fails the spec (%v): %q", err, body)
			}
			// An independent decoder (json/v2 into the generated struct: case-sensitive names,
			// like the validator) must read the same report as the client built.
			want := new(faxreport.Report)
			if err := jsonv2.Unmarshal(bytes.TrimPrefix(body, []byte("\ufeff")), want, isoTimes); err != nil {
				t.Fatalf("accepted a body that json/v2 cannot decode (%v): %q", err, body)
			}
			if !reflect.DeepEqual(report, want) {
				t.Fatalf("report %+v is not the body's %+v", report, want)
			}
			return
		}

		if report != nil {
			t.Fatalf("status %d: both a report and an error: %v", status, err)
		}
		if n, limit := len(err.Error()), maxFuzzErrorLen+len(strconv.Quote(contentType)); n > limit {
			t.Fatalf("status %d: error message of %d bytes (> %d): %.400q...", status, n, limit, err.Error())
		}
		var apiErr *faxreport.APIError
		isAPI := errors.As(err, &apiErr)
		if !isAPI && !errors.Is(err, faxreport.ErrNotFound) && !errors.Is(err, faxreport.ErrUnauthorized) &&
			!errors.Is(err, faxreport.ErrUnavailable) && !errors.Is(err, faxreport.ErrInvalidResponse) {
			t.Fatalf("status %d: unclassified error %T: %v", status, err, err)
		}
		if errors.Is(err, faxreport.ErrNotFound) && status != http.StatusNotFound {
			t.Fatalf("status %d is ErrNotFound: %v", status, err)
		}

		// The response always arrives (see headerValue): the error says what it was.
		if status == http.StatusOK {
			if !errors.Is(err, faxreport.ErrInvalidResponse) || isAPI {
				t.Fatalf("refused 200 is not ErrInvalidResponse alone: %v", err)
			}
			return
		}
		if !isAPI || apiErr.StatusCode != status {
			t.Fatalf("status %d: error is not an *APIError with that status: %v", status, err)
		}
		for _, c := range []struct {
			sentinel error
			want     bool
		}{
			{faxreport.ErrNotFound, status == http.StatusNotFound},
			{faxreport.ErrUnauthorized, status == http.StatusUnauthorized || status == http.StatusBadRequest},
			{faxreport.ErrUnavailable, status == http.StatusTooManyRequests || status >= 500},
			{faxreport.ErrInvalidResponse, status != http.StatusNotFound && status != http.StatusUnauthorized &&
				status != http.StatusBadRequest && status != http.StatusTooManyRequests && status < 500},
		} {
			if errors.Is(err, c.sentinel) != c.want {
				t.Fatalf("status %d: errors.Is(err, %v) = %t: %v", status, c.sentinel, !c.want, err)
			}
		}
	})
}

// isoTimes makes json/v2 read date-times as openapi.yaml's sentTs format says (ISO 8601, basic
// or extended, with or without a designator), with validate.ParseDateTime, which FuzzDateTime
// checks against an oracle of its own.
var isoTimes = jsonv2.WithUnmarshalers(jsonv2.UnmarshalFunc(func(b []byte, t *time.Time) error {
	var s string
	if err := jsonv2.Unmarshal(b, &s); err != nil {
		return err
	}
	var err error
	*t, err = validate.ParseDateTime(s)
	return err
}))

// FuzzAPIErrorBody answers GetStatusReport with a 500 and an arbitrary JSON body, and checks what
// the *APIError keeps of it: the {code, message} object's fields, the message cut to
// httpbody.ExcerptBytes at a rune boundary, or else a short quoted excerpt of the body, nothing
// for an empty body; and a bounded message in every case.
func FuzzAPIErrorBody(f *testing.F) {
	srv := newFuzzServer(f)
	client := srv.client(f)

	for _, b := range []string{
		"", "{}", "null", "[]", `""`, "0", "not json", `{"code":500}`, `{"message":"boom"}`,
		`{"code":500,"message":"Internal error"}`, `{"code":null,"message":null}`, `{"code":"500"}`,
		`{"code":1.5,"message":"x"}`, `{"code":1e400}`, `{"code":500,"message":5}`, `{"message":""}`,
		`{"Code":1,"MESSAGE":"case"}`, `{"code":1,"code":2}`, `{"message":"\ud800"}`,
		`{"message":"` + strings.Repeat("é", 100) + `"}`, `{"message":"` + strings.Repeat("a", 119) + `é"}`,
		`{"message":"` + strings.Repeat("\\u0000", 200) + `"}`, `{"message":"` + strings.Repeat("\\u2028", 200) + `"}`,
		"{\"message\":\"\xff\xfe\"}", "\xff\xfe\xfd", strings.Repeat("\x00", 300), strings.Repeat("😀", 100),
		`{"code":500,"message":"x"} trailing`, `{"code":500,"message":"` + strings.Repeat("m", 70000) + `"}`,
		"<html><body><h1>500 Internal Server Error</h1></body></html>",
	} {
		f.Add([]byte(b))
	}
	f.Add(api.Example(api.Error401))
	f.Add(append([]byte("\ufeff"), api.Example(api.Error401)...))
	f.Add(api.Example(api.ReportExample))

	f.Fuzz(func(t *testing.T, body []byte) {
		srv.set(fuzzResponse{status: http.StatusInternalServerError, contentType: "application/json", body: body})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()

		report, err := client.GetStatusReport(ctx, testJobID)
		srv.logs.take()
		if report != nil || err == nil {
			t.Fatalf("a 500 gave report %v, error %v", report, err)
		}
		var apiErr *faxreport.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("a 500 is not an *APIError: %v", err)
		}
		if !errors.Is(err, faxreport.ErrUnavailable) || errors.Is(err, faxreport.ErrNotFound) ||
			errors.Is(err, faxreport.ErrUnauthorized) || errors.Is(err, faxreport.ErrInvalidResponse) {
			t.Fatalf("a 500 is not ErrUnavailable alone: %v", err)
		}
		if apiErr.StatusCode != http.StatusInternalServerError || apiErr.Endpoint != srv.URL+"/rest/v1" {
			t.Fatalf("APIError %+v: want status 500 from %s", apiErr, srv.URL+"/rest/v1")
		}

		const maxMessage = httpbody.ExcerptBytes + len("…")
		body = bytes.TrimPrefix(body, []byte("\ufeff")) // a leading byte-order mark is ignored
		switch {
		case len(body) == 0:
			if apiErr.Code != 0 || apiErr.Message != "" || apiErr.Excerpt != "" {
				t.Fatalf("empty body gave %+v", apiErr)
			}
		case apiErr.Excerpt != "":
			if apiErr.Excerpt != httpbody.Excerpt(body) || apiErr.Code != 0 || apiErr.Message != "" {
				t.Fatalf("body %.200q gave %+v, want only the excerpt %s", body, apiErr, httpbody.Excerpt(body))
			}
		default:
			// The body was the error object: the message is its own, cut at a rune boundary.
			if len(apiErr.Message) > maxMessage || !utf8.ValidString(apiErr.Message) {
				t.Fatalf("message of %d bytes (> %d) or not UTF-8: %q", len(apiErr.Message), maxMessage, apiErr.Message)
			}
			var doc struct {
				Message *string `json:"message"`
			}
			// Case-sensitive, as the client reads error bodies: "messAgE" is not the message.
			if jsonv2.Unmarshal(body, &doc) == nil && doc.Message != nil {
				full, cut := *doc.Message, strings.TrimSuffix(apiErr.Message, "…")
				if apiErr.Message != full && (cut == apiErr.Message || !strings.HasPrefix(full, cut) || len(full) <= httpbody.ExcerptBytes) {
					t.Fatalf("message %q is not the body's %.200q, or its cut", apiErr.Message, full)
				}
			}
		}
		if n := len(err.Error()); n > 1024 {
			t.Fatalf("error message of %d bytes: %.400q...", n, err.Error())
		}
	})
}

// headerValue makes v a header value that net/http's client accepts: its other control
// characters replaced by spaces, as the server does for CR and LF. A header line the client
// refuses would only exercise net/http, and would cost a new connection per input, which
// exhausts the loopback ports within a minute of fuzzing.
func headerValue(v string) string {
	b := []byte(v)
	for i, c := range b {
		if c < ' ' && c != '\t' || c == 0x7f {
			b[i] = ' '
		}
	}
	return string(b)
}
