package main

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// listenMetrics are the Prometheus metrics of a listen run, in a registry of its own, served on
// --metrics-addr.
type listenMetrics struct {
	registry      *prometheus.Registry
	pushes        *prometheus.CounterVec   // by the answer's status code
	pushDuration  *prometheus.HistogramVec // without labels
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
		pushDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "faxreport_push_duration_seconds",
			Help:    "Time from a push's arrival to its answer: its reports' fetches and writes.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 10), // 10ms to about 38s
		}, nil),
		pushesRunning: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "faxreport_pushes_in_flight",
			Help: "Pushes being answered: their reports being fetched or written (one job at a time per push).",
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
	m.registry.MustRegister(m.pushes, m.pushDuration, m.pushesRunning, m.fetched, m.fetchFailures, m.written,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// instrumentPushes counts and times the pushes push answers.
func (m *listenMetrics) instrumentPushes(push http.Handler) http.Handler {
	return promhttp.InstrumentHandlerInFlight(m.pushesRunning,
		promhttp.InstrumentHandlerCounter(m.pushes,
			promhttp.InstrumentHandlerDuration(m.pushDuration, push)))
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
