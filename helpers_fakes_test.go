package faxreport_test

import (
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// unknownDeleteReadings are the three answers faxtest can give to the deletion of a job a data
// center does not hold; the client's delete tests run under each.
var unknownDeleteReadings = []struct {
	name    string
	reading faxtest.UnknownDelete
}{
	{"200 NOT_FOUND", faxtest.UnknownDeleteNotFoundItem},
	{"400", faxtest.UnknownDelete400},
	{"404", faxtest.UnknownDelete404},
}

// forEachUnknownDeleteReading runs test once per reading of unknownDeleteReadings, as a subtest
// with Options that select it.
func forEachUnknownDeleteReading(t *testing.T, test func(t *testing.T, opts faxtest.Options)) {
	for _, r := range unknownDeleteReadings {
		t.Run(r.name, func(t *testing.T) { test(t, faxtest.Options{UnknownDelete: r.reading}) })
	}
}

// fakeClient starts a faxtest region for the test and a client of it with fast retries.
func fakeClient(t *testing.T, opts faxtest.Options) (*faxtest.Server, *faxreport.Client) {
	t.Helper()
	opts.T = t
	s := faxtest.NewServer(opts)
	cfg := s.Config()
	cfg.Retry = fastRetry
	c, err := faxreport.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}
