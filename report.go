package faxreport

import "github.com/faxreport/faxreport/gen"

// Report is the status report of a fax job, the model generated from openapi.yaml
// (gen.StatusReport). Its fields, with their JSON names:
//
//	JobID           string             jobId            the job ID, such as "FJJ66GHGX105ZZBIELVCN1"
//	Pages           int                pages            pages in the fax
//	RecipientStatus []RecipientStatus  recipientStatus  one per recipient, never nil in a valid report
//	Reference       *Reference         reference        the customer's own IDs, nil when absent
//
// Each RecipientStatus has:
//
//	Number              string       number              the recipient's primary number, international format
//	Status              string       status              see below
//	Reason              string       reason              the status in words
//	SentTS              *time.Time   sentTs              when the fax was sent; nil until it was
//	DurationInSecs      int          durationInSecs      transmission time
//	SentToNumber        *string      sentToNumber        the number actually dialled
//	RemoteCsid          *string      remoteCsid          the fax ID of the receiving machine
//	Properties          *[]Property  properties          personalized cover-page data (key, value)
//	AlternativeNumbers  *[]string    alternativeNumbers  other numbers tried; not in the API document
//
// Status is a string, not an enum: the API documents it as open-ended. The known values are
// StatusOK (delivered), StatusPending ("PENDING", still being processed: the only value that
// is not final), StatusBusy, StatusNoFax, StatusNoFaxDis, StatusNoFaxTO, StatusRingTO and
// StatusRemoteDis; IsFinalStatus, IsSuccessStatus and IsReportFinal read them.
//
// A Report returned by the client has been validated against openapi.yaml: the required
// fields (jobId, recipientStatus, pages; and per recipient number, status, reason,
// durationInSecs) were present, never filled in with zero values.
type Report = gen.StatusReport

// RecipientStatus is the status of one recipient of a fax job; see Report for its fields and
// the known status values.
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
