// The block method of the performance benchmarks (BENCHMARKS.md): a library call measured
// against its baseline in alternating blocks.
//
// Interleaving single calls does not separate the two sides' costs: whatever a call leaves
// running after it returns (connection bookkeeping, timers, goroutines that end late) lands in
// the other side's window. In blocks of many calls, each side pays for its own leftover work,
// as a user's process does. The figure is the median of the block ratios, with its p25–p75
// spread; the interleaved per-call ratio is measured in the same run as a second figure.
package faxreport_test

import (
	"runtime"
	"slices"
	"testing"
	"time"
)

// side is the measure of one block of calls.
type side struct {
	elapsed       time.Duration
	allocs, bytes uint64
}

// block runs call n times and measures it; the memory statistics stop the world twice per
// block, not per call.
func block(n int, call func()) side {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	for range n {
		call()
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	return side{elapsed, after.Mallocs - before.Mallocs, after.TotalAlloc - before.TotalAlloc}
}

// pairs runs one pair of blocks of n calls per b.Loop iteration, raw's and lib's, alternating
// which goes first, then n interleaved pairs of single calls (raw, lib). It reports:
//
//   - ratio-median, ratio-p25, ratio-p75: lib's time over raw's, per pair of blocks;
//   - interleaved-ratio: lib's time over raw's, summed over the interleaved calls (the second,
//     per-call figure);
//   - lib-ns/call, raw-ns/call: block medians;
//   - lib-allocs/call, lib-B/call, raw-allocs/call, raw-B/call and bytes-ratio, from the blocks
//     (whatever else the process allocates meanwhile, an in-process server included).
//
// Run it with -benchtime Nx for N pairs; ns/op and the usual allocs/op cover a whole pair. It
// returns lib's median time per call in each block, for figures of the caller's own.
func pairs(b *testing.B, n int, raw, lib func()) (libNsPerCall []float64) {
	raw() // connections, caches and pools warmed outside the measure
	lib()
	var ratios, rawNs, libNs []float64
	var rawAll, libAll side
	var interRaw, interLib time.Duration
	for i := 0; b.Loop(); i++ {
		var r, l side
		if i%2 == 0 {
			r, l = block(n, raw), block(n, lib)
		} else {
			l, r = block(n, lib), block(n, raw)
		}
		ratios = append(ratios, float64(l.elapsed)/float64(r.elapsed))
		rawNs = append(rawNs, float64(r.elapsed)/float64(n))
		libNs = append(libNs, float64(l.elapsed)/float64(n))
		rawAll.allocs, rawAll.bytes = rawAll.allocs+r.allocs, rawAll.bytes+r.bytes
		libAll.allocs, libAll.bytes = libAll.allocs+l.allocs, libAll.bytes+l.bytes
		for range n {
			start := time.Now()
			raw()
			mid := time.Now()
			lib()
			interRaw, interLib = interRaw+mid.Sub(start), interLib+time.Since(mid)
		}
	}
	calls := float64(len(ratios) * n)
	b.ReportMetric(quantile(ratios, 0.5), "ratio-median")
	b.ReportMetric(quantile(ratios, 0.25), "ratio-p25")
	b.ReportMetric(quantile(ratios, 0.75), "ratio-p75")
	b.ReportMetric(float64(interLib)/float64(interRaw), "interleaved-ratio")
	b.ReportMetric(quantile(libNs, 0.5), "lib-ns/call")
	b.ReportMetric(quantile(rawNs, 0.5), "raw-ns/call")
	b.ReportMetric(float64(libAll.allocs)/calls, "lib-allocs/call")
	b.ReportMetric(float64(libAll.bytes)/calls, "lib-B/call")
	b.ReportMetric(float64(rawAll.allocs)/calls, "raw-allocs/call")
	b.ReportMetric(float64(rawAll.bytes)/calls, "raw-B/call")
	b.ReportMetric(float64(libAll.bytes)/float64(rawAll.bytes), "bytes-ratio")
	return libNs
}

// quantile returns the q-quantile of xs (linear interpolation between closest ranks), 0 for
// none. It sorts a copy.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
}
