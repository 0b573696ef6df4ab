package faxreport_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/api"
	"github.com/faxreport/faxreport/faxtest"
)

// outcomes collects what a many-job wait hands over as it goes, in that order.
type outcomes struct{ got []faxreport.ReportResult }

func (o *outcomes) add(r faxreport.ReportResult) { o.got = append(o.got, r) }

func TestWaitForStatusReportsTenThousandJobsInWaves(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	waves := [][]string{ // final at the first, second and third poll
		s.SeedPending(3334, faxtest.Pending{}),
		s.SeedPending(3333, faxtest.Pending{Reads: 1}),
		s.SeedPending(3333, faxtest.Pending{Reads: 2}),
	}
	wave := map[string]int{}
	var ids []string // the waves interleaved, so that input order is not completion order
	for n := range waves[0] {
		for w := range waves {
			if n < len(waves[w]) {
				ids, wave[waves[w][n]] = append(ids, waves[w][n]), w
			}
		}
	}
	var seen outcomes
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // 10,000 jobs under -race on a busy machine
	defer cancel()
	results := c.WaitForStatusReports(ctx, ids, seen.add, fastPolls)

	if len(seen.got) != len(ids) {
		t.Fatalf("%d outcomes handed over, want one per job: %d", len(seen.got), len(ids))
	}
	lastWave, handed := 0, map[string]bool{}
	for _, r := range seen.got {
		if r.Err != nil || !faxreport.IsReportFinal(r.Report) || r.Report.JobID != r.JobID {
			t.Fatalf("outcome %s: %v %+v", r.JobID, r.Err, r.Report)
		}
		if wave[r.JobID] < lastWave {
			t.Fatalf("job %s of wave %d handed over after one of wave %d: not in completion order", r.JobID, wave[r.JobID], lastWave)
		}
		lastWave, handed[r.JobID] = wave[r.JobID], true
	}
	if len(handed) != len(ids) {
		t.Fatalf("%d distinct jobs handed over of %d", len(handed), len(ids))
	}
	for i, r := range results {
		if r.JobID != ids[i] || r.Err != nil || r.Report.JobID != ids[i] {
			t.Fatalf("result %d: %s %v, want job %s in input order", i, r.JobID, r.Err, ids[i])
		}
	}

	// Round 1 asks every job everywhere; rounds 2 and 3 only the pending ones, in their home.
	want, wantIDs := 2*chunksOf(len(ids)), 2*len(ids)
	for _, pending := range [][]string{append(slices.Clone(waves[1]), waves[2]...), waves[2]} {
		for _, dc := range s.DataCenters() {
			home := 0
			for _, id := range pending {
				if s.Home(id) == dc {
					home++
				}
			}
			want, wantIDs = want+chunksOf(home), wantIDs+home
		}
	}
	requests, asked := bulkRequests(s.Requests())
	if total := len(s.Requests()); requests != want || asked != wantIDs || total != want {
		t.Fatalf("%d requests, %d bulk, carrying %d IDs; want %d bulk requests carrying %d and nothing else", total, requests, asked, want, wantIDs)
	}
}

func TestWaitForStatusReportsGivesTheBytesAsSent(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	s.PutJSON(api.Example(api.ReportExample))
	s.PutJSON(api.Example(api.ReportPending)) // stays pending: its own body is
	s.FinishAfter(1, "FJJ66GHGX105ZZBIELVCN1")
	ids := []string{"FJJ66GHGX105ZZBIELVCN1", "FJ0PENDING0REPORT00001"}
	results := c.WaitForStatusReports(testContext(t), ids, nil, fastPolling(faxreport.WaitOptions{MaxWait: loadedWait}))
	if r := results[0]; r.Err != nil || r.Report == nil || r.Report.JobID != ids[0] || !bytes.Equal(r.JSON, bytes.TrimSpace(api.Example(api.ReportExample))) {
		t.Fatalf("final job: %v, report %v, JSON %s", r.Err, r.Report, r.JSON)
	}
	var waitErr *faxreport.WaitError
	if !errors.As(results[1].Err, &waitErr) || !bytes.Equal(waitErr.LastJSON, bytes.TrimSpace(api.Example(api.ReportPending))) || waitErr.Last == nil {
		t.Fatalf("pending job: %v, want a *WaitError with the last report and its bytes", results[1].Err)
	}
}

func TestWaitForStatusReportsCancel(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	home := s.DataCenter(0) // one bulk answer holds them all
	first, rest := "FJFIRST", []string{"FJREST1", "FJREST2", "FJREST3"}
	home.Put(newReport(first, faxreport.StatusOK).model())
	for _, id := range rest {
		home.PutPending(newReport(id, faxreport.StatusOK).model(), faxtest.Pending{For: time.Hour})
	}
	ctx, cancel := context.WithCancel(testContext(t))
	defer cancel()
	var seen outcomes
	results := c.WaitForStatusReports(ctx, append([]string{first}, rest...), func(r faxreport.ReportResult) {
		seen.add(r)
		cancel()
	}, faxreport.WaitOptions{MinPollInterval: time.Hour, MaxPollInterval: time.Hour})
	if results[0].Err != nil {
		t.Fatalf("the job final before the cancel: %v", results[0].Err)
	}
	for _, r := range results[1:] {
		var waitErr *faxreport.WaitError
		if !errors.As(r.Err, &waitErr) || waitErr.Last == nil {
			t.Fatalf("job %s: %v, want a *WaitError with its last report", r.JobID, r.Err)
		}
		mustFail(t, r.Err, context.Canceled, context.DeadlineExceeded)
	}
	if len(seen.got) != len(results) {
		t.Fatalf("%d outcomes handed over, want %d", len(seen.got), len(results))
	}
}

func TestWaitForStatusReportsInputs(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	id := s.SeedPending(1, faxtest.Pending{Reads: 1})[0]
	var seen outcomes
	results := c.WaitForStatusReports(testContext(t), []string{id, "..", id}, seen.add, fastPolls)
	if results[0].Err != nil || results[2].Report != results[0].Report {
		t.Fatalf("duplicate: %+v %+v", results[0], results[2])
	}
	mustFail(t, results[1].Err, faxreport.ErrInvalidArgument)
	if len(seen.got) != 2 {
		t.Fatalf("%d outcomes handed over, want one per distinct ID", len(seen.got))
	}

	results = c.WaitForStatusReports(testContext(t), []string{id}, nil, faxreport.WaitOptions{MinPollInterval: time.Second, MaxPollInterval: time.Millisecond})
	mustFail(t, results[0].Err, faxreport.ErrInvalidArgument)
	if len(c.WaitForStatusReports(testContext(t), nil, nil, faxreport.WaitOptions{})) != 0 {
		t.Fatal("no job, some result")
	}
}

// Wait for a campaign's jobs together: each outcome is handed over as the job ends, and the
// results come back in input order.
func ExampleClient_WaitForStatusReports() {
	fake := faxtest.NewServer(faxtest.Options{}) // stands in for the Retarus data centers
	defer fake.Close()
	jobs := fake.SeedPending(3, faxtest.Pending{For: time.Hour})
	fake.FinishAfter(2, jobs[0]) // pending for two more polls
	fake.FinishAfter(1, jobs[1])
	fake.Finish(jobs[2])
	client, err := faxreport.New(fake.Config())
	if err != nil {
		panic(err)
	}
	position := map[string]int{jobs[0]: 1, jobs[1]: 2, jobs[2]: 3}
	results := client.WaitForStatusReports(context.Background(), jobs, func(r faxreport.ReportResult) {
		fmt.Printf("job %d ended: %v\n", position[r.JobID], r.Err)
	}, faxreport.WaitOptions{MinPollInterval: 10 * time.Millisecond, MaxPollInterval: 50 * time.Millisecond, MaxWait: time.Minute})
	for _, r := range results {
		fmt.Println(position[r.JobID], r.Report.RecipientStatus[0].Status)
	}
	// Output:
	// job 3 ended: <nil>
	// job 2 ended: <nil>
	// job 1 ended: <nil>
	// 1 OK
	// 2 OK
	// 3 OK
}

// A panic in final stops the wait and goes on in the caller's goroutine, where it can be
// recovered, instead of killing the process from a goroutine of the wait's.
func TestWaitForStatusReportsFinalThatPanics(t *testing.T) {
	s, c := fakeClient(t, faxtest.Options{})
	ids := s.SeedPending(3, faxtest.Pending{Reads: 1})
	calls := 0
	defer func() {
		if v := recover(); v != "final's own panic" || calls != 1 {
			t.Fatalf("recovered %v after %d calls of final, want final's panic after 1", v, calls)
		}
	}()
	c.WaitForStatusReports(testContext(t), ids, func(faxreport.ReportResult) {
		calls++
		panic("final's own panic")
	}, fastPolls)
	t.Fatal("the wait returned after its final panicked")
}
