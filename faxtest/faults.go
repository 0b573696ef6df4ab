package faxtest

import (
	"math/rand/v2"
	"time"
)

// Fault is a misbehaviour injected into a data center's answers. Set one kind per Fault:
// Status, Drop, DropAnswer, Malformed or Oversize; Latency may go with any of them or stand alone.
type Fault struct {
	Status     int           // answer with this HTTP status and the JSON error body
	RetryAfter string        // the Retry-After header sent with Status
	EmptyBody  bool          // send Status with an empty body, as the vendor documents "No Content"
	Drop       bool          // close the connection without answering
	DropAnswer bool          // carry the request out (a deletion too), then close without answering
	Malformed  []byte        // answer 200 with this body as application/json
	Oversize   int64         // answer 200 with a JSON body of this many bytes
	Latency    time.Duration // wait this long before answering (cut short if the client hangs up)
	Times      int           // apply to the next Times requests; 0: to every request until ClearFaults
}

// Inject queues a fault. Each request takes the first queued fault that has uses left.
func (dc *DataCenter) Inject(f Fault) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	dc.faults = append(dc.faults, &f)
}

// InjectRandom makes each request that finds no queued fault take, with probability rate, one
// of faults chosen at random (their Times is ignored). A rate of 0 stops it.
func (dc *DataCenter) InjectRandom(rate float64, faults ...Fault) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	dc.randomRate, dc.randomFaults = rate, faults
}

// ClearFaults removes every queued and random fault and the latency.
func (dc *DataCenter) ClearFaults() {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	dc.faults, dc.randomRate, dc.randomFaults = nil, 0, nil
	dc.latency = 0
}

// nextFault takes one use of the first queued fault, or returns nil.
func (dc *DataCenter) nextFault() (f *Fault, latency time.Duration) {
	dc.mu.Lock()
	defer dc.mu.Unlock()
	if len(dc.faults) == 0 {
		if len(dc.randomFaults) > 0 && rand.Float64() < dc.randomRate {
			copied := dc.randomFaults[rand.IntN(len(dc.randomFaults))]
			return &copied, dc.latency
		}
		return nil, dc.latency
	}
	f = dc.faults[0]
	if f.Times == 0 {
		return f, dc.latency
	}
	f.Times--
	if f.Times == 0 {
		dc.faults = dc.faults[1:]
	}
	copied := *f
	return &copied, dc.latency
}
