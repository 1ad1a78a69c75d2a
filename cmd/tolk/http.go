package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"google.golang.org/grpc"

	"github.com/tolkdev/tolk/httpface"
	"github.com/tolkdev/tolk/server"
	"github.com/tolkdev/tolk/web"
)

// startHTTP listens on addr and serves there, in the background, the
// workbench and the HTTP face of g (whose services must be registered),
// with tlsCfg when it is not nil, logging connection errors to log. A
// serving error after the start goes to errc.
func startHTTP(addr string, srv *server.Server, g *grpc.Server, tlsCfg *tls.Config, log *slog.Logger, errc chan<- error) (*http.Server, error) {
	h, err := httpface.New(g, httpface.Options{Static: web.Handler(), MaxBodyBytes: srv.MaxRequestBytes()})
	if err != nil {
		return nil, err
	}
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening for HTTP on %s: %w (choose another address with --http-addr, or switch HTTP off with --http-addr '')", addr, err)
	}
	hs := &http.Server{Addr: lis.Addr().String(), Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 5 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	// HTTP/1.1 for browsers and curl; HTTP/2, with TLS or without (h2c), for
	// gRPC and streaming Connect clients.
	hs.Protocols = new(http.Protocols)
	hs.Protocols.SetHTTP1(true)
	hs.Protocols.SetHTTP2(true)
	hs.Protocols.SetUnencryptedHTTP2(tlsCfg == nil)
	hs.TLSConfig = tlsCfg
	go func() {
		serve := func() error { return hs.Serve(lis) }
		if tlsCfg != nil {
			serve = func() error { return hs.ServeTLS(lis, "", "") }
		}
		if err := serve(); !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("HTTP server: %w", err)
		}
	}()
	return hs, nil
}

// httpAddrOf returns the address hs listens on, or "" when it is nil (HTTP
// is off).
func httpAddrOf(hs *http.Server) string {
	if hs == nil {
		return ""
	}
	return hs.Addr
}
