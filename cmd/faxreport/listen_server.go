package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// listenServer is the HTTP side of a listen run: the push server on --addr and, with
// --metrics-addr, the metrics server, which stops last so that its probes say "not ready"
// while the pushes in progress finish.
type listenServer struct {
	opts     *listenOptions
	logs     serviceLog
	sink     *reportSink
	stopping atomic.Bool  // set when the servers begin to stop
	push     *http.Server // on --addr
	metrics  *http.Server // on --metrics-addr; nil without it
	served   chan error   // what each server's Serve returned
}

// start listens on --addr (and --metrics-addr), serves push (and metrics) and says where.
func (s *listenServer) start(push, metrics http.Handler, tlsConfig *tls.Config) error {
	ln, err := net.Listen("tcp", s.opts.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	var metricsLn net.Listener
	if s.opts.metricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", s.opts.metricsAddr); err != nil {
			_ = ln.Close()
			return fmt.Errorf("--metrics-addr: %w", err)
		}
	}
	scheme := "http"
	if tlsConfig != nil {
		ln, scheme = tls.NewListener(ln, tlsConfig), "https"
	}
	s.served = make(chan error, 2)
	s.push = s.newServer(push)
	go func() { s.served <- s.push.Serve(ln) }()
	url := fmt.Sprintf("%s://%s%s", scheme, ln.Addr(), s.opts.path)
	s.logs.info("listening on "+url, slog.String("url", url))
	if metricsLn != nil {
		s.metrics = s.newServer(metrics)
		go func() { s.served <- s.metrics.Serve(metricsLn) }()
		url := fmt.Sprintf("http://%s/metrics", metricsLn.Addr())
		s.logs.info("serving metrics on "+url, slog.String("url", url))
	}
	return nil
}

func (s *listenServer) newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          s.logs.errorLog(), // TLS handshake errors and the like
	}
}

// wait serves until ctx is cancelled (SIGINT, SIGTERM) or a server fails, then stops: it
// finishes the pushes in progress and closes the output, both within --shutdown-timeout. Its
// error says what could not be finished.
func (s *listenServer) wait(ctx context.Context) error {
	defer func() {
		if s.metrics != nil {
			_ = s.metrics.Close()
		}
	}()
	select {
	case err := <-s.served: // Serve fails only when its listener does
		s.stopping.Store(true)
		_ = s.push.Close() // the connections of pushes in progress; the error is the listener's
		now, cancel := context.WithCancel(context.Background())
		cancel()
		_ = s.sink.closeWithin(now) // at once, even when a write is blocked
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.stopping.Store(true)
	s.logs.info("shutting down: finishing the pushes in progress")
	timeout := time.Duration(s.opts.shutdownTimeout)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := s.push.Shutdown(ctx); err != nil {
		_ = s.push.Close() // cut the pushes still running: unanswered, they will be pushed again
		_ = s.sink.closeWithin(ctx)
		return fmt.Errorf("shutdown: pushes still in progress after --shutdown-timeout %v were abandoned, unanswered (their reports stay in the API): %w", timeout, err)
	}
	return s.sink.closeWithin(ctx)
}
