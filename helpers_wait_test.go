package faxreport_test

import (
	"time"

	"github.com/faxreport/faxreport"
)

// loadedWait is a MaxWait in which a job pending for one poll turns final, and a job pending
// for good is polled at least twice, even on a loaded machine under -race, where a bulk poll can
// take 70 ms (100 ms was too short: a job's second poll came too late).
const loadedWait = time.Second

// fastPolls polls every few milliseconds.
var fastPolls = fastPolling(faxreport.WaitOptions{})

// fastPolling is opts with polls every few milliseconds.
func fastPolling(opts faxreport.WaitOptions) faxreport.WaitOptions {
	opts.MinPollInterval, opts.MaxPollInterval = time.Millisecond, 5*time.Millisecond
	return opts
}
