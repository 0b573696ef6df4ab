package faxreport

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/faxreport/faxreport/gen"
	"github.com/faxreport/faxreport/internal/endpoint"
	"github.com/faxreport/faxreport/internal/httpbody"
	"github.com/faxreport/faxreport/internal/redact"
	"github.com/faxreport/faxreport/internal/retry"
)

// stragglerGrace bounds how long the slower data centers of a fan-out may go on after one has
// answered: long enough to read a response already on its way, so that its connection is reused
// and its answer compared with the winner's.
const stragglerGrace = 250 * time.Millisecond

// Client reads fax status reports from the data centers of one region. It is safe for
// concurrent use and reuses connections; create one and share it.
type Client struct {
	customerNumber string
	http           *http.Client  // every request leaves through it (transport.go)
	attemptTimeout time.Duration // each attempt's deadline, when http has no timeout of its own
	stragglerGrace time.Duration // stragglerGrace, which a test may lengthen
	attemptCause   error         // the error of an attempt that outlived attemptTimeout
	dataCenters    []*dataCenter
	setAuth        func(*http.Request) // basic auth; a func, so that printing a Client shows no password
	userAgent      string
	retry          retry.Policy
	maxBody        int64 // the cap on a body about one job
	maxListBody    int64 // the cap on a listing's or a bulk answer's body
	log            *slog.Logger
	scrub          *redact.Scrubber // the credentials, removed from whatever an error quotes
	decode         decoders
}

type dataCenter struct {
	url string // base URL, for errors and logs
	// reportsURL is the generated client's URL of the reports resource, built once (see send).
	reportsURL string
	index      int // its place in Client.dataCenters
	// straggler is the unfinished request of the last call that returned before it ended.
	straggler atomic.Pointer[chan struct{}]
}

// reuseWait bounds how long a call waits for the stragglers of the previous calls. A straggler
// on a fast network ends within microseconds of the winner; waiting for it lets the next
// request to its data center reuse its connection instead of dialling a new one, so sequential
// calls keep one connection per data center. Only a pending straggler is waited for, so the
// cost of a slow data center is at most this, once per call.
const reuseWait = 5 * time.Millisecond

// awaitStragglers waits, at most reuseWait in all, for the last straggler to each data center.
func (c *Client) awaitStragglers(ctx context.Context) {
	timer := time.NewTimer(reuseWait)
	defer timer.Stop()
	for _, dc := range c.dataCenters {
		if p := dc.straggler.Load(); p != nil {
			select {
			case <-*p:
			case <-timer.C:
				return
			case <-ctx.Done():
				return
			}
		}
	}
}

// New checks cfg and returns a Client. It sends nothing; a configuration error wraps
// ErrInvalidArgument.
func New(cfg Config) (*Client, error) {
	if err := endpoint.CheckPathParam("customer number", cfg.CustomerNumber); err != nil {
		return nil, fmt.Errorf("faxreport: %w: %w", ErrInvalidArgument, err)
	}
	if cfg.Username == "" || cfg.Password == "" {
		return nil, fmt.Errorf("faxreport: %w: username and password are required", ErrInvalidArgument)
	}
	urls := cfg.Endpoints
	if len(urls) == 0 {
		if urls = cfg.Region.Endpoints(); urls == nil {
			return nil, fmt.Errorf("faxreport: %w: unknown region %q", ErrInvalidArgument, cfg.Region)
		}
	}
	policy := retry.Policy(cfg.Retry).WithDefaults()
	if err := policy.Check(); err != nil {
		return nil, fmt.Errorf("faxreport: %w: %w", ErrInvalidArgument, err)
	}
	if cfg.MaxResponseBytes < 0 || cfg.MaxListResponseBytes < 0 {
		return nil, fmt.Errorf("faxreport: %w: MaxResponseBytes or MaxListResponseBytes is negative", ErrInvalidArgument)
	}
	if cfg.MaxConnsPerDataCenter < 0 {
		return nil, fmt.Errorf("faxreport: %w: MaxConnsPerDataCenter is negative", ErrInvalidArgument)
	}
	if strings.ContainsFunc(cfg.UserAgent, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) { // a CR or LF would inject headers
		return nil, fmt.Errorf("faxreport: %w: UserAgent %s is not a valid header value (control characters)", ErrInvalidArgument, httpbody.Excerpt([]byte(cfg.UserAgent)))
	}
	decoders, err := loadDecoders()
	if err != nil {
		return nil, fmt.Errorf("faxreport: %w", err)
	}
	c := &Client{
		customerNumber: cfg.CustomerNumber,
		retry:          policy,
		maxBody:        cmp.Or(cfg.MaxResponseBytes, DefaultMaxResponseBytes),
		maxListBody:    cfg.MaxListResponseBytes,
		log:            cfg.Logger,
		scrub:          redact.New(cfg.Username, cfg.Password),
		decode:         decoders,
		stragglerGrace: stragglerGrace,
	}
	if c.maxListBody == 0 {
		c.maxListBody = ListLimit * c.maxBody
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.setAuth = func(req *http.Request) { req.SetBasicAuth(cfg.Username, cfg.Password) }
	c.userAgent = cmp.Or(cfg.UserAgent, "faxreport-go/"+Version)
	c.http, c.attemptTimeout = newHTTPClient(cfg.HTTPClient, cmp.Or(cfg.MaxConnsPerDataCenter, DefaultMaxConnsPerDataCenter))
	c.attemptCause = &attemptTimeoutError{c.attemptTimeout}
	seen := map[string]bool{}
	for _, raw := range urls {
		base, err := endpoint.Parse(raw, cfg.AllowInsecureHTTP)
		if err != nil {
			return nil, fmt.Errorf("faxreport: %w: %w", ErrInvalidArgument, err)
		}
		if seen[base] {
			continue
		}
		seen[base] = true
		req, err := gen.NewGetAllStatusReportsRequest(base, c.customerNumber)
		if err != nil {
			return nil, fmt.Errorf("faxreport: %w: %w", ErrInvalidArgument, err)
		}
		c.dataCenters = append(c.dataCenters, &dataCenter{url: base[:len(base)-1], reportsURL: req.URL.String(), index: len(c.dataCenters)})
	}
	return c, nil
}

// Endpoints returns the data-center base URLs the client queries.
func (c *Client) Endpoints() []string {
	urls := make([]string, len(c.dataCenters))
	for i, dc := range c.dataCenters {
		urls[i] = dc.url
	}
	return urls
}

// CloseIdleConnections closes the connections that the client keeps open for reuse, as
// http.Client.CloseIdleConnections does.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// String describes the client without its credentials.
func (c *Client) String() string {
	return fmt.Sprintf("faxreport.Client{CustomerNumber:%q Endpoints:%q}", c.customerNumber, c.Endpoints())
}

// GoString is String, so that %#v shows no credentials either.
func (c *Client) GoString() string { return c.String() }

// checkJobID reports a job ID that would change the request path or that no job can have
// (control characters, invalid UTF-8). Its format is not checked: the API does not document it.
func checkJobID(jobID string) error {
	if err := endpoint.CheckPathParam("job ID", jobID); err != nil {
		return fmt.Errorf("faxreport: %w: %w", ErrInvalidArgument, err)
	}
	return nil
}
