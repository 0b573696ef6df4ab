package faxreport_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/faxreport/faxreport"
)

// hostileLister is a data center whose n-th listing (from 1) is listing(n), given as report
// bodies, and whose bulk DELETE answers each job with answer(jobID). It records the IDs each
// bulk request carried.
type hostileLister struct {
	*dataCenter
	mu      sync.Mutex
	deletes [][]string
}

func newHostileLister(t *testing.T, listing func(n int) [][]byte, answer func(jobID string) string) *hostileLister {
	h := &hostileLister{}
	var lists atomic.Int64
	h.dataCenter = newDataCenter(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			var req struct {
				JobIDs []string `json:"jobIds"`
			}
			json.NewDecoder(r.Body).Decode(&req)
			h.mu.Lock()
			h.deletes = append(h.deletes, req.JobIDs)
			h.mu.Unlock()
			items := make([]string, len(req.JobIDs))
			for i, id := range req.JobIDs {
				items[i] = answer(id)
			}
			serveJSON(200, []byte(`{"reports":[`+strings.Join(items, ",")+`]}`))(w, r)
			return
		}
		reports := listing(int(lists.Add(1)))
		serveJSON(200, append(append([]byte(`{"reports":[`), bytes.Join(reports, []byte(","))...), "]}"...))(w, r)
	})
	return h
}

func deletedAnswer(id string) string { return fmt.Sprintf(`{"jobId":%q,"deleted":true}`, id) }

func notFoundAnswer(id string) string {
	return fmt.Sprintf(`{"jobId":%q,"deleted":false,"reason":"NOT_FOUND"}`, id)
}

// shelf is a data center's stored reports, oldest first, served by a hostileLister: it lists the
// oldest ListLimit, whatever they hold, and deletes the jobs a bulk DELETE names. Unlike
// faxtest, it stores reports that break the contract.
type shelf struct {
	mu     sync.Mutex
	order  []string
	bodies map[string][]byte
}

func newShelf() *shelf { return &shelf{bodies: map[string][]byte{}} }

func (s *shelf) put(id string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.order = append(s.order, id)
	s.bodies[id] = body
}

func (s *shelf) list(int) [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	var listed [][]byte
	for _, id := range s.order {
		if len(listed) == faxreport.ListLimit {
			break
		}
		listed = append(listed, s.bodies[id])
	}
	return listed
}

func (s *shelf) remove(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.bodies[id]; !ok {
		return notFoundAnswer(id)
	}
	delete(s.bodies, id)
	s.order = slices.DeleteFunc(s.order, func(o string) bool { return o == id })
	return deletedAnswer(id)
}

func (s *shelf) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.bodies)
}

// fill puts invalid reports, then valid ones, on a new shelf served by a new data center, and
// returns the shelf, the data center and every report's bytes by job.
func fill(t *testing.T, invalid, valid int) (*shelf, *hostileLister, map[string][]byte) {
	sh := newShelf()
	stored := map[string][]byte{}
	for i := range invalid {
		id := fmt.Sprintf("FJBAD%05d", i)
		stored[id] = newReport(id).with("2017-08-10 13:05:09Z", "recipientStatus", 0, "sentTs").json()
		sh.put(id, stored[id])
	}
	for i := range valid {
		id := fmt.Sprintf("FJGOOD%05d", i)
		stored[id] = newReport(id).json()
		sh.put(id, stored[id])
	}
	return sh, newHostileLister(t, sh.list, sh.remove), stored
}

// quarantine records what a drain's two handlers were given.
type quarantine struct {
	mu      sync.Mutex
	valid   map[string][]byte
	invalid map[string][]byte
	errs    []error
	dcs     map[string]bool
}

func newQuarantine() *quarantine {
	return &quarantine{valid: map[string][]byte{}, invalid: map[string][]byte{}, dcs: map[string]bool{}}
}

func (q *quarantine) config() faxreport.DrainConfig {
	return faxreport.DrainConfig{
		HandleJSON: func(_ context.Context, page []faxreport.RawReport) error {
			q.mu.Lock()
			defer q.mu.Unlock()
			for _, r := range page {
				q.valid[r.JobID] = r.JSON
				q.dcs[r.DataCenter] = true
			}
			return nil
		},
		HandleInvalid: func(_ context.Context, page []faxreport.InvalidReport) error {
			q.mu.Lock()
			defer q.mu.Unlock()
			for _, r := range page {
				q.invalid[r.JobID] = r.JSON
				q.errs = append(q.errs, r.Err)
				q.dcs[r.DataCenter] = true
			}
			return nil
		},
	}
}
