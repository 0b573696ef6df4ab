package faxtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/faxreport/faxreport"
	"github.com/faxreport/faxreport/internal/validate"
)

// The reports resource as a whole, per data center, with the vendor's semantics: a listing of
// the oldest completed reports (at most faxreport.ListLimit, oldest first); bulk GET and DELETE
// of at most ListLimit job IDs, `action` in any case; DELETE of the oldest reports.

// maxBulkBody bounds the body of a bulk request the fake reads.
const maxBulkBody = 1 << 20

// orderEntry records when a job was stored, for oldest-first listings: it is current while the
// data center still holds that very job.
type orderEntry struct {
	id  string
	job *job
}

// bufferBody reads a request's body (at most maxBulkBody) into memory, where the handler reads
// it again. The server notices a client hanging up only once the body is read, so a fake that
// waits (latency) before reading would wait the full time for a client long gone.
func bufferBody(r *http.Request) {
	if r.Body == nil || r.Body == http.NoBody {
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBulkBody))
	r.Body = io.NopCloser(bytes.NewReader(body))
}

// splitReportsPath returns the custNr of an escaped path basePath/{custNr}/fax/reports.
func splitReportsPath(escaped string) (custNr string, ok bool) {
	rest, found := strings.CutPrefix(escaped, basePath+"/")
	if !found {
		return "", false
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || parts[1] != "fax" || parts[2] != "reports" || parts[0] == "" {
		return "", false
	}
	custNr, err := unescape(parts[0])
	return custNr, err == nil
}

// serveReports answers the operations on the reports resource as a whole.
func (dc *DataCenter) serveReports(w http.ResponseWriter, r *http.Request, custNr string, entry *logEntry) {
	body, _ := io.ReadAll(r.Body) // buffered by bufferBody
	r.Body = io.NopCloser(bytes.NewReader(body))
	if !dc.admit(w, r, entry, validate.ReportsPath, map[string]string{"custNr": custNr}, http.StatusBadRequest) {
		return
	}
	switch r.Method {
	case http.MethodGet:
		_, bodies := dc.oldest(faxreport.ListLimit, false)
		writeJSON(w, http.StatusOK, reportList(bodies))
	case http.MethodDelete:
		ids, _ := dc.oldest(faxreport.ListLimit, true)
		results := make([]faxreport.DeleteResult, len(ids))
		for i, id := range ids {
			results[i] = faxreport.DeleteResult{JobID: id, Deleted: boolPtr(true)}
		}
		writeJSON(w, http.StatusOK, deletionList(results))
	case http.MethodPost:
		var req struct {
			Action string   `json:"action"`
			JobIDs []string `json:"jobIds"`
		}
		if err := json.Unmarshal(body, &req); err != nil || len(req.JobIDs) > faxreport.ListLimit {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("at most %d job IDs per request", faxreport.ListLimit))
			return
		}
		entry.req.JobIDs = req.JobIDs
		if strings.EqualFold(req.Action, "DELETE") {
			results := dc.removeEach(req.JobIDs)
			if !dc.refuseUnknownDelete(w, results) {
				writeJSON(w, http.StatusOK, deletionList(results))
			}
			return
		}
		found, unknown := dc.readEach(req.JobIDs)
		if status := dc.unknownInBulkGet.Load(); status != 0 && len(unknown) > 0 {
			writeError(w, int(status), fmt.Sprintf("unknown job IDs: %d", len(unknown)))
			return
		}
		writeJSON(w, http.StatusOK, reportList(found))
	}
}

// reportList is {"reports": [...]} of report bodies served byte for byte.
func reportList(bodies [][]byte) []byte {
	var b bytes.Buffer
	b.WriteString(`{"reports":[`)
	for i, body := range bodies {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(body)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

func deletionList(results []faxreport.DeleteResult) []byte {
	if results == nil {
		results = []faxreport.DeleteResult{}
	}
	body, _ := json.Marshal(map[string]any{"reports": results})
	return body
}

// completed reports whether a job is final: listed, and deleted by delete-oldest.
func (j *job) completed() bool {
	p := j.pending
	return !j.stillPending && j.reads >= p.NotFoundReads+p.Reads && time.Since(j.stored) >= p.For
}

// oldest returns the IDs and bodies of the oldest completed reports, at most limit; with
// remove, it deletes them too.
func (dc *DataCenter) oldest(limit int, remove bool) (ids []string, bodies [][]byte) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	for dc.orderHead < len(dc.order) && dc.jobs[dc.order[dc.orderHead].id] != dc.order[dc.orderHead].job {
		dc.order[dc.orderHead] = orderEntry{}
		dc.orderHead++
	}
	for _, e := range dc.order[dc.orderHead:] {
		if len(ids) == limit {
			break
		}
		if dc.jobs[e.id] != e.job || !e.job.completed() {
			continue
		}
		ids, bodies = append(ids, e.id), append(bodies, e.job.body)
		if remove {
			delete(dc.jobs, e.id)
		}
	}
	return ids, bodies
}

// readEach answers a bulk GET: the bodies of the jobs held, in the order asked, and the IDs
// of the others.
func (dc *DataCenter) readEach(ids []string) (found [][]byte, unknown []string) {
	for _, id := range ids {
		if body, ok := dc.read(id); ok {
			found = append(found, body)
		} else {
			unknown = append(unknown, id)
		}
	}
	return found, unknown
}

// removeEach answers a bulk DELETE: one item per ID asked.
func (dc *DataCenter) removeEach(ids []string) []faxreport.DeleteResult {
	results := make([]faxreport.DeleteResult, len(ids))
	for i, id := range ids {
		results[i] = faxreport.DeleteResult{JobID: id, Deleted: boolPtr(false)}
		reason := faxreport.DeleteReasonNotFound
		switch {
		case dc.internalError(id):
			reason = faxreport.DeleteReasonInternalError
		case dc.remove(id):
			results[i].Deleted = boolPtr(true)
			continue
		}
		results[i].Reason = &reason
	}
	return results
}

// refuseUnknownDelete answers a deletion, single or bulk, whose every job was not found (so
// nothing was deleted) with 400 or 404 when the server's UnknownDelete says so, and reports
// whether it did.
func (dc *DataCenter) refuseUnknownDelete(w http.ResponseWriter, results []faxreport.DeleteResult) bool {
	if len(results) == 0 {
		return false
	}
	for _, r := range results {
		if r.Reason == nil || *r.Reason != faxreport.DeleteReasonNotFound {
			return false
		}
	}
	switch dc.region.unknownDelete {
	case UnknownDelete400:
		writeError(w, http.StatusBadRequest, "Status report not available")
	case UnknownDelete404:
		writeError(w, http.StatusNotFound, "no status report for the given job IDs")
	default:
		return false
	}
	return true
}

// internalError takes one of the INTERNAL_ERROR answers queued for id by FailDeletions.
func (dc *DataCenter) internalError(id string) bool {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	if dc.failDeletions[id] == 0 {
		return false
	}
	dc.failDeletions[id]--
	return true
}

// FailDeletions makes the next times deletions of jobID in this data center, bulk or single,
// answer deleted=false with reason INTERNAL_ERROR and leave the report in place.
func (dc *DataCenter) FailDeletions(jobID string, times int) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	if dc.failDeletions == nil {
		dc.failDeletions = map[string]int{}
	}
	dc.failDeletions[jobID] = times
}

// RefuseUnknownInBulkGet makes a bulk GET that names a job this data center does not hold answer
// status (400 or 404, say) with an error body instead of leaving the job out: the other reading
// of the vendor's warning. 0 restores the default, leaving unknown jobs out.
func (dc *DataCenter) RefuseUnknownInBulkGet(status int) { dc.unknownInBulkGet.Store(int64(status)) }

// Listed returns the job IDs a listing of this data center shows now, oldest first, without
// logging a request.
func (dc *DataCenter) Listed() []string {
	ids, _ := dc.oldest(faxreport.ListLimit, false)
	return ids
}

// Count returns how many reports the data center holds, completed or not.
func (dc *DataCenter) Count() int {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	return len(dc.jobs)
}

// seeded numbers the reports of SeedReports across servers, so that IDs never collide.
var seeded atomic.Int64

// SeedReports stores n completed reports of one recipient with new job IDs, spread evenly over
// the data centers (round robin, not by Home), and returns their IDs in the order stored:
// oldest first.
func (s *Server) SeedReports(n int) []string { return s.SeedReportsOf(n, 1) }

// SeedReportsOf is SeedReports with the given number of recipients in each report, every field
// of each one set (about 190 bytes a recipient), for listings of realistic size: 1000 reports
// of 100 recipients make a listing of about 19 MB. The reports differ only in their job IDs, so
// only the first is checked against openapi.yaml, which keeps seeding fast.
func (s *Server) SeedReportsOf(n, recipients int) []string {
	var b bytes.Buffer
	b.WriteString(`","recipientStatus":[`)
	for i := range max(recipients, 1) {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"number":"+49 89 %07d","properties":null,"status":"OK","reason":"OK","sentTs":"2026-11-27T10:00:00Z","durationInSecs":12,"sentToNumber":"004989%07d","remoteCsid":"+49 89 %07d"}`, 1234567+i, 1234567+i, 1234567+i)
	}
	b.WriteString(`],"pages":1,"reference":{"customerDefinedId":"seed"}}`)
	rest := b.Bytes()
	ids := make([]string, n)
	for i := range ids {
		id := fmt.Sprintf("FJSEED%010d", seeded.Add(1))
		ids[i] = id
		body := append([]byte(`{"jobId":"`+id), rest...)
		if i == 0 {
			checkedJobID(body)
		}
		s.dataCenters[i%len(s.dataCenters)].storeJob(id, body, Pending{}, false) // every recipient OK
	}
	return ids
}

// Count returns how many reports the region holds.
func (s *Server) Count() int {
	n := 0
	for _, dc := range s.dataCenters {
		n += dc.Count()
	}
	return n
}

func boolPtr(b bool) *bool { return &b }
