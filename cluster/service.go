package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/raft"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/tolkdev/tolk"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// Service returns the node's ClusterService, to register on its gRPC
// server.
func (n *Node) Service() tolkv1.ClusterServiceServer { return &service{n: n} }

type service struct {
	tolkv1.UnimplementedClusterServiceServer
	n *Node
}

func (s *service) Apply(ctx context.Context, req *tolkv1.ApplyRequest) (*tolkv1.ApplyResponse, error) {
	b, err := s.apply(ctx, req.GetCommand(), false)
	return &tolkv1.ApplyResponse{Result: b}, err
}

func (s *service) ApplyAdmin(ctx context.Context, req *tolkv1.ApplyAdminRequest) (*tolkv1.ApplyAdminResponse, error) {
	b, err := s.apply(ctx, req.GetCommand(), true)
	return &tolkv1.ApplyAdminResponse{Result: b}, err
}

// apply commits a forwarded command on the leader and encodes its result.
// The command's scope must match the method's (admin for token writes,
// which only ApplyAdmin takes), and the node must lead: else the result
// says NotLeader and the sender looks for the leader again.
func (s *service) apply(ctx context.Context, raw []byte, admin bool) ([]byte, error) {
	c, err := decodeCommand(raw)
	if err != nil {
		return nil, tolk.Invalidf("command", "%v", err)
	}
	switch {
	case c.Op.admin() && !admin:
		return nil, tolk.Reasonf(tolk.ReasonScopeMissing, "a %s write is sent with ClusterService/ApplyAdmin, which needs the admin scope", c.Op)
	case c.Op == OpInit || c.Op == OpSetNode || c.Op == OpRemoveNode:
		return nil, tolk.Invalidf("command", "%s is written by the cluster itself, not forwarded", c.Op)
	}
	var r *Result
	if s.n.raft.State() != raft.Leader {
		r = &Result{NotLeader: true}
	} else if r, err = s.n.applyLocal(ctx, &c); errors.Is(err, raft.ErrNotLeader) {
		r = &Result{NotLeader: true}
	} else if r == nil {
		return nil, err // not committed: an Unavailable or Canceled status
	}
	return json.Marshal(r)
}

func (s *service) Status(ctx context.Context, _ *tolkv1.StatusRequest) (*tolkv1.StatusResponse, error) {
	return s.n.Status()
}

// Status reports the node's view of the cluster.
func (n *Node) Status() (*tolkv1.StatusResponse, error) {
	f := n.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return nil, tolk.Errorf(tolk.EUNAVAILABLE, "reading the cluster's configuration: %v", err)
	}
	_, leader := n.raft.LeaderWithID()
	resp := &tolkv1.StatusResponse{
		ClusterId: n.fsm.ClusterID(), NodeId: n.cfg.NodeID, State: n.raft.State().String(),
		Term: n.raft.CurrentTerm(), CommitIndex: n.raft.CommitIndex(), AppliedIndex: n.fsm.Applied(),
		LastLogIndex: n.raft.LastIndex(), LeaderId: string(leader),
	}
	for _, sv := range f.Configuration().Servers {
		addr, _ := n.fsm.NodeAddr(string(sv.ID))
		resp.Members = append(resp.Members, &tolkv1.ClusterMember{NodeId: string(sv.ID), RaftAddr: string(sv.Address), GrpcAddr: addr, Leader: sv.ID == leader})
	}
	return resp, nil
}

func (s *service) Join(ctx context.Context, req *tolkv1.JoinRequest) (*tolkv1.JoinResponse, error) {
	if req.GetNodeId() == "" || req.GetRaftAddr() == "" || req.GetGrpcAddr() == "" {
		return nil, tolk.Invalidf("node_id", "a joining node names its id, Raft address and gRPC address")
	}
	if s.n.raft.State() != raft.Leader {
		cl, err := s.n.leaderClient(ctx)
		if err == nil {
			return cl.Join(outgoingAuth(ctx), req)
		}
		if !errors.Is(err, raft.ErrNotLeader) {
			return nil, err
		}
	}
	return s.n.addVoter(ctx, req)
}

// addVoter adds a node on the leader: a node with data of another cluster
// is refused, and so is an id in use with another address; the same id and
// address again is a no-op (a node retrying its join).
func (n *Node) addVoter(ctx context.Context, req *tolkv1.JoinRequest) (*tolkv1.JoinResponse, error) {
	id := n.fsm.ClusterID()
	if req.GetClusterId() != "" && req.GetClusterId() != id {
		return nil, tolk.Errorf(tolk.EFAILEDPRE, "node %s holds data of cluster %s, not of this cluster %s: start it with an empty --db and --raft-dir to join", req.GetNodeId(), req.GetClusterId(), id)
	}
	f := n.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return nil, tolk.Errorf(tolk.EUNAVAILABLE, "reading the cluster's configuration: %v", err)
	}
	for _, sv := range f.Configuration().Servers {
		switch {
		case sv.ID == raft.ServerID(req.GetNodeId()) && sv.Address == raft.ServerAddress(req.GetRaftAddr()):
			return &tolkv1.JoinResponse{ClusterId: id}, nil
		case sv.ID == raft.ServerID(req.GetNodeId()):
			return nil, tolk.Errorf(tolk.EEXISTS, "node id %s is in use by the member at %s: choose another --node-id, or remove that member first (tolk cluster remove %s)", sv.ID, sv.Address, sv.ID)
		case sv.Address == raft.ServerAddress(req.GetRaftAddr()):
			return nil, tolk.Errorf(tolk.EEXISTS, "Raft address %s is in use by member %s", sv.Address, sv.ID)
		}
	}
	if _, err := n.propose(ctx, &Command{Op: OpSetNode, NodeID: req.GetNodeId(), GRPCAddr: req.GetGrpcAddr()}); err != nil {
		return nil, err
	}
	if err := n.raft.AddVoter(raft.ServerID(req.GetNodeId()), raft.ServerAddress(req.GetRaftAddr()), 0, 10*time.Second).Error(); err != nil {
		return nil, tolk.Errorf(tolk.EUNAVAILABLE, "adding node %s at %s: %v", req.GetNodeId(), req.GetRaftAddr(), err)
	}
	n.log.Info("cluster member added", "node", req.GetNodeId(), "raft", req.GetRaftAddr(), "grpc", req.GetGrpcAddr())
	return &tolkv1.JoinResponse{ClusterId: id}, nil
}

func (s *service) Remove(ctx context.Context, req *tolkv1.RemoveRequest) (*tolkv1.RemoveResponse, error) {
	if req.GetNodeId() == "" {
		return nil, tolk.Invalidf("node_id", "required: the id of the member to remove (tolk cluster status lists them)")
	}
	if s.n.raft.State() != raft.Leader {
		cl, err := s.n.leaderClient(ctx)
		if err == nil {
			return cl.Remove(outgoingAuth(ctx), req)
		}
		if !errors.Is(err, raft.ErrNotLeader) {
			return nil, err
		}
	}
	return &tolkv1.RemoveResponse{}, s.n.removeVoter(ctx, req.GetNodeId())
}

// removeVoter removes a member on the leader; the last voter stays.
func (n *Node) removeVoter(ctx context.Context, id string) error {
	f := n.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return tolk.Errorf(tolk.EUNAVAILABLE, "reading the cluster's configuration: %v", err)
	}
	servers := f.Configuration().Servers
	if !slices.ContainsFunc(servers, func(sv raft.Server) bool { return sv.ID == raft.ServerID(id) }) {
		return tolk.Errorf(tolk.ENOTFOUND, "no member %s: tolk cluster status lists the members", id)
	}
	if len(servers) == 1 {
		return tolk.Errorf(tolk.EFAILEDPRE, "%s is the cluster's last voter: removing it would leave no cluster", id)
	}
	if err := n.raft.RemoveServer(raft.ServerID(id), 0, 10*time.Second).Error(); err != nil {
		return tolk.Errorf(tolk.EUNAVAILABLE, "removing member %s: %v", id, err)
	}
	if id == n.cfg.NodeID {
		return nil // the leader removed itself and steps down; the new leader keeps the address record
	}
	_, err := n.propose(ctx, &Command{Op: OpRemoveNode, NodeID: id})
	return err
}

func (s *service) VerifyLeader(ctx context.Context, _ *tolkv1.VerifyLeaderRequest) (*tolkv1.VerifyLeaderResponse, error) {
	if s.n.raft.State() != raft.Leader {
		return nil, tolk.Errorf(tolk.EUNAVAILABLE, "node %s does not lead", s.n.cfg.NodeID)
	}
	if err := s.n.raft.VerifyLeader().Error(); err != nil {
		return nil, tolk.Errorf(tolk.EUNAVAILABLE, "node %s could not confirm that it leads: %v", s.n.cfg.NodeID, err)
	}
	return &tolkv1.VerifyLeaderResponse{CommitIndex: s.n.raft.CommitIndex()}, nil
}

// join asks a member (cfg.Join) to add this node; it refuses first when
// the database holds data written outside a cluster.
func (n *Node) join(ctx context.Context) error {
	if n.fsm.ClusterID() == "" {
		if has, err := n.hasData(ctx); err != nil {
			return err
		} else if has {
			return tolk.Errorf(tolk.EFAILEDPRE, "the database holds data written outside a cluster: a joining node must start empty (the cluster's data comes from its log); start it with a new --db, or bootstrap a cluster from this one")
		}
	}
	conn, err := n.conn(n.cfg.Join)
	if err != nil {
		return err
	}
	if n.cfg.JoinToken != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+n.cfg.JoinToken)
	}
	req := &tolkv1.JoinRequest{NodeId: n.cfg.NodeID, RaftAddr: string(n.trans.LocalAddr()), GrpcAddr: n.cfg.GRPCAddr, ClusterId: n.fsm.ClusterID()}
	for tries := 1; ; tries++ {
		// A join that met an election is sent again: it is idempotent.
		_, err = tolkv1.NewClusterServiceClient(conn).Join(ctx, req)
		if status.Code(err) != codes.Unavailable || tries == 10 || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Duration(tries) * 200 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("joining the cluster through %s: %w", n.cfg.Join, err)
	}
	n.log.Info("joined the cluster", "node", n.cfg.NodeID, "through", n.cfg.Join)
	return nil
}

// hasData reports whether the stores hold any memory, concept or token.
func (n *Node) hasData(ctx context.Context) (bool, error) {
	ms, err := n.st.Memory.Memories(ctx)
	if err != nil {
		return false, err
	}
	concepts, _, err := n.st.Glossary.Count(ctx)
	if err != nil {
		return false, err
	}
	return len(ms) > 0 || concepts > 0 || len(n.st.Access.List(ctx)) > 0, nil
}
