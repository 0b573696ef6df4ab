package faxreport_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// TestPushConcurrentPushes sends 100 pushes for 20 jobs at once: every push is answered, and the
// pushes of one job share one fetch and one Handle call. Each job's Handle is held until all of
// that job's pushes have joined its delivery.
func TestPushConcurrentPushes(t *testing.T) {
	const jobs, pushesPerJob = 20, 5
	ctx := testContext(t)
	var (
		mu      sync.Mutex
		joined  = map[string]int{}
		release = map[string]chan struct{}{}
		handled = map[string]int{}
	)
	jobID := func(i int) string { return fmt.Sprintf("FJCONCURRENT%02d", i) }
	for i := range jobs {
		release[jobID(i)] = make(chan struct{})
	}
	defer faxreport.SetFlightJoined(func(jobID string) {
		mu.Lock()
		defer mu.Unlock()
		if joined[jobID]++; joined[jobID] == pushesPerJob {
			close(release[jobID])
		}
	})()
	env := newPushEnv(t, func(c *faxreport.PushConfig) {
		c.Handle = func(_ context.Context, r *faxreport.Report) error {
			mu.Lock()
			handled[r.JobID]++
			mu.Unlock()
			select {
			case <-release[r.JobID]:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	})
	for i := range jobs {
		env.fake.Put(newReport(jobID(i), faxreport.StatusOK).model())
	}

	statuses := make(chan int, jobs*pushesPerJob)
	var wg sync.WaitGroup
	for i := range jobs * pushesPerJob {
		wg.Go(func() {
			resp, err := env.fake.Push(env.url, jobID(i%jobs), faxtest.PushBasicAuth(pushUser, pushPassword))
			if err != nil {
				t.Error(err)
				statuses <- 0
				return
			}
			statuses <- resp.StatusCode
		})
	}
	wg.Wait()
	close(statuses)
	answered := 0
	for status := range statuses {
		if status != http.StatusNoContent {
			t.Errorf("a push was answered %d", status)
		}
		answered++
	}
	if answered != jobs*pushesPerJob {
		t.Fatalf("%d pushes answered of %d", answered, jobs*pushesPerJob)
	}
	for i := range jobs {
		id := jobID(i)
		mu.Lock()
		handles := handled[id]
		mu.Unlock()
		if fetches := env.fetches(id); handles != 1 || fetches != 1 {
			t.Errorf("job %s: %d fetches and %d Handle calls for %d concurrent pushes, want 1 and 1", id, fetches, handles, pushesPerJob)
		}
	}
}
