package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"

	"github.com/faxreport/faxreport"
)

// Exit codes of a drain stopped by a signal: 128 plus the signal's number, the shells'
// convention.
const (
	exitInterrupted = 128 + int(syscall.SIGINT)  // 130
	exitTerminated  = 128 + int(syscall.SIGTERM) // 143
)

// stopRequest is the page handler's refusal of a page after a signal asked the drain to stop:
// nothing of that page is written or deleted.
type stopRequest struct {
	sig    os.Signal
	atOnce bool // a second signal came: what was in flight was abandoned
}

func (e *stopRequest) Error() string {
	if e.atOnce {
		return fmt.Sprintf("drain stopped at once by a second %s: what was in flight was abandoned, and nothing whose line is not synced was deleted; the next run lists again what is left", signalName(e.sig))
	}
	return fmt.Sprintf("drain stopped by %s: the pages begun were finished (written, synced and their deletions answered); the rest is left for the next run", signalName(e.sig))
}

// failedBesidesTheStop returns the error of a drain stopped by a signal without the data
// centers' parts that the stop ended (a refused page, a deletion abandoned on the second
// signal): nil when nothing else failed.
func failedBesidesTheStop(err error) error {
	dcs, ok := errors.AsType[*faxreport.DataCentersError](err)
	if !ok {
		return err
	}
	var rest []*faxreport.EndpointError
	for _, failed := range dcs.Failed {
		_, stopped := errors.AsType[*stopRequest](failed)
		if !stopped && !errors.Is(failed, context.Canceled) {
			rest = append(rest, failed)
		}
	}
	if len(rest) == 0 {
		return nil
	}
	return &faxreport.DataCentersError{Op: dcs.Op, Failed: rest, Asked: dcs.Asked}
}

// signalWatch turns the signals a drain receives into its stop: the first asks it to stop
// after the pages in progress (stopRequested refuses the next page), the second cancels the
// drain's context, which stops it at once (deletions in flight are abandoned; their lines are
// synced already, as no page is deleted before).
type signalWatch struct {
	stopping chan struct{} // closed on the first signal
	done     chan struct{} // closed by end
	ended    chan struct{} // closed when the watch's goroutine has returned
	first    os.Signal     // set before stopping is closed
	again    bool          // a second signal came; set before ended is closed
}

// watchSignals watches signals (nil: none come) until end, calling stopping after the first
// has taken effect and cancel on the second.
func watchSignals(signals <-chan os.Signal, stopping func(os.Signal), cancel context.CancelFunc) *signalWatch {
	w := &signalWatch{stopping: make(chan struct{}), done: make(chan struct{}), ended: make(chan struct{})}
	go func() {
		defer close(w.ended)
		select {
		case w.first = <-signals:
			close(w.stopping)
			stopping(w.first)
		case <-w.done:
			return
		}
		select {
		case <-signals:
			w.again = true
			cancel()
		case <-w.done:
		}
	}()
	return w
}

// stopRequested returns a *stopRequest once a signal has asked the drain to stop, else nil.
func (w *signalWatch) stopRequested() error {
	select {
	case <-w.stopping:
		return &stopRequest{sig: w.first}
	default:
		return nil
	}
}

// end stops the watch and returns the stop the signals asked for, or nil when none came.
func (w *signalWatch) end() *stopRequest {
	close(w.done)
	<-w.ended
	if w.first == nil {
		return nil
	}
	return &stopRequest{sig: w.first, atOnce: w.again}
}

// signalExitCode is the exit code of a run stopped by sig: 128 plus its number.
func signalExitCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return exitFailure
}

// signalName is the name a signal is known by, such as SIGINT.
func signalName(sig os.Signal) string {
	switch sig {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return sig.String()
}
