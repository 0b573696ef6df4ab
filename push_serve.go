package faxreport

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/faxreport/faxreport/internal/httpbody"
)

// pushRetryAfter is the Retry-After, in seconds, sent with a 503: long enough for a report not
// yet visible in the API to appear, short enough not to delay it much.
const pushRetryAfter = "60"

// pushResult is the outcome of one push, for the answer, the log and OnPush.
type pushResult struct {
	status  int
	jobIDs  []string
	err     error
	excerpt string // of a body that did not parse
}

// ServeHTTP answers one push, as NewPushHandler describes.
func (h *PushHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
	switch res.status {
	case http.StatusMethodNotAllowed, http.StatusUnauthorized, http.StatusRequestEntityTooLarge:
		// The body is not read (to its end): without this, net/http would read what is left of
		// it, before answering or after, for as long as a sender cares to dribble it.
		w.Header().Set("Connection", "close")
		_ = http.NewResponseController(w).SetReadDeadline(time.Now()) // not supported: read as before
	}
	http.Error(w, http.StatusText(res.status), res.status)
}

// logPush writes the record of one push, at debug level when it was answered 2xx and at warn
// level otherwise (a receiver that answers every push 503 must not look healthy): never a
// header, at most an excerpt of the body and 64 bytes of each job ID.
func (h *PushHandler) logPush(r *http.Request, res pushResult, elapsed time.Duration) {
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
func (h *PushHandler) receive(w http.ResponseWriter, r *http.Request) pushResult {
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
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	errs := make([]error, len(jobIDs))
	var g errgroup.Group
	g.SetLimit(min(len(jobIDs), cap(h.flights.slots)))
	for i, jobID := range jobIDs {
		g.Go(func() error {
			errs[i] = h.deliver(ctx, jobID)
			return nil
		})
	}
	_ = g.Wait() // every job's error is in errs
	res := pushResult{status: http.StatusNoContent, jobIDs: jobIDs, err: errors.Join(errs...)}
	for _, err := range errs {
		// 503 wins over 502: the sender should come back for the job that may still succeed.
		if err != nil && res.status != http.StatusServiceUnavailable {
			res.status = pushStatus(err)
		}
	}
	return res
}

// authorized compares the request's basic-auth credentials with the configured ones in constant
// time.
func (h *PushHandler) authorized(r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	userSum, passSum := sha256.Sum256([]byte(user)), sha256.Sum256([]byte(pass))
	userOK := subtle.ConstantTimeCompare(userSum[:], h.username[:])
	passOK := subtle.ConstantTimeCompare(passSum[:], h.password[:])
	return ok && userOK&passOK == 1
}

// pushStatus is the answer to a push whose delivery failed with err: 502 when the API broke its
// contract and nothing suggests that another try could succeed, 503 otherwise.
func pushStatus(err error) int {
	if !errors.Is(err, ErrHandleFailed) && errors.Is(err, ErrInvalidResponse) && !errors.Is(err, ErrUnavailable) {
		return http.StatusBadGateway
	}
	return http.StatusServiceUnavailable
}
