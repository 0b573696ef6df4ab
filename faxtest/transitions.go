package faxtest

import (
	"fmt"
	"time"
)

// Transitions of stored reports from PENDING to final, for testing waits of your own: a report
// is served as still pending (every recipient PENDING) until the transition, and as stored
// from then on. A read is any GET that returns the report, single or bulk, in the data center
// that holds it; a data center that does not hold the job does not count its reads.

// SeedPending stores n reports with new job IDs, each in its home data center (Home), served
// as not yet final as p says (PutPending's rules), and returns their IDs in the order stored.
// Each report, once final, has one recipient delivered (OK). It is quick for thousands of jobs:
// the reports are made from one template, not encoded and checked one by one.
func (s *Server) SeedPending(n int, p Pending) []string {
	ids := make([]string, n)
	for i := range ids {
		id := fmt.Sprintf("FJWAIT%010d", seeded.Add(1))
		ids[i] = id
		j := &job{body: seedBody(id, "OK", "OK", `"sentTs":"2026-11-27T10:00:00Z","durationInSecs":12,"sentToNumber":"0049891234567","remoteCsid":"+49 89 1234567"`),
			pending: p, stored: time.Now()}
		j.pendingCopy = seedBody(id, "PENDING", "In progress", `"durationInSecs":0`) // as pendingBody makes it
		dc := s.Home(id)
		dc.mu.Lock()
		dc.jobs[id] = j
		dc.order = append(dc.order, orderEntry{id: id, job: j})
		dc.mu.Unlock()
	}
	return ids
}

// seedBody is the report of SeedPending with its one recipient's status, reason and
// transmission details.
func seedBody(id, status, reason, details string) []byte {
	return []byte(`{"jobId":"` + id + `","recipientStatus":[{"number":"+49 89 1234567","properties":null,"status":"` + status + `","reason":"` + reason + `",` + details + `}],"pages":1,"reference":{"customerDefinedId":"wait"}}`)
}

// FinishAfter makes each of jobIDs served as pending for its next reads reads, then final, in
// every data center that holds it, whatever its Pending said until now (a job still answering
// 404 appears at once, as pending). It panics when a job is stored nowhere, or was stored with
// a PENDING recipient of its own (store its final report with Put or PutJSON instead).
func (s *Server) FinishAfter(reads int, jobIDs ...string) {
	s.transition(jobIDs, func(j *job) Pending { return Pending{Reads: j.reads + reads} })
}

// FinishAt makes each of jobIDs served as pending until at, then final, as FinishAfter does
// after a number of reads (and with its panics).
func (s *Server) FinishAt(at time.Time, jobIDs ...string) {
	s.transition(jobIDs, func(j *job) Pending { return Pending{For: at.Sub(j.stored)} })
}

// Finish makes each of jobIDs final from its next read on, as FinishAt(time.Now(), ...) does.
func (s *Server) Finish(jobIDs ...string) { s.FinishAt(time.Now(), jobIDs...) }

// transition gives each of jobIDs, in every data center holding it, the Pending that next says.
func (s *Server) transition(jobIDs []string, next func(*job) Pending) {
	for _, id := range jobIDs {
		held := false
		for _, dc := range s.dataCenters {
			held = dc.transition(id, next) || held
		}
		if !held {
			panic(fmt.Sprintf("faxtest: no data center holds job %q: store it before its transition", id))
		}
	}
}

// transition gives jobID the Pending that next says, and reports whether the data center holds
// the job.
func (dc *DataCenter) transition(jobID string, next func(*job) Pending) bool {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	j := dc.jobs[jobID]
	if j == nil {
		return false
	}
	if j.stillPending {
		panic(fmt.Sprintf("faxtest: job %q was stored with a PENDING recipient: it has no final report to turn to; store that with Put or PutJSON", jobID))
	}
	j.pending = next(j)
	return true
}

// pendingBody is the job's body as served while it is pending, made once: a wait of thousands
// of jobs reads each of them many times. The caller holds the data center's lock.
func (j *job) pendingBody() []byte {
	if j.pendingCopy == nil {
		j.pendingCopy = pendingBody(j.body)
	}
	return j.pendingCopy
}
