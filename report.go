package faxreport

import "github.com/faxreport/faxreport/gen"

// Report is the status report of a fax job, as generated from openapi.yaml.
type Report = gen.StatusReport

// RecipientStatus is the status of one recipient of a fax job.
type RecipientStatus = gen.RecipientStatus

// Property is a key and value of personalized cover-page data.
type Property = gen.Property

// Reference holds the customer's own identifiers of a fax job.
type Reference = gen.Reference

// Status values seen in reports. The API documents the status as open-ended, so a report may
// carry others; these are the ones the vendor's documentation and SDKs show.
const (
	StatusOK        = "OK"        // delivered
	StatusPending   = "PENDING"   // still being processed: not final
	StatusBusy      = "BUSY"      // the line was busy
	StatusNoFax     = "NOFAX"     // no fax machine answered
	StatusNoFaxDis  = "NOFAX_DIS" // no fax machine: disconnected
	StatusNoFaxTO   = "NOFAX_TO"  // no fax machine: timed out
	StatusRingTO    = "RING_TO"   // no answer: ringing timed out
	StatusRemoteDis = "REM_DIS"   // the remote side disconnected
)

// IsFinalStatus reports whether a recipient's status will not change any more: anything but
// PENDING (and the empty string).
func IsFinalStatus(status string) bool { return status != StatusPending && status != "" }

// IsSuccessStatus reports whether a recipient's status says the fax was delivered (OK).
func IsSuccessStatus(status string) bool { return status == StatusOK }

// IsReportFinal reports whether r has recipients and none of them is still pending. A report
// without recipients is not final: the job's recipients are not known yet.
func IsReportFinal(r *Report) bool {
	if len(r.RecipientStatus) == 0 {
		return false
	}
	for _, rs := range r.RecipientStatus {
		if !IsFinalStatus(rs.Status) {
			return false
		}
	}
	return true
}
