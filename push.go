package faxreport

import (
	"cmp"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/faxreport/faxreport/internal/httpbody"
)

// PushConfig configures the receiver of Retarus' HTTP status push made by NewPushHandler.
type PushConfig struct {
	// Username and Password are what Retarus sends with each push (authMethod HTTP_BASIC: the
	// push's principal and credentials). Both are required unless AllowUnauthenticated is set.
	Username, Password string
	// AllowUnauthenticated accepts pushes without credentials (authMethod NONE). It must be set
	// explicitly, and not together with Username or Password.
	AllowUnauthenticated bool
	// Handle is called with each fetched, validated, final report. It must be idempotent on the
	// report's JobID: the same job may be delivered more than once. Returning an error answers
	// the push with 503, asking the sender to push again. ctx carries the push request's values
	// but is not cancelled when the sender hangs up: a report fetched is a report handled. The
	// fetch and Handle of one job have at most Timeout together.
	Handle func(ctx context.Context, r *Report) error
	// HandleJSON, set instead of Handle, is called with each report exactly as the API sent it
	// (fetched with GetStatusReportJSON, validated the same way), for receivers that store or
	// forward the bytes; everything said of Handle holds for it.
	HandleJSON func(ctx context.Context, jobID string, report json.RawMessage) error
	// MaxBodyBytes caps the size of a push's body; default DefaultMaxPushBytes.
	MaxBodyBytes int64
	// Timeout bounds the fetch and Handle of one job, which the sender's hanging up does not
	// end; default DefaultPushTimeout.
	Timeout time.Duration
	// OnPush, if set, is called once per push, after its answer is decided. It must be safe for
	// concurrent use and should return quickly.
	OnPush func(PushOutcome)
}

// PushOutcome describes one push as the receiver answered it.
type PushOutcome struct {
	JobIDs   []string      // the job IDs the push named; empty (not nil) when none could be read
	Status   int           // the HTTP status answered
	Err      error         // why the push was not answered 2xx; nil when it was
	Duration time.Duration // from the request's arrival to its answer
}

// The errors of a push's delivery that are the receiver's own, for PushOutcome.Err; the others
// are the client's (ErrNotFound, ErrUnavailable, *APIError, …).
var (
	// ErrReportNotFinal: the API still shows a recipient of the pushed job PENDING.
	ErrReportNotFinal = errors.New("report not final yet: a recipient is still PENDING")
	// ErrHandleFailed: PushConfig.Handle or HandleJSON returned an error (which the error
	// matches too), panicked, or did not return in time.
	ErrHandleFailed = errors.New("push handler failed")
)

// MaxPushJobs is the most job IDs one push may name; a push with more is answered 400. Retarus
// pushes one job at a time; the cap keeps a forged push from costing thousands of fetches.
const MaxPushJobs = 100

// DefaultMaxPushBytes is the default cap on the body of a push.
const DefaultMaxPushBytes = 1 << 20

// String describes the configuration with the password redacted.
func (c PushConfig) String() string {
	return fmt.Sprintf("faxreport.PushConfig{Username:%q Password:%s AllowUnauthenticated:%t Handle:%s HandleJSON:%s MaxBodyBytes:%d Timeout:%v OnPush:%s}",
		c.Username, redacted(c.Password), c.AllowUnauthenticated, setOrNil(c.Handle != nil), setOrNil(c.HandleJSON != nil), c.MaxBodyBytes, c.Timeout, setOrNil(c.OnPush != nil))
}

// GoString is String, so that %#v redacts the password too.
func (c PushConfig) GoString() string { return c.String() }

func setOrNil(set bool) string {
	if set {
		return "set"
	}
	return "nil"
}

// pushRetryAfter is the Retry-After, in seconds, sent with a 503: long enough for a report not
// yet visible in the API to appear, short enough not to delay it much.
const pushRetryAfter = "60"

// NewPushHandler returns an http.Handler that receives Retarus' HTTP status push.
//
// A push is trusted as a signal only: it says which jobs finished. For each job ID in it, the
// handler fetches the report with c.GetStatusReport (c.GetStatusReportJSON for cfg.HandleJSON),
// validated against openapi.yaml like every other answer, and passes that report, never the
// push's own data, to cfg.Handle (or cfg.HandleJSON) once it is final, within cfg.Timeout. A
// forged or altered push can therefore at worst trigger a fetch. See ParsePush for the bodies
// accepted.
//
// The answers:
//   - 204 when every job's report was fetched and handled;
//   - 405 for a method other than POST;
//   - 401 with a WWW-Authenticate header for missing or wrong credentials (compared in
//     constant time); nothing is read or fetched;
//   - 413 for a body larger than cfg.MaxBodyBytes;
//   - 400 for a body that does not parse, holds no valid job ID, or names more than
//     MaxPushJobs jobs;
//   - 503 with Retry-After when a fetch failed in a way that may pass (a data center
//     unavailable, the report not found anywhere yet or still PENDING there) or Handle
//     returned an error, so that a sender that retries will push again;
//   - 502 when the API's answer broke the contract of openapi.yaml (503 when another job of
//     the same push got a 503).
//
// Delivery is at least once: a job may be pushed, and so handled, more than once (Handle must be
// idempotent on the report's JobID), but concurrent pushes of the same job share one fetch and
// one Handle call. The jobs of one push are delivered one after the other; all of them are
// tried even when one fails. A fetch or Handle that has started runs to its end even when the
// sender hangs up. Nothing is lost when a push is never answered 2xx, or never arrives: the
// report stays in the API for its retention period, where ListStatusReports and
// DrainStatusReports collect it.
//
// Each request is logged on the client's Logger, at debug level when answered 2xx and at warn
// level otherwise, with the job IDs and the outcome; never the credentials, and at most a short
// excerpt of a body that does not parse.
//
// It refuses with ErrInvalidArgument a nil c, a config with neither or both of Handle and
// HandleJSON, a negative MaxBodyBytes or Timeout, a config without both Username and Password
// unless AllowUnauthenticated is set, AllowUnauthenticated together with credentials, and a
// Username containing ':' (basic authentication cannot carry it).
func NewPushHandler(c *Client, cfg PushConfig) (http.Handler, error) {
	hasCredentials := cfg.Username != "" || cfg.Password != ""
	var problem string
	switch {
	case c == nil:
		problem = "nil Client"
	case (cfg.Handle == nil) == (cfg.HandleJSON == nil):
		problem = "PushConfig needs exactly one of Handle and HandleJSON"
	case cfg.MaxBodyBytes < 0:
		problem = "PushConfig.MaxBodyBytes is negative"
	case cfg.Timeout < 0:
		problem = "PushConfig.Timeout is negative"
	case cfg.AllowUnauthenticated && hasCredentials:
		problem = "PushConfig.AllowUnauthenticated is set together with credentials"
	case !cfg.AllowUnauthenticated && (cfg.Username == "" || cfg.Password == ""):
		problem = "PushConfig needs Username and Password, or AllowUnauthenticated"
	case strings.Contains(cfg.Username, ":"):
		problem = "PushConfig.Username contains ':', which HTTP basic authentication cannot carry"
	}
	if problem != "" {
		return nil, fmt.Errorf("faxreport: %w: %s", ErrInvalidArgument, problem)
	}
	h := &pushHandler{
		client:  c,
		handle:  cfg.Handle,
		json:    cfg.HandleJSON,
		maxBody: cmp.Or(cfg.MaxBodyBytes, DefaultMaxPushBytes),
		timeout: cmp.Or(cfg.Timeout, DefaultPushTimeout),
		auth:    !cfg.AllowUnauthenticated,
		onPush:  cfg.OnPush,
	}
	h.username = sha256.Sum256([]byte(cfg.Username))
	h.password = sha256.Sum256([]byte(cfg.Password))
	return h, nil
}

// pushHandler is the http.Handler of NewPushHandler.
type pushHandler struct {
	client  *Client
	handle  func(context.Context, *Report) error
	json    func(context.Context, string, json.RawMessage) error // instead of handle
	maxBody int64
	timeout time.Duration // of one job's fetch and handling
	// auth says whether credentials are required; username and password are their SHA-256
	// sums, so that comparing them takes the same time whatever their lengths.
	auth               bool
	username, password [sha256.Size]byte
	flights            singleflight.Group // by job ID: one fetch and Handle at a time per job
	onPush             func(PushOutcome)
}

// pushResult is the outcome of one push, for the answer and the log.
type pushResult struct {
	status  int
	jobIDs  []string
	err     error
	excerpt string // of a body that did not parse
}

func (h *pushHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	res := h.receive(w, r)
	var panicked *handlePanic
	if errors.As(res.err, &panicked) {
		res.status = http.StatusInternalServerError
	}
	// Logged and reported first, so that a sender that has the answer finds both done.
	elapsed := time.Since(start)
	h.logPush(r, res, elapsed)
	if h.onPush != nil {
		jobIDs := res.jobIDs
		if jobIDs == nil {
			jobIDs = []string{}
		}
		h.onPush(PushOutcome{JobIDs: jobIDs, Status: res.status, Err: res.err, Duration: elapsed})
	}
	if panicked != nil {
		panic(panicked.value) // as it would be in a handler of one's own: the connection is aborted
	}
	switch res.status {
	case http.StatusNoContent:
		w.WriteHeader(res.status)
		return
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", http.MethodPost)
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Basic realm="faxreport push", charset="UTF-8"`)
	case http.StatusServiceUnavailable:
		w.Header().Set("Retry-After", pushRetryAfter)
	}
	http.Error(w, http.StatusText(res.status), res.status)
}

// logPush writes the record of one push, at debug level when it was answered 2xx and at warn
// level otherwise (a receiver that answers every push 503 must not look healthy): never a
// header, at most an excerpt of the body.
func (h *pushHandler) logPush(r *http.Request, res pushResult, elapsed time.Duration) {
	level := slog.LevelDebug
	if res.status >= 300 {
		level = slog.LevelWarn
	}
	if !h.client.log.Enabled(r.Context(), level) {
		return
	}
	attrs := []slog.Attr{
		slog.Int("status", res.status),
		slog.Any("job_ids", boundedIDs(res.jobIDs)),
		slog.String("remote", r.RemoteAddr),
		slog.Duration("elapsed", elapsed),
	}
	if res.err != nil {
		attrs = append(attrs, slog.String("error", res.err.Error()))
	}
	if res.excerpt != "" {
		attrs = append(attrs, slog.String("body_excerpt", res.excerpt))
	}
	h.client.log.LogAttrs(r.Context(), level, "faxreport push", attrs...)
}

// receive checks, reads and delivers one push.
func (h *pushHandler) receive(w http.ResponseWriter, r *http.Request) pushResult {
	if r.Method != http.MethodPost {
		return pushResult{status: http.StatusMethodNotAllowed, err: fmt.Errorf("method %s", r.Method)}
	}
	if h.auth && !h.authorized(r) {
		return pushResult{status: http.StatusUnauthorized, err: errors.New("missing or wrong credentials")}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
			return pushResult{status: http.StatusRequestEntityTooLarge, err: fmt.Errorf("body larger than %d bytes", h.maxBody)}
		}
		return pushResult{status: http.StatusBadRequest, err: fmt.Errorf("read body: %w", err)}
	}
	jobIDs, err := ParsePush(r.Header.Get("Content-Type"), body)
	if err != nil {
		return pushResult{status: http.StatusBadRequest, err: err, excerpt: httpbody.Excerpt(body)}
	}
	if len(jobIDs) > MaxPushJobs {
		return pushResult{status: http.StatusBadRequest, err: fmt.Errorf("%d job IDs in one push, more than %d", len(jobIDs), MaxPushJobs)}
	}
	res := pushResult{status: http.StatusNoContent, jobIDs: jobIDs}
	var errs []error
	for _, jobID := range jobIDs {
		err := h.deliver(r.Context(), jobID)
		if err == nil {
			continue
		}
		errs = append(errs, err)
		// 503 wins over 502: the sender should come back for the job that may still succeed.
		if status := pushStatus(err); res.status != http.StatusServiceUnavailable {
			res.status = status
		}
	}
	res.err = errors.Join(errs...)
	return res
}

// authorized compares the request's basic-auth credentials with the configured ones in constant
// time.
func (h *pushHandler) authorized(r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	userSum, passSum := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(pass))
	userOK := subtle.ConstantTimeCompare(userSum[:], h.username[:])
	passOK := subtle.ConstantTimeCompare(passSum[:], h.password[:])
	return ok && userOK&passOK == 1
}

// handleError is an error returned by PushConfig.Handle; it matches ErrHandleFailed and the
// error returned.
type handleError struct{ err error }

func (e *handleError) Error() string   { return "handle: " + e.err.Error() }
func (e *handleError) Unwrap() []error { return []error{ErrHandleFailed, e.err} }

// deliver fetches jobID's report and hands it to Handle, sharing the work with any concurrent
// push of the same job. The work is not cancelled when the sender hangs up: a report fetched is
// a report handled. A panic in Handle is returned as a *handlePanic to each push that shared
// it, which raises it again once the push is logged and reported.
func (h *pushHandler) deliver(ctx context.Context, jobID string) error {
	done := h.flights.DoChan(jobID, func() (_ any, err error) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), h.timeout)
		defer cancel()
		defer func() {
			if p := recover(); p != nil {
				err = &handlePanic{value: p}
			}
		}()
		if err := h.fetchAndHandle(ctx, jobID); err != nil {
			return nil, fmt.Errorf("faxreport: job %s: %w", quoteID(jobID), err)
		}
		return nil, nil
	})
	if flightJoined != nil {
		flightJoined(jobID)
	}
	res := <-done
	return res.Err
}

// fetchAndHandle fetches jobID's report, as a model or as JSON, and hands it to the callback
// once it is final; a callback's error is a *handleError.
func (h *pushHandler) fetchAndHandle(ctx context.Context, jobID string) error {
	if h.json != nil {
		p, err := h.client.pollJSON(ctx, jobID)
		switch {
		case err != nil:
			return err
		case !IsReportFinal(p.report):
			return ErrReportNotFinal
		}
		if err := h.json(ctx, jobID, p.body); err != nil {
			return &handleError{err}
		}
		return nil
	}
	report, err := h.client.GetStatusReport(ctx, jobID)
	switch {
	case err != nil:
		return err
	case !IsReportFinal(report):
		return ErrReportNotFinal
	}
	if err := h.handle(ctx, report); err != nil {
		return &handleError{err}
	}
	return nil
}

// DefaultPushTimeout is the default of PushConfig.Timeout: a data center that never answers
// cannot hold a push for long.
const DefaultPushTimeout = 2 * time.Minute

// flightJoined, set only by tests, is called when a push has joined the delivery of its job,
// so that a test can hold the delivery until every concurrent push has joined it.
var flightJoined func(jobID string)

// handlePanic carries a panic of Handle out of the shared delivery (singleflight would
// otherwise crash the program when the delivery is shared).
type handlePanic struct{ value any }

func (p *handlePanic) Error() string { return fmt.Sprintf("handle panicked: %v", p.value) }
func (p *handlePanic) Unwrap() error { return ErrHandleFailed }

// pushStatus is the answer to a push whose delivery failed with err: 502 when the API broke its
// contract and nothing suggests that another try could succeed, 503 otherwise.
func pushStatus(err error) int {
	var handleErr *handleError
	if !errors.As(err, &handleErr) && errors.Is(err, ErrInvalidResponse) && !errors.Is(err, ErrUnavailable) {
		return http.StatusBadGateway
	}
	return http.StatusServiceUnavailable
}

// ParsePush returns the job IDs of a status push's body, for those who mount a receiver of their
// own; NewPushHandler uses it. Fetch each job's report with GetStatusReport rather than trusting
// the rest of the push.
//
// Retarus documents the push's layout only by example, so the parser is tolerant. XML (a
// contentType such as text/xml, or a body that starts with '<') yields the jobId of every
// faxJobReport element wherever it is (the bare root, inside a ReportResponse, inside a SOAP
// envelope), with or without the vendor's namespace; a body without faxJobReport yields its
// jobId elements. A charset other than UTF-8 declared in the XML prolog is decoded. JSON
// (application/json, or a body that starts with '{' or '[') yields the string jobId of every
// object that has one, wherever it is (the top level, a "reports" list, a bare list).
//
// The IDs come in the order they appear (a JSON object's members by name), without duplicates. Each is checked like every job ID. A body
// that does not parse, a faxJobReport without exactly one jobId, a jobId that is not a string,
// an invalid job ID or a body without any is an error wrapping ErrInvalidArgument.
func ParsePush(contentType string, body []byte) ([]string, error) {
	var (
		jobIDs []string
		err    error
	)
	switch pushFormat(contentType, body) {
	case formatXML:
		jobIDs, err = xmlJobIDs(body)
	case formatJSON:
		jobIDs, err = jsonJobIDs(body)
	default:
		err = errors.New("neither XML nor JSON")
	}
	if err == nil && len(jobIDs) == 0 {
		err = errors.New("no job ID")
	}
	if err != nil {
		return nil, fmt.Errorf("faxreport: %w: push body: %w", ErrInvalidArgument, err)
	}
	unique := jobIDs[:0]
	seen := make(map[string]bool, len(jobIDs))
	for _, jobID := range jobIDs {
		if err := checkJobID(jobID); err != nil {
			return nil, fmt.Errorf("%w (in a push)", err)
		}
		if !seen[jobID] {
			seen[jobID] = true
			unique = append(unique, jobID)
		}
	}
	return unique, nil
}
