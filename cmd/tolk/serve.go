package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"go.etcd.io/bbolt"
	"google.golang.org/grpc"

	"github.com/tolkdev/tolk/client"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/server"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// serve runs the server until ctx is done, then stops gracefully.
func serve(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("tolk serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "tolk.db", "bbolt database file (created if missing)")
	addr := fs.String("addr", client.DefaultAddr, "address to listen on, HOST:PORT")
	noSeed := fs.Bool("no-seed", false, "do not load the seed article and glossary into an empty database")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &client.UsageError{Msg: err.Error()}
	}
	if fs.NArg() > 0 {
		return &client.UsageError{Msg: fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	}
	var handler slog.Handler
	switch *logFormat {
	case "text":
		handler = slog.NewTextHandler(stderr, nil)
	case "json":
		handler = slog.NewJSONHandler(stderr, nil)
	default:
		return &client.UsageError{Msg: "--log-format must be text or json"}
	}
	log := slog.New(handler)

	app, err := open(ctx, *dbPath, !*noSeed, log)
	if err != nil {
		return err
	}
	defer app.close()

	lis, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", *addr, err)
	}
	srv := server.New(server.Config{DB: app.db, Memory: app.mem, Glossary: app.gl, Logger: log, Version: version})
	g := grpc.NewServer(srv.ServerOptions()...)
	srv.Register(g)

	errc := make(chan error, 1)
	go func() { errc <- g.Serve(lis) }()
	log.Info("tolk listening", "addr", lis.Addr().String(), "db", *dbPath, "version", version)

	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	srv.Shutdown()
	stopped := make(chan struct{})
	go func() { g.GracefulStop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		log.Warn("graceful stop timed out; closing open streams")
		g.Stop()
	}
	return nil
}

// app is the opened database with its stores.
type app struct {
	db  *bbolt.DB
	mem *memory.Store
	gl  *glossary.Store
}

// open opens the database file, the stores on it, and seeds an empty
// database when seed is set. A file locked by another server fails within
// a second instead of hanging.
func open(ctx context.Context, path string, seed bool, log *slog.Logger) (*app, error) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if errors.Is(err, bbolt.ErrTimeout) {
		return nil, fmt.Errorf("opening %s: the file is locked, probably by another tolk server; stop it or use another --db", path)
	}
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	a := &app{db: db}
	if a.mem, err = memory.Open(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening the translation memory in %s: %w", path, err)
	}
	if a.gl, err = glossary.Open(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening the glossary in %s: %w", path, err)
	}
	if seed {
		loaded, err := seeds.LoadIfEmpty(ctx, a.mem, a.gl)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("seeding %s: %w", path, err)
		}
		if loaded.Units > 0 || loaded.Concepts > 0 {
			log.Info("seeded an empty database", "units", loaded.Units, "concepts", loaded.Concepts, "memory", seeds.MemoryName)
		}
	}
	return a, nil
}

func (a *app) close() error { return a.db.Close() }
