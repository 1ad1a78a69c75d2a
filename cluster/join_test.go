package cluster_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/seeds"
)

// TestJoinRefused checks the joins a cluster refuses, each with a clear
// error and the cluster unchanged: a node whose file holds another
// cluster's data, one whose file holds data written outside a cluster, a
// node id already in use; and that the last voter cannot be removed.
func TestJoinRefused(t *testing.T) {
	a := newTestNode(t, "a1")
	if err := a.start(t, true, ""); err != nil {
		t.Fatal(err)
	}
	b := newTestNode(t, "b1")
	if err := b.start(t, true, ""); err != nil {
		t.Fatal(err)
	}
	b.stop()
	ctx := context.Background()

	// b1's file, with its Raft state gone, asks to join a's cluster.
	if err := os.RemoveAll(filepath.Join(b.dir, "raft")); err != nil {
		t.Fatal(err)
	}
	foreign := &testNode{id: "x1", dir: b.dir, raftAddr: "127.0.0.1:0", grpcAddr: "127.0.0.1:0"}
	t.Cleanup(foreign.stop)
	err := foreign.start(t, false, a.grpcAddr)
	if status.Code(errorsCause(err)) != codes.FailedPrecondition || !strings.Contains(err.Error(), "holds data of cluster") {
		t.Errorf("joining with another cluster's file: %v, want FailedPrecondition naming the cluster", err)
	}

	// A file seeded by a single node.
	single := newTestNode(t, "s1")
	st, err := single.openStores(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seeds.Load(ctx, st.Memory, st.Glossary); err != nil {
		t.Fatal(err)
	}
	st.DB.Close()
	err = single.start(t, false, a.grpcAddr)
	if err == nil || !strings.Contains(err.Error(), "outside a cluster") {
		t.Errorf("joining with a single node's file: %v, want a refusal", err)
	}

	// A fresh node whose id is the leader's.
	dup := newTestNode(t, "a1")
	err = dup.start(t, false, a.grpcAddr)
	if status.Code(errorsCause(err)) != codes.AlreadyExists || !strings.Contains(err.Error(), "in use") {
		t.Errorf("joining with a node id in use: %v, want AlreadyExists", err)
	}

	cl := tolkv1.NewClusterServiceClient(a.conn)
	st2, err := cl.Status(ctx, &tolkv1.StatusRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(st2.GetMembers()) != 1 || st2.GetMembers()[0].GetNodeId() != "a1" || !st2.GetMembers()[0].GetLeader() {
		t.Errorf("after the refused joins the cluster has members %v, want a1 alone, leading", st2.GetMembers())
	}
	_, err = cl.Remove(ctx, &tolkv1.RemoveRequest{NodeId: "a1"})
	if status.Code(err) != codes.FailedPrecondition || !strings.Contains(err.Error(), "last voter") {
		t.Errorf("removing the last voter: %v, want FailedPrecondition", err)
	}
	_, err = cl.Remove(ctx, &tolkv1.RemoveRequest{NodeId: "nobody"})
	if status.Code(err) != codes.NotFound {
		t.Errorf("removing an unknown member: %v, want NotFound", err)
	}
}

// errorsCause returns the gRPC status error wrapped in err (Open wraps
// the member's answer), or err.
func errorsCause(err error) error {
	for e := err; e != nil; {
		if _, ok := status.FromError(e); ok {
			return e
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			break
		}
		e = u.Unwrap()
	}
	return err
}

// TestBootstrapFromSingleNode turns a single node's file into a cluster:
// the data it held before is in no log entry, so the node that joins
// gets it from a snapshot.
func TestBootstrapFromSingleNode(t *testing.T) {
	ctx := context.Background()
	a := newTestNode(t, "a1")
	st, err := a.openStores(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seeds.Load(ctx, st.Memory, st.Glossary); err != nil {
		t.Fatal(err)
	}
	st.DB.Close()
	if err := a.start(t, true, ""); err != nil {
		t.Fatal(err)
	}
	b := newTestNode(t, "b1")
	if err := b.start(t, false, a.grpcAddr); err != nil {
		t.Fatal(err)
	}
	nodes := []*testNode{a, b}
	converge(t, nodes)
	want := a.unitCount(t, seeds.MemoryName)
	if got := b.unitCount(t, seeds.MemoryName); got != want || want == 0 {
		t.Errorf("the joined node holds %d seed units, the first node %d", got, want)
	}
	if b.node.Stats().Restores != 1 {
		t.Errorf("the joined node restored %d snapshots, want 1", b.node.Stats().Restores)
	}
}
