package faxreport_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// The benchmarks of the reports resource as a whole (issue 10's P6 and P7). Like bench_test.go,
// each reports its figures as custom metrics of one run; they run only with -bench.

// BenchmarkP6BulkGet: GetStatusReports (each report with its JSON, which get --json uses) of
// 10,000 jobs spread over two data centers with 20 ms of server latency, against the per-job
// path (GetStatusReport for each job, 8 at a time, as GetStatusReports did before bulk reads)
// in the same run. Reports the requests of each and the
// wall-time ratio per-job / bulk.
func BenchmarkP6BulkGet(b *testing.B) {
	perJobRead := func(c *faxreport.Client, ctx context.Context, id string) error {
		_, err := c.GetStatusReport(ctx, id)
		return err
	}
	for _, bulk := range bulkReads {
		b.Run(bulk.name, func(b *testing.B) { benchmarkBulkGet(b, bulk.read, perJobRead) })
	}
}

func benchmarkBulkGet(b *testing.B, bulkRead func(*faxreport.Client, context.Context, []string, faxreport.BatchOptions) []faxreport.ReportResult,
	perJobRead func(*faxreport.Client, context.Context, string) error) {
	const jobs, latency, perJobConcurrency = 10_000, 20 * time.Millisecond, faxreport.DefaultConcurrency
	s := faxtest.NewServer(faxtest.Options{})
	b.Cleanup(s.Close)
	ids := s.SeedReports(jobs)
	for _, dc := range s.DataCenters() {
		dc.SetLatency(latency)
	}
	c, _ := faxreport.New(s.Config())
	ctx := context.Background()
	var bulkTime, perJobTime time.Duration
	var bulkRequests, perJobRequests int
	for b.Loop() {
		before := len(s.Requests())
		start := time.Now()
		for _, r := range bulkRead(c, ctx, ids, faxreport.BatchOptions{}) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
		mid := time.Now()
		bulkRequests += len(s.Requests()) - before

		before = len(s.Requests())
		var next atomic.Int64
		var wg sync.WaitGroup
		for range perJobConcurrency {
			wg.Go(func() {
				for n := next.Add(1) - 1; n < jobs; n = next.Add(1) - 1 {
					if err := perJobRead(c, ctx, ids[n]); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		perJobRequests += len(s.Requests()) - before
		bulkTime, perJobTime = bulkTime+mid.Sub(start), perJobTime+time.Since(mid)
	}
	n := float64(b.N)
	b.ReportMetric(float64(bulkRequests)/n, "bulk-requests/op")
	b.ReportMetric(float64(perJobRequests)/n, "perjob-requests/op")
	b.ReportMetric(bulkTime.Seconds()/n, "bulk-s/op")
	b.ReportMetric(perJobTime.Seconds()/n, "perjob-s/op")
	b.ReportMetric(float64(perJobTime)/float64(bulkTime), "speedup")
}

// BenchmarkP7Drain: a drain of 10,000 and of 100,000 reports over two data centers. Reports
// the requests, the wall time (without the time spent in the handler), and the memory the
// client holds: the fake runs in a child process (TestFaxtestProcess), so that this process's
// heap is the client's alone. live-heap-MB is the most live heap above the level before the
// drain, measured after a GC at each handler call (when the client holds its pages);
// peak-heap-MB the most heap in use, garbage included, sampled every millisecond. Both must
// stay bounded by a page per data center, not grow with the total.
func BenchmarkP7Drain(b *testing.B) {
	for _, total := range []int{10_000, 100_000} {
		b.Run(strconv.Itoa(total), func(b *testing.B) {
			ctx := context.Background()
			var requests int
			var live, peak uint64
			var wall time.Duration
			for b.Loop() {
				b.StopTimer()
				var sent atomic.Int64
				c, stopFake := startFakeProcess(b, total, &sent)
				runtime.GC()
				base := heapObjects()
				stopSampling := sampleHeapPeak()
				b.StartTimer()

				var inHandler time.Duration
				start := time.Now()
				counts, err := c.DrainStatusReports(ctx, faxreport.DrainConfig{Handle: func(context.Context, []*faxreport.Report) error {
					entered := time.Now()
					runtime.GC()
					if h := heapObjects(); h > base {
						live = max(live, h-base)
					}
					inHandler += time.Since(entered)
					return nil
				}})
				wall += time.Since(start) - inHandler

				b.StopTimer()
				if p := stopSampling(); p > base {
					peak = max(peak, p-base)
				}
				listing, listErr := c.ListStatusReports(ctx)
				if err != nil || listErr != nil || counts.Deleted != total || listing.Count() != 0 {
					b.Fatalf("%+v, %v, %v, %d left", counts, err, listErr, listing.Count())
				}
				requests += int(sent.Load()) - len(c.Endpoints()) // less the check's listing
				stopFake()
				b.StartTimer()
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(wall.Seconds()/float64(b.N), "wall-s/op")
			b.ReportMetric(float64(live)/(1<<20), "live-heap-MB")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

// startFakeProcess starts a faxtest region of two data centers holding total seeded reports
// in a child process and returns a client of it, which counts its requests in sent, and the
// function that stops it.
func startFakeProcess(b *testing.B, total int, sent *atomic.Int64) (*faxreport.Client, func()) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestFaxtestProcess$")
	cmd.Env = append(os.Environ(), "FAXTEST_PROCESS_REPORTS="+strconv.Itoa(total))
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	var cfg faxreport.Config
	if err := json.NewDecoder(stdout).Decode(&cfg.Endpoints); err != nil {
		b.Fatal(err)
	}
	cfg.CustomerNumber, cfg.Username, cfg.Password = faxtest.DefaultCustomerNumber, faxtest.DefaultUsername, faxtest.DefaultPassword
	cfg.HTTPClient = &http.Client{Transport: countingTransport{http.DefaultTransport, sent}}
	c, err := faxreport.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return c, func() {
		c.CloseIdleConnections()
		stdin.Close()
		cmd.Wait()
	}
}

// countingTransport counts the requests it sends.
type countingTransport struct {
	http.RoundTripper
	sent *atomic.Int64
}

func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.sent.Add(1)
	return t.RoundTripper.RoundTrip(req)
}

// TestFaxtestProcess is the child process of startFakeProcess: it serves a seeded faxtest
// region, prints its endpoints as JSON, and stops when its standard input closes. Run
// otherwise, it does nothing.
func TestFaxtestProcess(t *testing.T) {
	n, err := strconv.Atoi(os.Getenv("FAXTEST_PROCESS_REPORTS"))
	if err != nil {
		t.Skip("the fake of BenchmarkP7Drain's child process")
	}
	s := faxtest.NewServer(faxtest.Options{})
	defer s.Close()
	s.SeedReports(n)
	json.NewEncoder(os.Stdout).Encode(s.Endpoints())
	io.Copy(io.Discard, os.Stdin)
}
