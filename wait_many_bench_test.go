package faxreport_test

import (
	"context"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// BenchmarkP8WaitMany: WaitForStatusReports of 10,000 jobs over two data centers with 20 ms of
// server latency, final in three waves (a third each, 1 s, 2 s and 3 s after the start), polled
// every 250 ms to 1 s. Reports the requests and rounds, the bound the issue sets on them, the
// time from a job becoming final to its being handed over (median and most), and the heap:
// the most in use above the level before the wait (garbage included, the fake's too), and what
// stays live after it with every result held. Then the per-job baseline in the same run: a
// sample of jobsSampled jobs, in the same waves, each waited for with WaitForStatusReport, all
// at once (per-job polling at its best); its requests are extrapolated to 10,000 jobs.
func BenchmarkP8WaitMany(b *testing.B) {
	const jobs, sampled, latency = 10_000, 500, 20 * time.Millisecond
	polls := faxreport.WaitOptions{MinPollInterval: 250 * time.Millisecond, MaxPollInterval: time.Second}
	for b.Loop() {
		before := 0
		s := faxtest.NewServer(faxtest.Options{})
		for _, dc := range s.DataCenters() {
			dc.SetLatency(latency)
		}
		c, err := faxreport.New(s.Config())
		if err != nil {
			b.Fatal(err)
		}
		ids := s.SeedPending(jobs, faxtest.Pending{For: time.Hour})
		sample := s.SeedPending(sampled, faxtest.Pending{For: time.Hour})

		roundStart := time.Now() // one round trip for every job: the bulk reads of a first round
		for _, r := range c.GetStatusReports(context.Background(), ids, faxreport.BatchOptions{}) {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
		roundTrip := time.Since(roundStart)

		runtime.GC()
		base := heapObjects()
		before = len(s.Requests())
		stopSampling := sampleHeapPeak()
		finalAt := inWaves(s, ids)
		reported := make(map[string]time.Time, jobs)
		start := time.Now()
		results := c.WaitForStatusReports(context.Background(), ids, func(r faxreport.ReportResult) {
			reported[r.JobID] = time.Now()
		}, polls)
		wall := time.Since(start)
		peak := stopSampling()
		runtime.GC()
		live := heapObjects()
		for _, r := range results {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
		runtime.KeepAlive(results)
		requests, rounds, bound := waitRequests(s.Requests()[before:], s, ids)
		median, most := lateness(reported, finalAt)
		b.ReportMetric(float64(requests), "bulk-requests")
		b.ReportMetric(float64(rounds), "rounds")
		b.ReportMetric(float64(bound), "requests-bound")
		b.ReportMetric(float64(median.Milliseconds()), "final-to-reported-p50-ms")
		b.ReportMetric(float64(most.Milliseconds()), "final-to-reported-max-ms")
		b.ReportMetric(float64(roundTrip.Milliseconds()), "round-trip-10000-ms")
		b.ReportMetric(wall.Seconds(), "bulk-wall-s")
		b.ReportMetric(float64(peak-min(base, peak))/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(live-min(base, live))/jobs, "live-heap-B/job")

		before = len(s.Requests())
		finalAt = inWaves(s, sample)
		reported = make(map[string]time.Time, sampled)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, id := range sample {
			wg.Go(func() {
				if _, err := c.WaitForStatusReport(context.Background(), id, polls); err != nil {
					b.Error(err)
				}
				mu.Lock()
				reported[id] = time.Now()
				mu.Unlock()
			})
		}
		wg.Wait()
		perJob := len(s.Requests()) - before
		median, most = lateness(reported, finalAt)
		b.ReportMetric(float64(perJob)*jobs/sampled, "perjob-requests-extrapolated")
		b.ReportMetric(float64(median.Milliseconds()), "perjob-final-to-reported-p50-ms")
		b.ReportMetric(float64(most.Milliseconds()), "perjob-final-to-reported-max-ms")
		s.Close()
	}
}

// inWaves makes a third of ids final 1 s from now, a third at 2 s and the rest at 3 s, and
// returns when each becomes final.
func inWaves(s *faxtest.Server, ids []string) map[string]time.Time {
	now := time.Now()
	finalAt := make(map[string]time.Time, len(ids))
	third := len(ids) / 3
	for w, wave := range [][]string{ids[:third], ids[third : 2*third], ids[2*third:]} {
		at := now.Add(time.Duration(w+1) * time.Second)
		s.FinishAt(at, wave...)
		for _, id := range wave {
			finalAt[id] = at
		}
	}
	return finalAt
}

// waitRequests counts the requests of a bulk wait for ids in log (the last of which is of the last
// wave), its rounds, and the bound: every job asked everywhere in the first round,
// then at most every job in its home data center in each round after.
func waitRequests(log []faxtest.Request, s *faxtest.Server, ids []string) (requests, rounds, bound int) {
	last := ids[len(ids)-1]
	for _, r := range log {
		if r.Method != http.MethodPost {
			requests++ // a single GET: a confirmation or a fallback
			continue
		}
		requests++
		if slices.Contains(r.JobIDs, last) {
			rounds++
		}
	}
	rounds-- // the first round asked it in both data centers
	perRound := 0
	for _, dc := range s.DataCenters() {
		home := 0
		for _, id := range ids {
			if s.Home(id) == dc {
				home++
			}
		}
		perRound += chunksOf(home)
	}
	return requests, rounds, len(s.DataCenters())*chunksOf(len(ids)) + (rounds-1)*perRound
}

// lateness is the median and the most time from a job becoming final to its being reported.
func lateness(reported, finalAt map[string]time.Time) (median, most time.Duration) {
	late := make([]time.Duration, 0, len(reported))
	for id, at := range reported {
		late = append(late, at.Sub(finalAt[id]))
	}
	slices.Sort(late)
	return late[len(late)/2], late[len(late)-1]
}
