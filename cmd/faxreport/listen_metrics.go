package main

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/faxreport/faxreport"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// listenMetrics are the Prometheus metrics of a listen run, in a registry of its own, served on
// --metrics-addr.
type listenMetrics struct {
	registry      *prometheus.Registry
	pushes        *prometheus.CounterVec // by the answer's status code
	pushDuration  prometheus.Histogram
	pushesRunning prometheus.Gauge
	fetched       prometheus.Counter     // jobs whose report was fetched, final, and handed over to be written
	fetchFailures *prometheus.CounterVec // by kind
	written       prometheus.Counter
}

func newListenMetrics() *listenMetrics {
	m := &listenMetrics{
		registry: prometheus.NewRegistry(),
		pushes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "faxreport_pushes_total",
			Help: "Pushes received on --path, by the status code they were answered.",
		}, []string{"code"}),
		pushDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "faxreport_push_duration_seconds",
			Help:    "Time from a push's arrival to its answer: its reports' fetches and writes.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 10), // 10ms to about 38s
		}),
		pushesRunning: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "faxreport_pushes_in_flight",
			Help: "Pushes being answered: their reports being fetched or written.",
		}),
		fetched: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "faxreport_jobs_fetched_total",
			Help: "Jobs whose report was fetched from the API, validated and final.",
		}),
		fetchFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "faxreport_fetch_failures_total",
			Help: "Jobs of a push whose report could not be fetched, by kind: not_found, not_final, unauthorized, invalid_response, unavailable, failure.",
		}, []string{"kind"}),
		written: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "faxreport_reports_written_total",
			Help: "Reports written to the output (for --out, synced to disk).",
		}),
	}
	for _, kind := range fetchFailureKinds {
		m.fetchFailures.WithLabelValues(kind) // present from the start, at 0
	}
	m.registry.MustRegister(m.pushes, m.pushDuration, m.pushesRunning, m.fetched, m.fetchFailures, m.written,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// fetchFailureKinds are the values of faxreport_fetch_failures_total's kind label.
var fetchFailureKinds = []string{"not_found", "not_final", "unauthorized", "invalid_response", "unavailable", "failure"}

// countInFlight keeps faxreport_pushes_in_flight while push answers, and reads
// faxreport_fetches_in_flight from it; maxFetches is push's limit (--max-fetches), for the help.
func (m *listenMetrics) countInFlight(push *faxreport.PushHandler, maxFetches int) http.Handler {
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "faxreport_fetches_in_flight",
		Help: fmt.Sprintf("Jobs whose report is being fetched and written, across pushes (at most %d, --max-fetches, beyond which a push is answered 503).", maxFetches),
	}, func() float64 { return float64(push.FetchesInFlight()) }))
	return promhttp.InstrumentHandlerInFlight(m.pushesRunning, push)
}

// observe counts a push once its answer is decided (faxreport.PushConfig.OnPush): its status,
// its duration and, for a push whose delivery failed, each job whose report could not be
// fetched, by kind (a report fetched but not written is no fetch failure).
func (m *listenMetrics) observe(o faxreport.PushOutcome) {
	m.pushes.WithLabelValues(strconv.Itoa(o.Status)).Inc()
	m.pushDuration.Observe(o.Duration.Seconds())
	if o.Status < http.StatusInternalServerError || o.Err == nil {
		return // answered 2xx, or refused before any fetch
	}
	failures := []error{o.Err}
	if joined, ok := o.Err.(interface{ Unwrap() []error }); ok { // one error per job
		failures = joined.Unwrap()
	}
	for _, err := range failures {
		switch {
		case errors.Is(err, faxreport.ErrHandleFailed):
		case errors.Is(err, faxreport.ErrReportNotFinal):
			m.fetchFailures.WithLabelValues("not_final").Inc()
		default:
			m.fetchFailures.WithLabelValues(errorKinds[exitCode(err)]).Inc()
		}
	}
}

// routes serves the metrics on /metrics and the probes on their paths; any other path is
// answered 404.
func (m *listenMetrics) routes(p probes) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET "+healthPath, p.health)
	mux.HandleFunc("GET "+readyPath, p.ready)
	return mux
}
