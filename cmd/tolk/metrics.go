package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/pprof"
	"time"
)

// startMetrics serves the metrics handler at /metrics on --metrics-addr,
// and Go profiles at /debug/pprof/ only with --pprof. Off loopback it uses
// the server's TLS certificate unless --metrics-insecure is given (serve
// refuses plaintext there otherwise). A failure to serve goes to errc.
func startMetrics(f serveFlags, metrics http.Handler, errc chan<- error) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("/metrics", metrics)
	if f.pprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	}
	hs := &http.Server{Addr: f.metricsAddr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	useTLS := f.tlsCert != "" && !isLoopback(f.metricsAddr) && !f.metricsInsecure
	go func() {
		var err error
		if useTLS {
			err = hs.ListenAndServeTLS(f.tlsCert, f.tlsKey)
		} else {
			err = hs.ListenAndServe()
		}
		if !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("metrics server: %w", err)
		}
	}()
	return hs
}
