package faxreport_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/faxtest"
)

// assertEachJobAskedAtMostOncePerDataCenter checks the fake's log: every one of the jobs distinct
// job IDs was asked for, and no data center was asked twice for the same one. (Once a data
// center has answered, the others may not be asked at all.)
func assertEachJobAskedAtMostOncePerDataCenter(t *testing.T, s *faxtest.Server, jobs int) {
	t.Helper()
	asked := map[string]bool{}
	for _, dc := range s.DataCenters() {
		seen := map[string]bool{}
		for _, r := range dc.Requests() {
			// At most once in bulk and once alone: a job that no bulk answer returned is
			// confirmed with the single-report call.
			for _, id := range r.JobIDs {
				if seen["bulk "+id] {
					t.Fatalf("%s was asked twice in bulk for %s", dc.URL(), id)
				}
				seen["bulk "+id], asked[id] = true, true
			}
			if id := r.JobID; id != "" {
				if seen[id] {
					t.Fatalf("%s was asked twice for %s", dc.URL(), id)
				}
				seen[id], asked[id] = true, true
			}
		}
	}
	if len(asked) != jobs {
		t.Fatalf("%d distinct jobs asked for, want %d", len(asked), jobs)
	}
}

// bulkReads are the bulk reads: GetStatusReports gives each report and its JSON as the API sent
// it.
var bulkReads = []struct {
	name string
	read func(*faxreport.Client, context.Context, []string, faxreport.BatchOptions) []faxreport.ReportResult
}{
	{"reports", (*faxreport.Client).GetStatusReports},
}

// bulkPosts returns the job IDs of dc's bulk requests (both actions), request by request.
func bulkPosts(dc *faxtest.DataCenter) [][]string {
	var posts [][]string
	for _, r := range dc.Requests() {
		if r.Method == "POST" {
			posts = append(posts, r.JobIDs)
		}
	}
	return posts
}

// bulkRequests counts the bulk requests in a request log, and the job IDs they carried in all.
func bulkRequests(log []faxtest.Request) (requests, ids int) {
	for _, r := range log {
		if r.Method == http.MethodPost {
			requests++
			ids += len(r.JobIDs)
		}
	}
	return requests, ids
}

// chunksOf is how many bulk requests n jobs take.
func chunksOf(n int) int { return (n + faxreport.ListLimit - 1) / faxreport.ListLimit }
