package server_test

import (
	"testing"

	"go.etcd.io/bbolt"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/tolkdev/tolk/memory"
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
	db, mem, gl := openStores(t, true)
	srv := server.New(server.Config{DB: db, Memory: mem, Glossary: gl, Limits: limits})
	g := grpc.NewServer(append(srv.ServerOptions(), opts...)...)
	srv.Register(g)
	return &localServer{srv: srv, g: g, addr: serveTCP(t, g), db: db, mem: mem}
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
