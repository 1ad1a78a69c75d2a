package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/tolkdev/tolk/access"
	"github.com/tolkdev/tolk/client"
	"github.com/tolkdev/tolk/cluster"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/internal/cli"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/segment"
	"github.com/tolkdev/tolk/server"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// serveFlags are the settings of tolk serve.
type serveFlags struct {
	db, addr, metricsAddr, logFormat string
	httpAddr                         string
	tlsCert, tlsKey, clientCA        string
	noSeed, insecure                 bool
	drain                            time.Duration
	metricsInsecure, pprof           bool
	cluster                          clusterFlags // cluster.go; none given: a single node
}

func parseServeFlags(args []string, stderr io.Writer) (serveFlags, error) {
	var f serveFlags
	fs := flag.NewFlagSet("tolk serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.db, "db", "tolk.db", "bbolt database file (created if missing)")
	fs.StringVar(&f.addr, "addr", client.DefaultAddr, "address to listen on, HOST:PORT")
	fs.BoolVar(&f.noSeed, "no-seed", false, "do not load the seed article and glossary into an empty database")
	fs.StringVar(&f.httpAddr, "http-addr", "127.0.0.1:8080", "serve the workbench and the services as Connect/gRPC-Web/JSON over HTTP on this HOST:PORT (off when empty); TLS as --tls-cert")
	fs.StringVar(&f.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&f.metricsAddr, "metrics-addr", "", "serve Prometheus metrics at /metrics on this HOST:PORT (off when empty); off loopback it needs TLS (--tls-cert, used for metrics too) or --metrics-insecure")
	fs.BoolVar(&f.metricsInsecure, "metrics-insecure", false, "allow plaintext metrics on a non-loopback --metrics-addr")
	fs.BoolVar(&f.pprof, "pprof", false, "also serve Go profiles at /debug/pprof/ on --metrics-addr")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "PEM certificate for TLS")
	fs.StringVar(&f.tlsKey, "tls-key", "", "PEM private key for TLS")
	fs.StringVar(&f.clientCA, "client-ca", "", "PEM CA bundle: require client certificates signed by it (mTLS)")
	fs.BoolVar(&f.insecure, "insecure", false, "allow plaintext on a non-loopback address")
	fs.DurationVar(&f.drain, "drain", 5*time.Second, "on SIGTERM, report NOT_SERVING and keep serving this long before stopping")
	addClusterFlags(fs, &f.cluster)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return f, err
		}
		return f, &cli.UsageError{Msg: err.Error()}
	}
	switch {
	case fs.NArg() > 0:
		return f, &cli.UsageError{Msg: fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	case f.logFormat != "text" && f.logFormat != "json":
		return f, &cli.UsageError{Msg: "--log-format must be text or json"}
	case (f.tlsCert == "") != (f.tlsKey == ""):
		return f, &cli.UsageError{Msg: "--tls-cert and --tls-key go together"}
	case f.clientCA != "" && f.tlsCert == "":
		return f, &cli.UsageError{Msg: "--client-ca needs --tls-cert and --tls-key"}
	case f.pprof && f.metricsAddr == "":
		return f, &cli.UsageError{Msg: "--pprof needs --metrics-addr"}
	case f.drain < 0:
		return f, &cli.UsageError{Msg: "--drain must not be negative"}
	}
	return f, f.cluster.check(f.db)
}

// serve runs the server until ctx is done, then stops gracefully.
func serve(ctx context.Context, args []string, stderr io.Writer) error {
	f, err := parseServeFlags(args, stderr)
	if err != nil {
		return err
	}
	var handler slog.Handler = slog.NewTextHandler(stderr, nil)
	if f.logFormat == "json" {
		handler = slog.NewJSONHandler(stderr, nil)
	}
	log := slog.New(handler)
	// The boundary models are embedded; a broken build stops here, naming
	// the file and the command that rebuilds it.
	if _, err := segment.DutchPunkt(); err != nil {
		return err
	}
	if _, err := segment.EnglishPunkt(); err != nil {
		return err
	}

	if f.tlsCert == "" && !f.insecure && !isLoopback(f.addr) {
		return fmt.Errorf("refusing to listen on %s without TLS: give --tls-cert and --tls-key, or --insecure if the network is trusted", f.addr)
	}
	if f.httpAddr != "" && f.tlsCert == "" && !f.insecure && !isLoopback(f.httpAddr) {
		return fmt.Errorf("refusing to serve HTTP on %s without TLS: give --tls-cert and --tls-key, or --insecure if the network is trusted", f.httpAddr)
	}
	if f.metricsAddr != "" && !isLoopback(f.metricsAddr) && f.tlsCert == "" && !f.metricsInsecure {
		return fmt.Errorf("refusing to serve metrics on %s without TLS: give --tls-cert and --tls-key (metrics use them too), or --metrics-insecure if the network is trusted", f.metricsAddr)
	}
	tlsCfg, err := tlsConfig(f)
	if err != nil {
		return err
	}
	var opts []grpc.ServerOption
	if tlsCfg != nil {
		opts = append(opts, grpc.Creds(credentials.NewTLS(tlsCfg)))
	}

	a, err := open(ctx, f.db, !f.noSeed && !f.cluster.on(), log) // a cluster seeds through its log
	if err != nil {
		return err
	}
	defer a.close()
	if !a.tokens.Enabled() && !isLoopback(f.addr) {
		log.Warn("no API tokens exist: the server is open to anyone who reaches it; create one with tolk token create")
	}

	lis, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", f.addr, err)
	}
	var node *cluster.Node
	if f.cluster.on() {
		if node, err = startNode(ctx, f, a, lis.Addr().String(), log, stderr); err != nil {
			lis.Close()
			return err
		}
		defer stopNode(node, log)
	}
	cfg := server.Config{DB: a.db, Memory: a.mem, Glossary: a.gl, Access: a.tokens, Logger: log, Version: version}
	nodeOpts, registerNode := clusterServer(node, &cfg)
	srv := server.New(cfg)
	g := grpc.NewServer(append(append(srv.ServerOptions(), opts...), nodeOpts...)...)
	registerNode(g)
	srv.Register(g)
	if node != nil {
		if err := srv.RegisterMetrics(node.Collector()); err != nil {
			return err
		}
	}
	healthEvery := 10 * time.Second
	if node != nil {
		healthEvery = time.Second // health follows the node's catching up
	}
	go srv.WatchHealth(ctx, healthEvery)

	errc := make(chan error, 3)
	var httpSrv *http.Server
	if f.httpAddr != "" {
		if httpSrv, err = startHTTP(f.httpAddr, srv, g, tlsCfg, log, errc); err != nil {
			lis.Close()
			return err
		}
	}
	go func() { errc <- g.Serve(lis) }()
	var metricsSrv *http.Server
	if f.metricsAddr != "" {
		metricsSrv = startMetrics(f, srv.MetricsHandler(), errc)
	}
	log.Info("tolk listening", "addr", lis.Addr().String(), "http", httpAddrOf(httpSrv), "db", f.db, "tls", f.tlsCert != "", "tokens", a.tokens.Enabled(), "metrics", f.metricsAddr, "version", version)

	select {
	case err := <-errc:
		if httpSrv != nil {
			httpSrv.Close()
		}
		g.Stop()
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	shutdown(log, srv, g, httpSrv, f.drain)
	if metricsSrv != nil {
		metricsSrv.Close()
	}
	return nil
}

// shutdown stops the server in order: health reports NOT_SERVING while it
// keeps serving for drain, so that load balancers and clients move away;
// then running imports are ended (answering with what they committed),
// and the calls left get up to 10 s to finish before they are cut.
func shutdown(log *slog.Logger, srv *server.Server, g *grpc.Server, httpSrv *http.Server, drain time.Duration) {
	log.Info("shutting down: reporting NOT_SERVING", "drain", drain)
	srv.Shutdown()
	time.Sleep(drain)
	log.Info("drained; stopping")
	srv.Stop()
	stopped := make(chan struct{})
	go func() {
		if httpSrv != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			httpSrv.Shutdown(ctx)
			cancel()
		}
		g.GracefulStop()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		log.Warn("graceful stop timed out; closing open streams")
		if httpSrv != nil {
			httpSrv.Close()
		}
		g.Stop()
	}
}

// isLoopback reports whether addr's host is a loopback address or
// "localhost". An empty host (all interfaces) is not loopback.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// tlsConfig returns the TLS configuration of the gRPC and HTTP listeners,
// or nil without --tls-cert.
func tlsConfig(f serveFlags) (*tls.Config, error) {
	if f.tlsCert == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
	if err != nil {
		return nil, fmt.Errorf("loading the TLS key pair: %w", err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if f.clientCA != "" {
		pem, err := os.ReadFile(f.clientCA)
		if err != nil {
			return nil, fmt.Errorf("reading the client CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s holds no PEM certificate", f.clientCA)
		}
		cfg.ClientCAs, cfg.ClientAuth = pool, tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

// app is the opened database with its stores.
type app struct {
	db     *bbolt.DB
	mem    *memory.Store
	gl     *glossary.Store
	tokens *access.Store
}

// open opens the database file, the stores on it, and seeds an empty
// database when seed is set. A file locked by another server fails within
// a second instead of hanging.
func open(ctx context.Context, path string, seed bool, log *slog.Logger) (*app, error) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("opening %s: the file is locked, probably by another tolk server; stop it or use another --db", path)
	}
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	a := &app{db: db}
	fail := func(what string, err error) (*app, error) {
		db.Close()
		return nil, fmt.Errorf("%s in %s: %w", what, path, err)
	}
	if a.mem, err = memory.Open(ctx, db); err != nil {
		return fail("opening the translation memory", err)
	}
	if a.gl, err = glossary.Open(ctx, db); err != nil {
		return fail("opening the glossary", err)
	}
	if a.tokens, err = access.Open(ctx, db); err != nil {
		return fail("opening the token store", err)
	}
	if seed {
		loaded, err := seeds.LoadIfEmpty(ctx, a.mem, a.gl)
		if err != nil {
			return fail("seeding", err)
		}
		if loaded.Units > 0 || loaded.Concepts > 0 {
			log.Info("seeded an empty database", "units", loaded.Units, "concepts", loaded.Concepts, "memory", seeds.MemoryName)
		}
	}
	return a, nil
}

func (a *app) close() error { return a.db.Close() }
