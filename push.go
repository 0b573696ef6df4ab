package faxreport

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
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
	// report's JobID (the same job may be delivered more than once) and safe for concurrent use.
	// Returning an error answers the push with 503, asking the sender to push again. ctx carries
	// the push request's values and its deadline (Timeout after the push arrived), but is not
	// cancelled when the sender hangs up: a report fetched is a report handled. A Handle that
	// ignores ctx and has not returned by the deadline (plus a second's grace) is abandoned: the
	// push is answered 503 and a later push of the job starts a fresh fetch.
	Handle func(ctx context.Context, r *Report) error
	// HandleJSON, set instead of Handle, is called with each report exactly as the API sent it
	// (fetched with GetStatusReportJSON, validated the same way), for receivers that store or
	// forward the bytes; everything said of Handle holds for it.
	HandleJSON func(ctx context.Context, jobID string, report json.RawMessage) error
	// MaxBodyBytes caps the size of a push's body; default DefaultMaxPushBytes.
	MaxBodyBytes int64
	// Timeout bounds a push: the fetches and Handle calls of all its jobs end within Timeout of
	// its arrival; default DefaultPushTimeout.
	Timeout time.Duration
	// MaxFetches bounds the jobs being fetched and handled at once, across all pushes: a push
	// whose job would start one more is answered 503 with Retry-After (ErrPushOverloaded), so
	// that a flood queues no work. A fetch holds its place until its Handle call has returned,
	// even after it was abandoned. Default DefaultMaxPushFetches.
	MaxFetches int
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
// are the client's (ErrNotFound, ErrUnavailable, ErrInvalidResponse, *APIError, …) and the
// context's (context.DeadlineExceeded when Timeout ran out, context.Canceled when the sender
// hung up).
var (
	// ErrReportNotFinal: the API still shows a recipient of the pushed job PENDING.
	ErrReportNotFinal = errors.New("report not final yet: a recipient is still PENDING")
	// ErrHandleFailed: PushConfig.Handle or HandleJSON returned an error (which the error
	// matches too), panicked, or did not return in time.
	ErrHandleFailed = errors.New("push handler failed")
	// ErrPushOverloaded: PushConfig.MaxFetches jobs were being fetched and handled already.
	ErrPushOverloaded = errors.New("push receiver overloaded: too many fetches in flight")
)

// MaxPushJobs is the most job IDs one push may name; a push with more is answered 400. Retarus
// pushes one job at a time; the cap keeps a forged push from costing thousands of fetches.
const MaxPushJobs = 100

// DefaultMaxPushBytes is the default cap on the body of a push.
const DefaultMaxPushBytes = 1 << 20

// DefaultPushTimeout is the default of PushConfig.Timeout: a data center that never answers
// cannot hold a push for long.
const DefaultPushTimeout = 2 * time.Minute

// DefaultMaxPushFetches is the default of PushConfig.MaxFetches: as many as the default
// HTTPClient's connections to each data center, which every fetch asks.
const DefaultMaxPushFetches = DefaultMaxConnsPerDataCenter

// String describes the configuration with the password redacted.
func (c PushConfig) String() string {
	return fmt.Sprintf("faxreport.PushConfig{Username:%q Password:%s AllowUnauthenticated:%t Handle:%s HandleJSON:%s MaxBodyBytes:%d Timeout:%v MaxFetches:%d OnPush:%s}",
		c.Username, redacted(c.Password), c.AllowUnauthenticated, setOrNil(c.Handle != nil), setOrNil(c.HandleJSON != nil), c.MaxBodyBytes, c.Timeout, c.MaxFetches, setOrNil(c.OnPush != nil))
}

// GoString is String, so that %#v redacts the password too.
func (c PushConfig) GoString() string { return c.String() }

func setOrNil(set bool) string {
	if set {
		return "set"
	}
	return "nil"
}

// NewPushHandler returns the http.Handler that receives Retarus' HTTP status push.
//
// A push is trusted as a signal only: it says which jobs finished. For each job ID in it, the
// handler fetches the report with c.GetStatusReport (c.GetStatusReportJSON for cfg.HandleJSON),
// validated against openapi.yaml like every other answer, and passes that report, never the
// push's own data, to cfg.Handle (or cfg.HandleJSON) once it is final. A forged or altered push
// can therefore at worst trigger a fetch. See ParsePush for the bodies accepted.
//
// The answers, each reported to cfg.OnPush with an error that says why (see PushOutcome):
//   - 204 when every job's report was fetched and handled;
//   - 405 for a method other than POST, and 401 with a WWW-Authenticate header for missing or
//     wrong credentials (compared in constant time): both with Connection: close, without
//     reading the body or fetching anything;
//   - 413 for a body larger than cfg.MaxBodyBytes;
//   - 400 for a body that does not parse, holds no valid job ID, or names more than
//     MaxPushJobs jobs (errors matching ErrInvalidArgument);
//   - 503 with Retry-After when a fetch failed in a way that may pass (a data center
//     unavailable, the report not found anywhere yet or still PENDING there: ErrUnavailable,
//     ErrNotFound, ErrReportNotFinal), Handle failed (ErrHandleFailed), cfg.Timeout ran out
//     (context.DeadlineExceeded) or cfg.MaxFetches was reached (ErrPushOverloaded), so that a
//     sender that retries will push again;
//   - 502 when the API's answer broke the contract of openapi.yaml (ErrInvalidResponse; 503
//     when another job of the same push got a 503);
//   - 500 when Handle panicked (ErrHandleFailed): the panic is raised again, as it would be in a
//     handler of one's own, and the connection aborted.
//
// Delivery is at least once: a job may be pushed, and so handled, more than once (Handle must be
// idempotent on the report's JobID), but concurrent pushes of the same job share one fetch and
// one Handle call. The jobs of one push are fetched and handled concurrently, all of them even
// when one fails, and all within cfg.Timeout of the push's arrival. When the sender hangs up,
// the fetches of its push stop, unless another push of the same job waits for them too; a
// report already fetched is still handled. Nothing is lost when a push is never answered 2xx, or
// never arrives: the report stays in the API for its retention period, where ListStatusReports
// and DrainStatusReports collect it.
//
// Each request is logged on the client's Logger, at debug level when answered 2xx and at warn
// level otherwise, with the job IDs (at most 64 bytes of each) and the outcome; never the
// credentials, and at most a short excerpt of a body that does not parse.
//
// It refuses with ErrInvalidArgument a nil c, a config with neither or both of Handle and
// HandleJSON, a negative MaxBodyBytes, Timeout or MaxFetches, a config without both Username
// and Password unless AllowUnauthenticated is set, AllowUnauthenticated together with
// credentials, and a Username containing ':' (basic authentication cannot carry it).
func NewPushHandler(c *Client, cfg PushConfig) (*PushHandler, error) {
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
	case cfg.MaxFetches < 0:
		problem = "PushConfig.MaxFetches is negative"
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
	h := &PushHandler{
		client:  c,
		handle:  cfg.Handle,
		json:    cfg.HandleJSON,
		maxBody: cmp.Or(cfg.MaxBodyBytes, DefaultMaxPushBytes),
		timeout: cmp.Or(cfg.Timeout, DefaultPushTimeout),
		auth:    !cfg.AllowUnauthenticated,
		onPush:  cfg.OnPush,
		flights: flightGroup{
			byJob: make(map[string]*flight),
			slots: make(chan struct{}, cmp.Or(cfg.MaxFetches, DefaultMaxPushFetches)),
		},
	}
	h.username = sha256.Sum256([]byte(cfg.Username))
	h.password = sha256.Sum256([]byte(cfg.Password))
	return h, nil
}

// FetchesInFlight is the number of jobs being fetched and handled now, across all pushes: the
// places of PushConfig.MaxFetches taken, each until its Handle call has returned (an abandoned
// one's included). Safe for concurrent use.
func (h *PushHandler) FetchesInFlight() int { return len(h.flights.slots) }

// PushHandler is the receiver of Retarus' HTTP status push that NewPushHandler returns: an
// http.Handler whose fetches in flight can be read, for a gauge.
type PushHandler struct {
	client  *Client
	handle  func(context.Context, *Report) error
	json    func(context.Context, string, json.RawMessage) error // instead of handle
	maxBody int64
	timeout time.Duration // of one push, from its arrival
	// auth says whether credentials are required; username and password are their SHA-256
	// sums, so that comparing them takes the same time whatever their lengths.
	auth               bool
	username, password [sha256.Size]byte
	flights            flightGroup
	onPush             func(PushOutcome)
}
