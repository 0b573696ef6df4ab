package faxtest

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/faxreport/faxreport"
)

// DataCenter is one fake data center: an httptest.Server with its own reports, faults and
// request log.
type DataCenter struct {
	region *Server
	index  int
	server *httptest.Server
	t      testing.TB

	mu      sync.Mutex
	jobs    map[string]*job
	faults  []*Fault
	latency time.Duration

	randomRate   float64 // probability that a request takes one of randomFaults
	randomFaults []Fault
	log          []Request       // the requests answered (logEntry.record)
	idle         []chan struct{} // closed when no request is in flight (WaitIdle)

	// The reports resource as a whole (bulk.go).
	order            []orderEntry // jobs as stored, oldest first; entries before orderHead are gone
	orderHead        int
	failDeletions    map[string]int // job ID -> INTERNAL_ERROR answers still to give
	unknownInBulkGet atomic.Int64   // status refusing bulk GETs of unknown jobs; 0: leave them out

	connections atomic.Int64
	inFlight    atomic.Int64
	maxInFlight atomic.Int64
}

// job is a stored report and how it is served over time.
type job struct {
	body    []byte // the final report as served
	pending Pending
	reads   int       // GETs answered so far
	stored  time.Time // when it was put
	// stillPending says the stored body itself has a PENDING recipient: the job is not
	// complete, and it is not listed, however it is served.
	stillPending bool
	pendingCopy  []byte // body as served while pending, made at the first such read
}

// Pending says how long a stored job is not yet final. Each zero field means "no such phase".
type Pending struct {
	NotFoundReads int           // answer 404 (job still being processed) to this many first reads
	Reads         int           // then serve every recipient as PENDING for this many reads
	For           time.Duration // and, or instead, until this long after the job was stored
}

func newDataCenter(region *Server, index int, t testing.TB) *DataCenter {
	dc := &DataCenter{region: region, index: index, t: t, jobs: map[string]*job{}}
	dc.server = httptest.NewUnstartedServer(http.HandlerFunc(dc.serveHTTP))
	dc.server.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			dc.connections.Add(1)
		}
	}
	dc.server.Start()
	return dc
}

// URL returns the data center's base URL, ending in /rest/v1.
func (dc *DataCenter) URL() string { return dc.server.URL + basePath }

// Close stops the data center: from then on, connecting to it is refused.
func (dc *DataCenter) Close() { dc.server.Close() }

// Put stores a final report in this data center. It is served re-encoded by encoding/json (the
// struct's field order, its omitempty fields left out), not in the API's own shape: to serve
// given bytes, use PutJSON. It panics when the report breaks openapi.yaml (no recipients, no
// job ID, …), with a message that names the rule.
func (dc *DataCenter) Put(r *faxreport.Report) { dc.PutPending(r, Pending{}) }

// PutPending stores a report that is served as not yet final until p says it is, re-encoded by
// encoding/json as Put serves it (PutJSON serves bytes as given). Like Put and PutJSON, it
// panics when the report breaks openapi.yaml.
func (dc *DataCenter) PutPending(final *faxreport.Report, p Pending) {
	body, err := json.Marshal(final)
	if err != nil {
		panic("faxtest: " + err.Error())
	}
	dc.store(checkedJobID(body), body, p)
}

// PutJSON stores a report given as JSON, served byte for byte. It panics when the report breaks
// openapi.yaml, with a message that names the rule.
func (dc *DataCenter) PutJSON(body []byte) { dc.store(checkedJobID(body), body, Pending{}) }

func (dc *DataCenter) store(jobID string, body []byte, p Pending) {
	dc.storeJob(jobID, body, p, hasPendingRecipient(body))
}

// storeJob stores body as jobID's report; stillPending says it has a PENDING recipient.
func (dc *DataCenter) storeJob(jobID string, body []byte, p Pending, stillPending bool) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	j := &job{body: append([]byte(nil), body...), pending: p, stored: time.Now(), stillPending: stillPending}
	dc.jobs[jobID] = j
	dc.order = append(dc.order, orderEntry{id: jobID, job: j})
}

// Has reports whether the data center holds a report for jobID.
func (dc *DataCenter) Has(jobID string) bool {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	_, ok := dc.jobs[jobID]
	return ok
}

// SetLatency delays every answer by d (cut short when the client hangs up).
func (dc *DataCenter) SetLatency(d time.Duration) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	dc.latency = d
}

// read answers a GET for jobID: the body to serve, or ok false for 404.
func (dc *DataCenter) read(jobID string) (body []byte, ok bool) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	j := dc.jobs[jobID]
	if j == nil {
		return nil, false
	}
	j.reads++
	p := j.pending
	if j.reads <= p.NotFoundReads {
		return nil, false
	}
	if j.reads <= p.NotFoundReads+p.Reads || time.Since(j.stored) < p.For {
		return j.pendingBody(), true
	}
	return j.body, true
}

// pendingBody is body with every recipient's status PENDING and its transmission details gone.
func pendingBody(body []byte) []byte {
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return body
	}
	recipients, _ := doc["recipientStatus"].([]any)
	for _, r := range recipients {
		if m, ok := r.(map[string]any); ok {
			m["status"] = faxreport.StatusPending
			m["reason"] = "In progress"
			m["durationInSecs"] = 0
			delete(m, "sentTs")
			delete(m, "sentToNumber")
			delete(m, "remoteCsid")
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return body
	}
	return b
}

// remove deletes jobID's report and reports whether there was one.
func (dc *DataCenter) remove(jobID string) bool {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	_, ok := dc.jobs[jobID]
	delete(dc.jobs, jobID)
	return ok
}

// Request is one request a data center received, as logged for assertions. It enters the log
// once its answer is decided: just before its status is sent, or when its connection is
// dropped or its client hung up first. A request still being answered is not in the log (see
// InFlight and WaitIdle).
type Request struct {
	DataCenter int       // index of the data center
	Method     string    // HTTP method
	Path       string    // escaped path
	JobID      string    // decoded job ID, "" when the path is not a report's
	JobIDs     []string  // the job IDs a bulk request carried
	Status     int       // status answered, 0 for a dropped connection or a client gone first
	Time       time.Time // when it arrived
	Authorized bool      // whether it carried the right credentials
}

// Requests returns a copy of the data center's request log: the requests answered so far, in
// the order their answers were decided.
func (dc *DataCenter) Requests() []Request {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	return append([]Request(nil), dc.log...)
}

// RequestCount returns how many requests the data center has answered so far (len of Requests).
func (dc *DataCenter) RequestCount() int {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	return len(dc.log)
}

// Connections returns how many TCP connections the data center has accepted.
func (dc *DataCenter) Connections() int64 { return dc.connections.Load() }

// MaxInFlight returns the most requests the data center has been answering at once.
func (dc *DataCenter) MaxInFlight() int64 { return dc.maxInFlight.Load() }

// InFlight returns how many requests the data center is answering now: they are not in the
// log yet.
func (dc *DataCenter) InFlight() int64 { return dc.inFlight.Load() }

// WaitIdle waits until the data center has no request in flight, so that every request it has
// received is in the log, or until ctx ends. A test calls it before asserting on the log when
// its client may have given up on a request (a cancel, a timeout, a fan-out's straggler) that
// the data center is still answering.
func (dc *DataCenter) WaitIdle(ctx context.Context) error {
	for {
		dc.mu.Lock()
		if dc.inFlight.Load() == 0 {
			dc.mu.Unlock()
			return nil
		}
		idle := make(chan struct{})
		dc.idle = append(dc.idle, idle)
		dc.mu.Unlock()
		select {
		case <-idle:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}

// logEntry is a request being answered. Only the goroutine that answers it touches it.
type logEntry struct {
	dc       *DataCenter
	req      Request
	recorded bool
}

// record puts the request in the log with its status, once: its answer is decided.
func (e *logEntry) record(status int) {
	if e.recorded {
		return
	}
	e.recorded = true
	e.req.Status = status
	e.dc.mu.Lock()
	defer e.dc.mu.Unlock()
	e.dc.log = append(e.dc.log, e.req)
}

// leave ends a request: it logs one that went without an answer, then wakes WaitIdle when it
// was the last in flight.
func (dc *DataCenter) leave(e *logEntry) {
	e.record(0)
	if dc.inFlight.Add(-1) != 0 {
		return
	}
	dc.mu.Lock()
	defer dc.mu.Unlock()
	for _, idle := range dc.idle {
		close(idle)
	}
	dc.idle = nil
}

func (dc *DataCenter) enter() {
	n := dc.inFlight.Add(1)
	for {
		m := dc.maxInFlight.Load()
		if n <= m || dc.maxInFlight.CompareAndSwap(m, n) {
			return
		}
	}
}

// splitReportPath splits an escaped path under basePath into custNr and jobID: ok is false for
// a path that is not a report's, or that does not unescape.
func splitReportPath(escaped string) (custNr, jobID string, ok bool) {
	rest, found := strings.CutPrefix(escaped, basePath+"/")
	if !found {
		return "", "", false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 4 || parts[1] != "fax" || parts[2] != "reports" || parts[0] == "" || parts[3] == "" {
		return "", "", false
	}
	custNr, err1 := unescape(parts[0])
	jobID, err2 := unescape(parts[3])
	return custNr, jobID, err1 == nil && err2 == nil
}

// hasPendingRecipient reports whether a report's body has a recipient whose status is PENDING.
func hasPendingRecipient(body []byte) bool {
	var r struct {
		RecipientStatus []struct {
			Status string `json:"status"`
		} `json:"recipientStatus"`
	}
	if jsonv2.Unmarshal(body, &r) != nil {
		return false
	}
	for _, rs := range r.RecipientStatus {
		if rs.Status == faxreport.StatusPending {
			return true
		}
	}
	return false
}
