package faxtest_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

func TestRequestLogAndCounters(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t})
	s.Put(report(exampleJob))
	c, _ := faxreport.New(s.Config())
	for range 20 {
		if _, err := c.GetStatusReport(context.Background(), exampleJob); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { c.GetStatusReport(context.Background(), exampleJob) })
	}
	wg.Wait()
	// The home data center answered every call, so it logged all 28 before the calls returned;
	// the other one may still be answering the last stragglers, which the log shows only once
	// answered: every entry is complete.
	home := s.Home(exampleJob)
	if n := home.RequestCount(); n != 28 {
		t.Fatalf("home data center logged %d requests, want 28", n)
	}
	assertLogged := func(reqs []faxtest.Request) {
		t.Helper()
		if len(reqs) > 2*28 {
			t.Fatalf("%d requests logged, want at most %d", len(reqs), 2*28)
		}
		for _, r := range reqs {
			if r.Method != http.MethodGet || r.JobID != exampleJob || !r.Authorized || r.Status != http.StatusOK && r.Status != http.StatusNotFound {
				t.Fatalf("logged %+v", r)
			}
		}
	}
	assertLogged(s.Requests())
	if err := s.WaitIdle(context.Background()); err != nil {
		t.Fatal(err)
	}
	assertLogged(s.Requests())
	if n := s.Connections(); n < 2 || n > 2*9 {
		t.Fatalf("%d connections for 28 calls over 2 data centers", n)
	}
	if m := s.DataCenter(0).MaxInFlight(); m < 1 || m > 8 {
		t.Fatalf("max in flight %d", m)
	}
}

func TestRequestsOutsideTheSpecFailTheTest(t *testing.T) {
	rec := &recordingTB{TB: t}
	s := faxtest.NewServer(faxtest.Options{T: rec})
	for _, path := range []string{"/12345//fax/reports/x", "/12345/fax/report/x", "/12345/fax/reports/a/b"} {
		req, _ := http.NewRequest(http.MethodGet, s.DataCenter(0).URL()+path, nil)
		req.SetBasicAuth(s.Username, s.Password)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	req, _ := http.NewRequest(http.MethodPut, s.DataCenter(0).URL()+"/12345/fax/reports/x", nil)
	req.SetBasicAuth(s.Username, s.Password)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	if len(rec.errors) != 4 {
		t.Fatalf("reported %d violations, want 4: %q", len(rec.errors), rec.errors)
	}
}
