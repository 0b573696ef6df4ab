// Package faxtest is a fake of the Retarus Fax REST API's status reports for tests, modelled on
// net/http/httptest: NewServer starts a region of data centers on loopback whose base URLs drop
// straight into faxreport.Config.Endpoints.
//
// Like the real service, a report lives in one data center and the others answer 404; requests
// must carry the configured basic-auth credentials and customer number; and each request is
// checked against openapi.yaml. Faults (latency, error statuses, dropped connections, malformed
// or oversized bodies) can be injected per data center, and every request is logged for
// assertions once its answer is decided (Request; WaitIdle waits for those in flight).
//
// A setup the fake cannot honour panics, as httptest does, with a message that says what is
// wrong: a report that breaks openapi.yaml's StatusReport (Put, PutPending and PutJSON check
// each report when it is stored, not when a client reads it) or a data center that does not
// exist. The test then fails at the line of the setup; to serve a report that breaks the
// contract on purpose, inject a Fault with Malformed.
package faxtest

import (
	"cmp"
	"context"
	"hash/fnv"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
)

// Default credentials of a Server whose Options leave them empty.
const (
	DefaultCustomerNumber = "12345"
	DefaultUsername       = "faxtest-user"
	DefaultPassword       = "faxtest-password"
)

// Options configure a Server. The zero value is a region of two data centers with the default
// credentials.
type Options struct {
	DataCenters    int    // how many data centers; default 2
	CustomerNumber string // the customer number the fake serves; default DefaultCustomerNumber
	Username       string // the accepted user name; default DefaultUsername
	Password       string // the accepted password; default DefaultPassword
	// UnknownDelete is how a data center answers the deletion of a job it does not hold; default
	// UnknownDeleteNotFoundItem.
	UnknownDelete UnknownDelete
	// T, when set, fails the test for every request that does not match openapi.yaml and closes
	// the server when the test ends.
	T testing.TB
}

// Server is a fake region: several data centers, each its own httptest.Server.
type Server struct {
	CustomerNumber, Username, Password string
	dataCenters                        []*DataCenter
	unknownDelete                      UnknownDelete
}

// UnknownDelete is how a data center answers the DELETE of a job it does not hold. The vendor
// gives three readings (its REST docs, its Swagger file, its Go SDK): a client must read each as
// "not deleted here", and a test can run it under all three.
type UnknownDelete int

// The readings of UnknownDelete. With UnknownDelete400 or UnknownDelete404, a bulk DELETE that
// names only jobs the data center does not hold is answered with that status as a whole,
// deleting nothing, as the single DELETE is; one that names a job it holds answers an item per
// job, as documented (deleted:false, NOT_FOUND for the others).
const (
	// UnknownDeleteNotFoundItem answers 200 {"jobId":…,"deleted":false,"reason":"NOT_FOUND"}, the
	// REST docs' reading. The default.
	UnknownDeleteNotFoundItem UnknownDelete = iota
	// UnknownDelete400 answers 400 "Status report not available", the vendor Swagger's reading.
	UnknownDelete400
	// UnknownDelete404 answers 404, the vendor Go SDK's reading.
	UnknownDelete404
)

// NewServer starts a fake region on loopback. Call Close when done (automatic with Options.T).
func NewServer(opts Options) *Server {
	if opts.DataCenters <= 0 {
		opts.DataCenters = 2
	}
	s := &Server{
		CustomerNumber: cmp.Or(opts.CustomerNumber, DefaultCustomerNumber),
		Username:       cmp.Or(opts.Username, DefaultUsername),
		Password:       cmp.Or(opts.Password, DefaultPassword),
		unknownDelete:  opts.UnknownDelete,
	}
	for i := range opts.DataCenters {
		s.dataCenters = append(s.dataCenters, newDataCenter(s, i, opts.T))
	}
	if opts.T != nil {
		opts.T.Cleanup(s.Close)
	}
	return s
}

// Close stops every data center.
func (s *Server) Close() {
	for _, dc := range s.dataCenters {
		dc.server.Close()
	}
}

// Endpoints returns the data centers' base URLs (ending in /rest/v1).
func (s *Server) Endpoints() []string {
	urls := make([]string, len(s.dataCenters))
	for i, dc := range s.dataCenters {
		urls[i] = dc.URL()
	}
	return urls
}

// Config returns a faxreport.Config with the server's credentials and endpoints.
func (s *Server) Config() faxreport.Config {
	return faxreport.Config{CustomerNumber: s.CustomerNumber, Username: s.Username, Password: s.Password, Endpoints: s.Endpoints()}
}

// DataCenters returns the data centers, in the order of Endpoints.
func (s *Server) DataCenters() []*DataCenter { return s.dataCenters }

// DataCenter returns data center i; it panics, saying which exist, when there is no such one.
func (s *Server) DataCenter(i int) *DataCenter {
	return s.dataCenters[dataCenterIndex(i, len(s.dataCenters))]
}

// Home returns the data center that Put stores a job in: a fixed one per job ID, as the real
// service keeps a job where it was processed.
func (s *Server) Home(jobID string) *DataCenter {
	h := fnv.New32a()
	h.Write([]byte(jobID))
	return s.dataCenters[int(h.Sum32()%uint32(len(s.dataCenters)))]
}

// Put stores a report in its job's home data center and returns that data center; it is served
// re-encoded by encoding/json (PutJSON serves bytes as given). It panics when the report breaks
// openapi.yaml (no recipients, no job ID, …), with a message that names the rule, as PutJSON
// does.
func (s *Server) Put(r *faxreport.Report) *DataCenter {
	dc := s.Home(r.JobID)
	dc.Put(r)
	return dc
}

// PutPending stores a report in its job's home data center that is served as still pending
// until p says it is final, re-encoded by encoding/json as Put serves it.
func (s *Server) PutPending(final *faxreport.Report, p Pending) *DataCenter {
	dc := s.Home(final.JobID)
	dc.PutPending(final, p)
	return dc
}

// LoadExamples stores every example report of package api, each in its home data center.
func (s *Server) LoadExamples() {
	for _, name := range api.Reports() {
		s.PutJSON(api.Example(name))
	}
}

// PutJSON stores a report given as JSON, served byte for byte, in its job's home data center.
// It panics when the report breaks openapi.yaml, with a message that names the rule.
func (s *Server) PutJSON(body []byte) *DataCenter {
	id := checkedJobID(body)
	dc := s.Home(id)
	dc.PutJSON(body)
	return dc
}

// Requests returns the requests of every data center, data center by data center: those
// answered so far (see Request).
func (s *Server) Requests() []Request {
	var all []Request
	for _, dc := range s.dataCenters {
		all = append(all, dc.Requests()...)
	}
	return all
}

// WaitIdle waits until no data center has a request in flight (DataCenter.WaitIdle), or until
// ctx ends: then every request the region has received is in Requests.
func (s *Server) WaitIdle(ctx context.Context) error {
	for _, dc := range s.dataCenters {
		if err := dc.WaitIdle(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Connections returns the number of TCP connections the data centers have accepted in all.
func (s *Server) Connections() int64 {
	var n int64
	for _, dc := range s.dataCenters {
		n += dc.Connections()
	}
	return n
}
