package cluster

import (
	"context"
	"time"

	"github.com/hashicorp/raft"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/tolkdev/tolk"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// ConsistencyHeader is tolk.ConsistencyHeader: the request metadata that
// chooses a read's consistency, local or leader.
const ConsistencyHeader = tolk.ConsistencyHeader

// UnaryInterceptor applies ConsistencyHeader to unary calls. Install it
// inside the server's own interceptors (after authentication).
func (n *Node) UnaryInterceptor(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if err := n.consistency(ctx); err != nil {
		return nil, err
	}
	return handler(ctx, req)
}

// StreamInterceptor applies ConsistencyHeader to streaming calls.
func (n *Node) StreamInterceptor(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if err := n.consistency(ss.Context()); err != nil {
		return err
	}
	return handler(srv, ss)
}

// consistency waits as the call's ConsistencyHeader asks.
func (n *Node) consistency(ctx context.Context) error {
	md, _ := metadata.FromIncomingContext(ctx)
	v := md.Get(ConsistencyHeader)
	if len(v) == 0 || v[0] == "local" || v[0] == "" {
		return nil
	}
	if v[0] != "leader" {
		return tolk.Invalidf(ConsistencyHeader, "consistency %q is not known: use local or leader", v[0])
	}
	return n.ReadBarrier(ctx)
}

// ReadBarrier returns once the leader has confirmed that it leads and this
// node has applied the leader's commit index at that moment.
func (n *Node) ReadBarrier(ctx context.Context) error {
	var commit uint64
	if n.raft.State() == raft.Leader {
		if err := n.raft.VerifyLeader().Error(); err != nil {
			return tolk.Errorf(tolk.EUNAVAILABLE, "node %s could not confirm that it leads: %v; read with consistency local, or try again", n.cfg.NodeID, err)
		}
		commit = n.raft.CommitIndex()
	} else {
		cl, err := n.leaderClient(ctx)
		if err != nil {
			return err
		}
		resp, err := cl.VerifyLeader(outgoingAuth(ctx), &tolkv1.VerifyLeaderRequest{})
		if err != nil {
			return err
		}
		commit = resp.GetCommitIndex()
	}
	for !n.appliedUpTo(commit) {
		select {
		case <-ctx.Done():
			return tolk.Errorf(tolk.EUNAVAILABLE, "node %s had applied %d of the leader's %d entries when the call ended", n.cfg.NodeID, n.fsm.Applied(), commit)
		case <-time.After(2 * time.Millisecond):
		}
	}
	return nil
}
