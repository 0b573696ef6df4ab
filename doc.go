// Package faxreport is a client for the status reports of the Retarus Fax REST API (v1).
//
// A report lives only in the data center that processed its job, so a Client asks every data
// center of its region at once and takes the first valid answer. Every response is validated
// against the API's OpenAPI contract (openapi.yaml) before it is returned, what is safe to retry
// is retried with jittered backoff, and every failure is a typed error: match it with errors.Is
// against ErrNotFound, ErrUnauthorized, ErrUnavailable, ErrInvalidArgument and
// ErrInvalidResponse, or with errors.As against *APIError and *RegionError.
//
// Package faxtest provides a fake of the service for tests.
package faxreport
