package server_test

import (
	"context"
	"net"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/server"
)

// localServer is a real server over a seeded bbolt file in t.TempDir(),
// listening on 127.0.0.1.
type localServer struct {
	srv  *server.Server
	g    *grpc.Server
	addr string
	db   *bbolt.DB
	mem  *memory.Store
}

// startLocal starts a localServer with the given limits; it stops with
// the test.
func startLocal(t *testing.T, limits server.Limits, opts ...grpc.ServerOption) *localServer {
	t.Helper()
	ctx := context.Background()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "tolk.db"), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	mem, err := memory.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	gl, err := glossary.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seeds.Load(ctx, mem, gl); err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{DB: db, Memory: mem, Glossary: gl, Limits: limits})
	g := grpc.NewServer(append(srv.ServerOptions(), opts...)...)
	srv.Register(g)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go g.Serve(lis)
	t.Cleanup(g.Stop)
	return &localServer{srv: srv, g: g, addr: lis.Addr().String(), db: db, mem: mem}
}

// dial returns a new connection to the server, closed with the test.
func (l *localServer) dial(t *testing.T, opts ...grpc.DialOption) *grpc.ClientConn {
	t.Helper()
	opts = append([]grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallSendMsgSize(256 << 20))}, opts...)
	conn, err := grpc.NewClient(l.addr, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
