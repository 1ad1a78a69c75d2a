package cluster_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/tolkdev/tolk/access"
	"github.com/tolkdev/tolk/cluster"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/internal/race"
	"github.com/tolkdev/tolk/memory"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/server"
)

// testNode is one member of an in-process cluster: its own bbolt file,
// Raft directory, Raft transport and gRPC server on loopback, as
// `tolk serve --node-id ... --raft-addr ... --raft-dir ...` runs them.
type testNode struct {
	id, dir            string
	raftAddr, grpcAddr string // fixed after the first start, so a restart keeps them
	defaultTiming      bool   // hashicorp/raft's timeouts instead of fastTiming (benchmarks)
	tls                *cluster.RaftTLS

	db   *bbolt.DB
	node *cluster.Node
	g    *grpc.Server
	conn *grpc.ClientConn
}

// fastTiming makes elections take about a second; twice that under the
// race detector, whose slowdown would otherwise cost leaders their lease.
func fastTiming(c *cluster.Config) {
	unit := 500 * time.Millisecond
	if race.Enabled {
		unit *= 2
	}
	c.HeartbeatTimeout, c.ElectionTimeout, c.LeaderLeaseTimeout = unit, unit, unit/2
	c.TrailingLogs, c.SnapshotThreshold, c.SnapshotInterval = 4, 1<<20, time.Hour
}

func newTestNode(t testing.TB, id string) *testNode {
	tn := &testNode{id: id, dir: t.TempDir(), raftAddr: "127.0.0.1:0", grpcAddr: "127.0.0.1:0"}
	t.Cleanup(tn.stop)
	return tn
}

// openStores opens the stores of the node's file.
func (tn *testNode) openStores(ctx context.Context) (cluster.Stores, error) {
	db, err := bbolt.Open(filepath.Join(tn.dir, "tolk.db"), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		return cluster.Stores{}, err
	}
	st := cluster.Stores{DB: db}
	if st.Memory, err = memory.Open(ctx, db); err == nil {
		if st.Glossary, err = glossary.Open(ctx, db); err == nil {
			st.Access, err = access.Open(ctx, db)
		}
	}
	if err != nil {
		db.Close()
		return cluster.Stores{}, err
	}
	return st, nil
}

// start opens the node's file, starts its Raft (bootstrapping or joining
// on its first start) and serves its gRPC. It returns Open's error.
func (tn *testNode) start(t testing.TB, bootstrap bool, join string) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st, err := tn.openStores(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", tn.grpcAddr)
	if err != nil {
		st.DB.Close()
		t.Fatal(err)
	}
	tn.grpcAddr = lis.Addr().String()
	cfg := cluster.Config{NodeID: tn.id, RaftAddr: tn.raftAddr, GRPCAddr: tn.grpcAddr, Dir: filepath.Join(tn.dir, "raft"),
		Bootstrap: bootstrap, Join: join, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), RaftLog: raftLog(t)}
	if bootstrap {
		cfg.Seed = func(ctx context.Context, n *cluster.Node) error { _, err := seeds.LoadWith(ctx, n); return err }
	}
	cfg.TLS = tn.tls
	if !tn.defaultTiming {
		fastTiming(&cfg)
	}
	node, err := cluster.Open(ctx, cfg, st)
	if err != nil {
		lis.Close()
		st.DB.Close()
		return err
	}
	tn.raftAddr = node.RaftAddr()
	srv := server.New(server.Config{DB: st.DB, Memory: st.Memory, Glossary: st.Glossary, Access: st.Access,
		Writer: node, Ready: node.Ready, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	g := grpc.NewServer(append(srv.ServerOptions(), grpc.ChainUnaryInterceptor(node.UnaryInterceptor), grpc.ChainStreamInterceptor(node.StreamInterceptor))...)
	tolkv1.RegisterClusterServiceServer(g, node.Service())
	srv.Register(g)
	go g.Serve(lis)
	conn, err := grpc.NewClient(tn.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	tn.db, tn.node, tn.g, tn.conn = st.DB, node, g, conn
	return nil
}

// stop kills the node: its gRPC server, its Raft and its file (as a
// crash would, but in process). Stopping twice is a no-op.
func (tn *testNode) stop() {
	if tn.node == nil {
		return
	}
	tn.conn.Close()
	tn.g.Stop()
	tn.node.Close()
	tn.db.Close()
	tn.node = nil
}

func (tn *testNode) mem() tolkv1.MemoryServiceClient { return tolkv1.NewMemoryServiceClient(tn.conn) }

// unitCount returns the units of memory name on the node, read locally.
func (tn *testNode) unitCount(t testing.TB, name string) int64 {
	t.Helper()
	resp, err := tn.mem().GetMemory(context.Background(), &tolkv1.GetMemoryRequest{Name: name})
	if err != nil {
		t.Fatalf("node %s: GetMemory(%s): %v", tn.id, name, err)
	}
	return resp.GetMemory().GetUnitCount()
}

// leader returns the live node that leads, waiting up to 10 s.
func leader(t testing.TB, nodes []*testNode) *testNode {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, n := range nodes {
			if n.node != nil && n.node.IsLeader() {
				return n
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no leader within 10 s")
	return nil
}

// follower returns a live node that does not lead.
func follower(t testing.TB, nodes []*testNode) *testNode {
	t.Helper()
	for _, n := range nodes {
		if n.node != nil && !n.node.IsLeader() {
			return n
		}
	}
	t.Fatal("no live follower")
	return nil
}

// converge waits until every live node has applied as far as the leader.
func converge(t testing.TB, nodes []*testNode) {
	t.Helper()
	l := leader(t, nodes)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		want, done := l.node.Applied(), true
		for _, n := range nodes {
			if n.node != nil && n.node.Applied() < want {
				done = false
			}
		}
		if done {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, n := range nodes {
		if n.node != nil {
			t.Logf("node %s applied %d", n.id, n.node.Applied())
		}
	}
	t.Fatal("nodes did not converge within 10 s")
}

// batch returns n units with sources unique to tag.
func batch(tag string, n int) []*tolkv1.Unit {
	us := make([]*tolkv1.Unit, n)
	for i := range us {
		us[i] = &tolkv1.Unit{Source: fmt.Sprintf("De minister van %s sprak over punt %d van de agenda.", tag, i), Target: fmt.Sprintf("The minister of %s spoke about item %d of the agenda.", tag, i)}
	}
	return us
}

// raftLog is where Raft's own log goes: the test log with -v.
func raftLog(t testing.TB) io.Writer {
	if testing.Verbose() {
		return tWriter{t}
	}
	return io.Discard
}

type tWriter struct{ t testing.TB }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
