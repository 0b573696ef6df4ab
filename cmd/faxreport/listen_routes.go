package main

import (
	"net/http"
	"sync/atomic"
)

// Paths of the probes, served without credentials on --addr and on --metrics-addr.
const (
	healthPath = "/healthz"
	readyPath  = "/readyz"
)

// probes answers the health and readiness checks of a listen run.
type probes struct {
	sink     *reportSink
	stopping *atomic.Bool // set when shutdown begins
}

// health answers 200 while the server runs.
func (p probes) health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// ready answers 200 when a report could be written now, and 503 with the reason otherwise:
// while shutting down, after the output has failed, or while a write to it is blocked.
func (p probes) ready(w http.ResponseWriter, _ *http.Request) {
	err := p.sink.ready()
	if p.stopping.Load() {
		err = errSinkClosed
	}
	if err != nil {
		http.Error(w, "not ready: "+message(err), http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ready\n"))
}

// pushRoutes serves push on exactly pushPath and the probes on their paths; any other path is
// answered 404, without a look at the credentials.
func pushRoutes(pushPath string, push http.Handler, p probes) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case pushPath:
			push.ServeHTTP(w, r)
		case healthPath:
			p.health(w, r)
		case readyPath:
			p.ready(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}
