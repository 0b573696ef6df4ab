package faxreport

// SetFlightJoined makes every push call joined once it has joined the delivery of its job, until
// the returned restore is called. Not for concurrent use with other tests.
func SetFlightJoined(joined func(jobID string)) (restore func()) {
	old := flightJoined
	flightJoined = joined
	return func() { flightJoined = old }
}
