package faxreport_test

import (
	"runtime/metrics"
	"time"
)

// heapObjects returns the bytes of live and not yet swept heap objects.
func heapObjects() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

// sampleHeapPeak samples heapObjects every millisecond until the returned function is called,
// which returns the highest sample.
func sampleHeapPeak() func() uint64 {
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		peak := heapObjects()
		for {
			select {
			case <-tick.C:
				peak = max(peak, heapObjects())
			case <-done:
				result <- max(peak, heapObjects())
				return
			}
		}
	}()
	return func() uint64 { close(done); return <-result }
}
