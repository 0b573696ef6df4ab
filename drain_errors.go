package faxreport

import (
	"errors"
	"fmt"
)

// ErrDrainStalled is matched by the error of a drain that stopped in a data center because it
// listed again a report whose deletion there was already done (confirmed, or NOT_FOUND): a data
// center that does not delete, or lists its reports in a cycle. Going on could hand the same
// pages over forever.
var ErrDrainStalled = errors.New("drain stalled: a data center listed again a report whose deletion was done")

// HandlerPanicError is the error of a drain whose handler panicked on a page of DataCenter: the
// panic is recovered in the drain, nothing of that page is deleted, and the drain stops.
type HandlerPanicError struct {
	DataCenter string // the base URL of the data center whose page the handler was given
	Value      any    // the value the handler panicked with
	Stack      []byte // the panicking goroutine's stack, as runtime/debug.Stack gives it
}

func (e *HandlerPanicError) Error() string {
	return fmt.Sprintf("%s: drain handler panicked: %v", e.DataCenter, e.Value)
}
