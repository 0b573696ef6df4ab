package faxreport

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/faxreport/faxreport/internal/retry"
)

// Region is a Retarus region. Its data centers are queried for reports; the region's HA host,
// which serves only for sending, never is.
type Region string

// The regions of the Retarus Fax REST API.
const (
	RegionEurope      Region = "europe"  // Frankfurt and Munich; the default
	RegionAmerica     Region = "america" // Ashburn and Secaucus
	RegionSwitzerland Region = "switzerland"
	RegionSingapore   Region = "singapore"
)

// regionEndpoints lists the data-center base URLs of each region.
var regionEndpoints = map[Region][]string{
	RegionEurope:      {"https://faxws.de1.retarus.com/rest/v1", "https://faxws.de2.retarus.com/rest/v1"},
	RegionAmerica:     {"https://faxws.us1.retarus.com/rest/v1", "https://faxws.us2.retarus.com/rest/v1"},
	RegionSwitzerland: {"https://faxws.ch1.retarus.com/rest/v1"},
	RegionSingapore:   {"https://faxws.sg1.retarus.com/rest/v1"},
}

// Endpoints returns the data-center base URLs of r ("" is RegionEurope), or nil for an unknown
// region.
func (r Region) Endpoints() []string {
	if r == "" {
		r = RegionEurope
	}
	return append([]string(nil), regionEndpoints[r]...)
}

// ParseRegion reads a region name such as "europe" or "America", case-insensitively.
func ParseRegion(name string) (Region, error) {
	r := Region(strings.ToLower(strings.TrimSpace(name)))
	if r.Endpoints() == nil {
		return "", fmt.Errorf("faxreport: %w: unknown region %q (want europe, america, switzerland or singapore)", ErrInvalidArgument, name)
	}
	return r, nil
}

// Config configures a Client. Only CustomerNumber, Username and Password are required; every
// other zero field takes the default its comment gives.
type Config struct {
	CustomerNumber string // the Retarus customer number (custNr)
	Username       string // basic-auth user name
	Password       string `json:"-"` // basic-auth password; never printed, logged or put in an error

	// Region selects the data centers to query; default RegionEurope.
	Region Region
	// Endpoints, when set, replaces the region's data centers with explicit base URLs, whose
	// path must end in /rest/v1 (proxies, tests): New refuses any other, since every request to
	// it would read as "not found". Plain http is accepted only for loopback hosts or with
	// AllowInsecureHTTP.
	Endpoints []string
	// AllowInsecureHTTP permits plain-http endpoints on hosts other than loopback, which sends
	// the password in clear text. Leave it off outside a trusted network.
	AllowInsecureHTTP bool

	// HTTPClient sends the requests. Default: a pooled transport with TLS 1.2 or later, at most
	// MaxConnsPerDataCenter connections to each data center, response headers capped at
	// DefaultMaxResponseHeaderBytes, a 30 s response-header timeout, a 60 s overall timeout per
	// attempt, and no redirects; it honours HTTPS_PROXY and NO_PROXY. A client of your own keeps
	// its transport's settings (connection and header limits included) and is copied: it gets
	// the 60 s timeout if it has none, and its redirect policy is consulted only for redirects
	// to the same host that do not leave https.
	HTTPClient *http.Client `json:"-"`
	// MaxConnsPerDataCenter bounds the connections the default HTTPClient opens to each data
	// center, idle or busy; calls beyond it wait for a free connection. Default 32. It does not
	// apply to an HTTPClient of your own.
	MaxConnsPerDataCenter int
	// Retry is the retry policy for each data center; zero fields take DefaultRetryPolicy's.
	Retry RetryPolicy
	// MaxResponseBytes caps the size of a response body; default 4 MiB.
	MaxResponseBytes int64
	// Logger receives one debug record per HTTP attempt (never credentials); default: none.
	Logger *slog.Logger `json:"-"`
	// UserAgent is sent as the User-Agent header; default "faxreport-go/" + Version.
	UserAgent string
}

// RetryPolicy says when a data center is asked again after 429, 500, 502, 503, 504, 520 or a
// connection error. Delays grow exponentially with jitter; a Retry-After from the server is
// honoured up to MaxRetryAfter, and no delay ever ends after the context's deadline.
type RetryPolicy struct {
	MaxAttempts   int           // attempts per data center, the first included; 1 disables retries
	MinDelay      time.Duration // first delay before jitter
	MaxDelay      time.Duration // longest delay
	MaxRetryAfter time.Duration // longest Retry-After honoured; a longer one ends the retries
}

// DefaultRetryPolicy returns the policy whose values fill the zero fields of Config.Retry:
// 4 attempts, delays from 100 ms to 2 s, Retry-After honoured up to 10 s.
func DefaultRetryPolicy() RetryPolicy { return RetryPolicy(retry.Defaults) }

// Defaults of Config.
const (
	DefaultMaxResponseBytes       = 4 << 20  // the cap on a response body
	DefaultMaxConnsPerDataCenter  = 32       // the default HTTPClient's connections per data center
	DefaultMaxResponseHeaderBytes = 64 << 10 // the default HTTPClient's cap on response headers
)

// Version is this library's version, sent in the default User-Agent.
const Version = "0.1.0"

// String describes the configuration with the password redacted.
func (c Config) String() string {
	return fmt.Sprintf("faxreport.Config{CustomerNumber:%q Username:%q Password:%s Region:%q Endpoints:%q AllowInsecureHTTP:%t Retry:%+v MaxResponseBytes:%d UserAgent:%q}",
		c.CustomerNumber, c.Username, redacted(c.Password), c.Region, redactedURLs(c.Endpoints), c.AllowInsecureHTTP, c.Retry, c.MaxResponseBytes, c.UserAgent)
}

// GoString is String, so that %#v redacts the password too.
func (c Config) GoString() string { return c.String() }

// LogValue logs the configuration with the password redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("customer_number", c.CustomerNumber),
		slog.String("username", c.Username),
		slog.String("password", redacted(c.Password)),
		slog.String("region", string(c.Region)),
		slog.Any("endpoints", redactedURLs(c.Endpoints)),
	)
}

// redactedURLs hides any password in the URLs (New refuses such endpoints, but a Config may be
// printed before New sees it); what does not parse is not shown.
func redactedURLs(urls []string) []string {
	out := make([]string, len(urls))
	for i, raw := range urls {
		if u, err := url.Parse(raw); err == nil {
			out[i] = u.Redacted()
		} else {
			out[i] = "[unparsable URL]"
		}
	}
	return out
}

func redacted(secret string) string {
	if secret == "" {
		return `""`
	}
	return "[REDACTED]"
}
