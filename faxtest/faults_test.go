package faxtest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

func TestFaults(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1})
	dc := s.Put(report(exampleJob))
	get1 := func() (int, http.Header, []byte) { return get(t, s, dc, s.CustomerNumber, exampleJob, true) }

	dc.Inject(faxtest.Fault{Status: 503, RetryAfter: "2", Times: 2})
	for range 2 {
		if status, h, _ := get1(); status != 503 || h.Get("Retry-After") != "2" {
			t.Fatalf("status %d Retry-After %q", status, h.Get("Retry-After"))
		}
	}
	if status, _, _ := get1(); status != 200 {
		t.Fatalf("after the fault's 2 uses: %d", status)
	}

	dc.Inject(faxtest.Fault{Status: 520, EmptyBody: true, Times: 1})
	if status, _, body := get1(); status != 520 || len(body) != 0 {
		t.Fatalf("520 empty: %d %q", status, body)
	}

	dc.Inject(faxtest.Fault{Malformed: []byte(`{"jobId":`), Times: 1})
	req, _ := http.NewRequest(http.MethodGet, dc.URL()+"/"+s.CustomerNumber+"/fax/reports/"+exampleJob, nil)
	req.SetBasicAuth(s.Username, s.Password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != `{"jobId":` {
		t.Fatalf("malformed: %q", body)
	}

	dc.Inject(faxtest.Fault{Oversize: 5 << 20, Times: 1})
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if n != 5<<20 {
		t.Fatalf("oversize body of %d bytes", n)
	}

	dc.Inject(faxtest.Fault{Drop: true, Times: 1})
	// A fresh connection: on a reused one, net/http itself would retry the GET.
	if _, err := (&http.Transport{DisableKeepAlives: true}).RoundTrip(req); err == nil {
		t.Fatal("dropped connection answered")
	}

	dc.Inject(faxtest.Fault{Latency: time.Hour, Times: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := http.DefaultClient.Do(req.WithContext(ctx)); err == nil {
		t.Fatal("an hour's latency answered")
	}

	if err := dc.WaitIdle(context.Background()); err != nil { // the cut request may still be ending
		t.Fatal(err)
	}
	statuses := fmt.Sprint(statusesOf(dc.Requests()))
	if statuses != "[503 503 200 520 200 200 0 0]" {
		t.Fatalf("request log statuses %s", statuses)
	}
}

func TestFaultLatencyIsCutShortByTheClient(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1})
	dc := s.Put(report(exampleJob))
	dc.SetLatency(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	cfg := s.Config()
	c, _ := faxreport.New(cfg)
	if _, err := c.GetStatusReport(ctx, exampleJob); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	dc.ClearFaults()
	if _, err := c.GetStatusReport(context.Background(), exampleJob); err != nil {
		t.Fatal(err)
	}
}

func TestInjectRandom(t *testing.T) {
	s := faxtest.NewServer(faxtest.Options{T: t, DataCenters: 1})
	dc := s.Put(report(exampleJob))
	dc.InjectRandom(1, faxtest.Fault{Status: 500}, faxtest.Fault{Status: 503})
	for range 20 {
		if status, _, _ := get(t, s, dc, s.CustomerNumber, exampleJob, true); status != 500 && status != 503 {
			t.Fatalf("status %d with a rate of 1", status)
		}
	}
	dc.InjectRandom(0)
	if status, _, _ := get(t, s, dc, s.CustomerNumber, exampleJob, true); status != 200 {
		t.Fatalf("status %d with a rate of 0", status)
	}
}
