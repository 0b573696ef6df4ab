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
