package faxreport_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
	"github.com/faxreport/faxreport/internal/validate"
)

// The benchmarks of the performance targets (BENCHMARKS.md). Each one measures the library and
// its baseline side by side in the same run, P1, P2 and P5 in alternating blocks
// (bench_blocks_test.go), and reports their ratio as a custom metric, so that the figures hold
// on a noisy machine.

// benchServer serves body as application/json to authenticated GETs, as a data center would.
func benchServer(b *testing.B, body []byte) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, _, ok := r.BasicAuth(); !ok {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	b.Cleanup(s.Close)
	return s
}

func benchClient(b *testing.B, endpoints ...string) *faxreport.Client {
	c, err := faxreport.New(faxreport.Config{CustomerNumber: testCustNr, Username: testUser, Password: testPassword, Endpoints: endpoints})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// rawGet is what a user would write by hand: http.Get with basic auth and json.Decode.
func rawGet(hc *http.Client, url, user, password string) (*faxreport.Report, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(user, password)
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var r faxreport.Report
	return &r, json.NewDecoder(resp.Body).Decode(&r)
}

// p1Block is the number of calls in each of P1's blocks: enough for a block to pay for the
// work its calls leave running (about 15 ms of calls).
const p1Block = 1000

// BenchmarkP1GetStatusReport: one data center, the document's example report; the library with
// validation against a raw http.Get + basic auth + json.Decode of the same body, in alternating
// blocks of p1Block calls (pairs); run with -benchtime 60x for 60 pairs.
func BenchmarkP1GetStatusReport(b *testing.B) {
	s := benchServer(b, api.Example(api.ReportExample))
	c := benchClient(b, s.URL+"/rest/v1")
	hc := &http.Client{}
	url := s.URL + "/rest/v1/" + testCustNr + "/fax/reports/" + testJobID
	ctx := context.Background()
	pairs(b, p1Block, func() {
		if _, err := rawGet(hc, url, testUser, testPassword); err != nil {
			b.Fatal(err)
		}
	}, func() {
		if _, err := c.GetStatusReport(ctx, testJobID); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkP1Allocs: allocations of one GetStatusReport alone (P1's allocs/op mixes both sides).
func BenchmarkP1Allocs(b *testing.B) {
	s := benchServer(b, api.Example(api.ReportExample))
	c := benchClient(b, s.URL+"/rest/v1")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetStatusReport(ctx, testJobID); err != nil {
			b.Fatal(err)
		}
	}
}

// p2Block is the number of decodes in each of P2's blocks (about 25 ms of plain decodes).
const p2Block = 10

// BenchmarkP2Decode1000Recipients: the decode and validation of a 1000-recipient report against
// a plain json.Unmarshal into the same struct (encoding/json), in alternating blocks of p2Block
// decodes (pairs); ratio-median is the P2 target of BENCHMARKS.md, bytes-ratio its memory. Run
// with -benchtime 60x for 60 pairs.
func BenchmarkP2Decode1000Recipients(b *testing.B) {
	body := bigReport(1000)
	d, err := validate.NewDecoder[faxreport.Report]("StatusReport")
	if err != nil {
		b.Fatal(err)
	}
	pairs(b, p2Block, func() {
		var r faxreport.Report
		if err := json.Unmarshal(body, &r); err != nil {
			b.Fatal(err)
		}
	}, func() {
		if _, err := d.Decode("application/json", body); err != nil {
			b.Fatal(err)
		}
	})
}

// bigReport is a report of n recipients with every optional field set.
func bigReport(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"jobId":"FJJ66GHGX105ZZBIELVCN1","pages":3,"reference":{"customerDefinedId":"cdi","billingCode":"bc","billingInfo":"bi"},"recipientStatus":[`)
	for i := range n {
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"number":"+49 89 %07d","properties":[{"key":"name","value":"Recipient %d"}],"status":"OK","reason":"OK","sentTs":"2017-08-10T13:05:09Z","durationInSecs":%d,"sentToNumber":"004989%07d","remoteCsid":"+49/89/%07d"}`, i, i, i%120, i, i)
	}
	buf.WriteString(`]}`)
	return buf.Bytes()
}

// BenchmarkP3SlowDataCenter: the report is in the fast data center and the other answers after
// 2 s. Reports how much longer a call takes than one to the fast data center alone.
func BenchmarkP3SlowDataCenter(b *testing.B) {
	fast := benchServer(b, api.Example(api.ReportExample))
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
			w.WriteHeader(http.StatusNotFound)
		case <-r.Context().Done():
		}
	}))
	b.Cleanup(slow.Close)
	both := benchClient(b, slow.URL+"/rest/v1", fast.URL+"/rest/v1")
	fastOnly := benchClient(b, fast.URL+"/rest/v1")
	ctx := context.Background()
	var alone, withSlow time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := fastOnly.GetStatusReport(ctx, testJobID); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if _, err := both.GetStatusReport(ctx, testJobID); err != nil {
			b.Fatal(err)
		}
		alone, withSlow = alone+mid.Sub(start), withSlow+time.Since(mid)
	}
	b.ReportMetric(float64((withSlow-alone).Microseconds())/1000/float64(b.N), "excess-ms")
	b.ReportMetric(float64(withSlow.Microseconds())/1000/float64(b.N), "ms/call")
}

// BenchmarkP4Connections: 1000 sequential calls over two data centers; reports the TCP
// connections the data centers accepted.
func BenchmarkP4Connections(b *testing.B) {
	ctx := context.Background()
	var conns int64
	for b.Loop() {
		b.StopTimer()
		s := faxtest.NewServer(faxtest.Options{})
		s.LoadExamples()
		c, _ := faxreport.New(s.Config())
		b.StartTimer()
		for range 1000 {
			if _, err := c.GetStatusReport(ctx, testJobID); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		conns += s.Connections()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(conns)/float64(b.N), "conns/1000calls")
}

// BenchmarkP5ManyReports: GetStatusReports of 1000 jobs, concurrency 32, 20 ms of server latency;
// reports the wall time against the ideal 1000/32 × 20 ms (ideal-ratio-median, -p25, -p75, one
// block per batch), and against a hand-written pool of 32 goroutines that asks each job's own
// data center with rawGet (pairs, blocks of one batch); run with -benchtime 8x.
func BenchmarkP5ManyReports(b *testing.B) {
	const jobs, concurrency, latency = 1000, 32, 20 * time.Millisecond
	s := faxtest.NewServer(faxtest.Options{})
	b.Cleanup(s.Close)
	ids := make([]string, jobs)
	urls := make([]string, jobs)
	for i := range ids {
		ids[i] = fmt.Sprintf("FJ%08d", i)
		urls[i] = s.Put(newReport(ids[i], faxreport.StatusOK).model()).URL() + "/" + s.CustomerNumber + "/fax/reports/" + ids[i]
	}
	for _, dc := range s.DataCenters() {
		dc.SetLatency(latency)
	}
	c, _ := faxreport.New(s.Config())
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency}}
	ctx := context.Background()
	ideal := float64(jobs) / concurrency * float64(latency)
	raw := func() {
		next := make(chan string)
		var wg sync.WaitGroup
		for range concurrency {
			wg.Go(func() {
				for url := range next {
					if _, err := rawGet(hc, url, s.Username, s.Password); err != nil {
						b.Error(err)
					}
				}
			})
		}
		for _, url := range urls {
			next <- url
		}
		close(next)
		wg.Wait()
	}
	lib := func() {
		for _, r := range c.GetStatusReports(ctx, ids, faxreport.BatchOptions{Concurrency: concurrency}) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
	}
	libNs := pairs(b, 1, raw, lib)
	b.ReportMetric(quantile(libNs, 0.5)/ideal, "ideal-ratio-median")
	b.ReportMetric(quantile(libNs, 0.25)/ideal, "ideal-ratio-p25")
	b.ReportMetric(quantile(libNs, 0.75)/ideal, "ideal-ratio-p75")
}
