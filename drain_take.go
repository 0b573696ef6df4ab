package faxreport

import (
	"bytes"
	"encoding/json"

	"github.com/go-json-experiment/json/jsontext"
)

// handover is what a drain hands over of one listing, and deletes once it is accepted.
type handover struct {
	reports []*Report       // the valid reports, for Handle
	raw     []RawReport     // the same, as sent, for HandleJSON
	invalid []InvalidReport // the reports that break the contract, for HandleInvalid
	ids     []string        // the jobs of all of them, each once
}

// leftOut is what a drain leaves in place of one listing, to name it.
type leftOut struct {
	invalid  []InvalidReport // reports that break the contract, not handed over
	doubtful []string        // jobs listed not final, or twice with different reports
}

// take splits a listing of dc into what can be handed over, each job once, and what stays in
// place. A job is doubtful, and stays unread, when a copy of it is not final (a valid report
// with a PENDING recipient, or an invalid one that shows one), or when it is listed twice with
// different bytes (a valid and an invalid copy always differ). A report that breaks the
// contract is handed over only with quarantine, and only with a job ID to delete it by.
func take(dc *dataCenter, listed page, quarantine bool) (h handover, out leftOut) {
	first := map[string][]byte{} // job ID -> its first copy
	doubtful := map[string]bool{}
	see := func(id string, raw []byte, final bool) {
		if seen, ok := first[id]; ok {
			doubtful[id] = doubtful[id] || !bytes.Equal(seen, raw)
		} else {
			first[id] = raw
		}
		doubtful[id] = doubtful[id] || !final
	}
	for i, r := range listed.reports {
		see(r.JobID, listed.raw[i], IsReportFinal(r))
	}
	for _, item := range listed.invalid {
		if item.JobID != "" {
			see(item.JobID, item.JSON, !showsPending(item.JSON))
		}
	}
	taken, named := map[string]bool{}, map[string]bool{}
	nameDoubtful := func(id string) {
		if !named[id] {
			named[id] = true
			out.doubtful = append(out.doubtful, id)
		}
	}
	for i, r := range listed.reports {
		switch {
		case doubtful[r.JobID]:
			nameDoubtful(r.JobID)
		case !taken[r.JobID]:
			taken[r.JobID] = true
			h.reports = append(h.reports, r)
			h.raw = append(h.raw, RawReport{JobID: r.JobID, DataCenter: dc.url, JSON: listed.raw[i]})
			h.ids = append(h.ids, r.JobID)
		}
	}
	for _, item := range listed.invalid {
		switch {
		case doubtful[item.JobID]:
			nameDoubtful(item.JobID)
			out.invalid = append(out.invalid, item)
		case !quarantine || item.JobID == "":
			out.invalid = append(out.invalid, item)
		case !taken[item.JobID]:
			taken[item.JobID] = true
			h.invalid = append(h.invalid, item)
			h.ids = append(h.ids, item.JobID)
		}
	}
	return h, out
}

// showsPending reports whether an invalid report has a recipient whose status is PENDING, as
// far as its JSON can be read: such a job may not be complete, and deleting it would lose its
// outcome. It is read tolerantly and in full: every copy of a duplicate name counts (which copy
// a reader takes differs between parsers), and invalid UTF-8 elsewhere does not hide one.
func showsPending(raw json.RawMessage) bool {
	dec := jsontext.NewDecoder(bytes.NewReader(raw), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	for {
		tok, err := dec.ReadToken()
		if err != nil {
			return false // the end of the report, or JSON too broken to name a recipient
		}
		if tok.Kind() != '"' || tok.String() != StatusPending {
			continue
		}
		if at := dec.StackPointer(); at.LastToken() == "status" && at.Parent().Parent() == "/recipientStatus" {
			return true
		}
	}
}
