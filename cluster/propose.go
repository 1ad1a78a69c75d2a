package cluster

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/raft"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/tolkdev/tolk"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// applyTimeout bounds a write whose context has no deadline.
const applyTimeout = 30 * time.Second

// noLeaderWait is how long a write waits for a leader to be known (an
// election takes a few heartbeat timeouts) before it fails Unavailable.
const noLeaderWait = 5 * time.Second

// propose commits c through the leader and returns its result: on the
// leader it is applied here, on a follower it is forwarded to the leader.
// A domain error of the result (the store refused the write, on every
// node alike) is returned as the error.
func (n *Node) propose(ctx context.Context, c *Command) (*Result, error) {
	if n.raft.State() == raft.Leader {
		r, err := n.applyLocal(ctx, c)
		if !errors.Is(err, raft.ErrNotLeader) {
			return r, err
		}
	}
	return n.forward(ctx, c)
}

// applyLocal fixes c's time (and entropy for a token) as the leader,
// appends it to the log and waits until it is committed and applied here.
// The context's deadline bounds the wait; a write cut by it, or by a lost
// leadership, may still be committed (the error says so).
func (n *Node) applyLocal(ctx context.Context, c *Command) (*Result, error) {
	c.Time = time.Now().UTC()
	if c.Op == OpCreateToken {
		c.Random = make([]byte, 32)
		if _, err := rand.Read(c.Random); err != nil {
			return nil, err
		}
	}
	b, err := c.encode()
	if err != nil {
		return nil, err
	}
	timeout := applyTimeout
	if d, ok := ctx.Deadline(); ok {
		timeout = time.Until(d)
	}
	f := n.raft.Apply(b, timeout)
	done := make(chan error, 1)
	go func() { done <- f.Error() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		return nil, tolk.Errorf(tolk.ECANCELED, "the %s write was sent to the cluster's log but its commit was not confirmed before the call ended: it may or may not be applied", c.Op)
	}
	switch {
	case errors.Is(err, raft.ErrNotLeader):
		return nil, err
	case errors.Is(err, raft.ErrLeadershipLost):
		return nil, tolk.Errorf(tolk.EUNAVAILABLE, "the leader lost its leadership while committing the %s write: it may or may not be applied; send it again once a new leader is elected (tolk cluster status)", c.Op)
	case errors.Is(err, raft.ErrEnqueueTimeout):
		return nil, tolk.Errorf(tolk.EUNAVAILABLE, "the leader could not take the %s write in time: it was not applied; try again", c.Op)
	case err != nil:
		return nil, tolk.Errorf(tolk.EUNAVAILABLE, "committing the %s write: %v", c.Op, err)
	}
	r, _ := f.Response().(*Result)
	if r == nil {
		return nil, tolk.Errorf(tolk.EINTERNAL, "the %s write gave no result", c.Op)
	}
	r.Index = f.Index()
	return r, r.err()
}

// giveUp returns when a call looking for a leader stops: after
// noLeaderWait, and early enough before ctx's deadline (a quarter of the
// time left, at most a second) that the caller hears why.
func giveUp(ctx context.Context) time.Time {
	end := time.Now().Add(noLeaderWait)
	if d, ok := ctx.Deadline(); ok {
		margin := min(time.Until(d)/4, time.Second)
		if cut := d.Add(-margin); cut.Before(end) {
			end = cut
		}
	}
	return end
}

// leaderAddr returns the gRPC address of the leader, waiting up to
// noLeaderWait (or ctx's end) for one to be known.
func (n *Node) leaderAddr(ctx context.Context) (string, error) {
	deadline := giveUp(ctx)
	for {
		_, id := n.raft.LeaderWithID()
		if id != "" {
			if id == raft.ServerID(n.cfg.NodeID) {
				return "", raft.ErrNotLeader // we lead after all: the caller applies locally
			}
			if addr, ok := n.fsm.NodeAddr(string(id)); ok {
				return addr, nil
			}
		}
		if time.Now().After(deadline) {
			if id != "" {
				return "", tolk.Errorf(tolk.EUNAVAILABLE, "the cluster's leader %s has not published its gRPC address to node %s yet; try again", id, n.cfg.NodeID)
			}
			return "", tolk.Errorf(tolk.EUNAVAILABLE, "no leader: node %s cannot reach a majority of the cluster's members, so no write can be committed; check tolk cluster status on each node", n.cfg.NodeID)
		}
		select {
		case <-ctx.Done():
			return "", tolk.Errorf(tolk.EUNAVAILABLE, "no leader known to node %s before the call ended: the cluster cannot commit writes now", n.cfg.NodeID)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// forward sends c to the leader (ClusterService.Apply, or ApplyAdmin for
// token writes) with the caller's credentials and returns its result.
func (n *Node) forward(ctx context.Context, c *Command) (*Result, error) {
	deadline := giveUp(ctx)
	for {
		r, err := n.forwardOnce(ctx, c)
		retry := err == nil && r.NotLeader || unsent(err)
		if !retry {
			return r, forwardError(err, c.Op)
		}
		if time.Now().After(deadline) {
			return nil, tolk.Errorf(tolk.EUNAVAILABLE, "no leader took the %s write: node %s cannot reach one (%v); the cluster may have lost its majority: check tolk cluster status on each node", c.Op, n.cfg.NodeID, err)
		}
		select { // the leader changed under the write: find the new one
		case <-ctx.Done():
			return nil, tolk.Errorf(tolk.EUNAVAILABLE, "no leader took the %s write before the call ended: node %s cannot reach one (%v)", c.Op, n.cfg.NodeID, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// unsent reports whether err says that a forwarded call could not reach
// the leader at all (its connection could not be made), so that sending
// it again cannot apply it twice.
func unsent(err error) bool {
	st, ok := status.FromError(err)
	return ok && err != nil && st.Code() == codes.Unavailable && strings.HasPrefix(st.Message(), "connection error")
}

// leaderClient is a ClusterService client of the node this one believes
// leads. It returns raft.ErrNotLeader when this node leads after all (the
// caller answers locally) and EUNAVAILABLE when no leader is known.
func (n *Node) leaderClient(ctx context.Context) (tolkv1.ClusterServiceClient, error) {
	addr, err := n.leaderAddr(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := n.conn(addr)
	if err != nil {
		return nil, err
	}
	return tolkv1.NewClusterServiceClient(conn), nil
}

// forwardOnce sends c to the node it believes leads.
func (n *Node) forwardOnce(ctx context.Context, c *Command) (*Result, error) {
	cl, err := n.leaderClient(ctx)
	if errors.Is(err, raft.ErrNotLeader) {
		return n.applyLocal(ctx, c)
	}
	if err != nil {
		return nil, err
	}
	b, err := c.encode()
	if err != nil {
		return nil, err
	}
	ctx = outgoingAuth(ctx)
	var raw []byte
	if c.Op.admin() {
		resp, ferr := cl.ApplyAdmin(ctx, &tolkv1.ApplyAdminRequest{Command: b})
		raw, err = resp.GetResult(), ferr
	} else {
		resp, ferr := cl.Apply(ctx, &tolkv1.ApplyRequest{Command: b})
		raw, err = resp.GetResult(), ferr
	}
	if err != nil {
		return nil, err // forward decides: send again, or forwardError
	}
	var r Result
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("decoding the leader's result: %w", err)
	}
	if r.NotLeader {
		return &r, nil
	}
	n.awaitApplied(ctx, r.Index)
	return &r, r.err()
}

// ownWriteWait bounds how long a follower waits to apply a write it
// forwarded before it answers.
const ownWriteWait = 2 * time.Second

// awaitApplied waits, at most ownWriteWait or until ctx ends, until this
// node has applied the entry at index, so that a client that wrote through
// a follower reads its write there at consistency local too. Past the
// bound it answers anyway: the write is committed.
func (n *Node) awaitApplied(ctx context.Context, index uint64) {
	deadline := time.Now().Add(ownWriteWait)
	for !n.appliedUpTo(index) && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
}

// forwardError returns the error of a forwarded write: the leader's own
// answer (a status with Tolk's ErrorInfo) as it is, for the server to pass
// its code on; a failed connection as Unavailable saying that the write
// may or may not have been applied.
func forwardError(err error, op Op) error {
	if err == nil {
		return nil
	}
	st, _ := status.FromError(err)
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok && info.GetDomain() == tolk.ErrorDomain {
			return err
		}
	}
	if st.Code() == codes.Unavailable {
		return tolk.Errorf(tolk.EUNAVAILABLE, "the leader was lost while taking the %s write (%s): it may or may not be applied; send it again once a new leader is elected (tolk cluster status)", op, st.Message())
	}
	return err
}

// outgoingAuth returns ctx with the incoming call's authorization, so that
// the leader checks the caller's token, not the node's.
func outgoingAuth(ctx context.Context) context.Context {
	md, _ := metadata.FromIncomingContext(ctx)
	if v := md.Get("authorization"); len(v) > 0 {
		return metadata.AppendToOutgoingContext(ctx, "authorization", v[0])
	}
	return ctx
}
