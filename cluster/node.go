package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
	raftboltdb "github.com/hashicorp/raft-boltdb/v2"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/tolkdev/tolk"
)

// Config says how a node runs. NodeID, RaftAddr, GRPCAddr and Dir are
// required, and at most one of Bootstrap and Join.
type Config struct {
	NodeID    string // unique in the cluster, stable across restarts
	RaftAddr  string // HOST:PORT the Raft transport listens on and is reached at
	GRPCAddr  string // HOST:PORT this node serves gRPC on, for forwarded writes
	Dir       string // the Raft log, stable store and snapshots
	Bootstrap bool   // start a new cluster with this node as its only voter
	Join      string // gRPC address of a member to join through (first start only)
	// Seed, with Bootstrap, writes the seeds into an empty database through
	// the log (see Node.Writer's use by seeds.LoadWith).
	Seed func(ctx context.Context, n *Node) error
	// Dial are the options for connections to other members' gRPC
	// (forwarded writes, joins); nil means plaintext.
	Dial []grpc.DialOption
	// TLS, when set, encrypts Raft traffic (and authenticates the members
	// when its Server side requires client certificates); nil is plaintext
	// TCP.
	TLS *RaftTLS
	// JoinToken is the bearer token sent with Join (a cluster with tokens
	// needs an admin token).
	JoinToken string
	Logger    *slog.Logger
	RaftLog   io.Writer // Raft's own log (warnings and errors); nil means stderr

	// Timing; zero means the defaults of hashicorp/raft (1 s heartbeat and
	// election timeouts). Tests set them lower.
	HeartbeatTimeout, ElectionTimeout, LeaderLeaseTimeout time.Duration
	// SnapshotThreshold is how many entries since the last snapshot make
	// the next (default 8192); TrailingLogs how many entries a snapshot
	// leaves in the log for lagging followers (default 10240).
	SnapshotThreshold, TrailingLogs uint64
	SnapshotInterval                time.Duration // how often to check (default 2 min)
}

// Node is one member of a Tolk cluster: Raft, its state machine over the
// node's stores, and the Writer the server sends its writes to.
type Node struct {
	cfg   Config
	st    Stores
	fsm   *FSM
	raft  *raft.Raft
	trans *raft.NetworkTransport
	logs  *raftboltdb.BoltStore
	log   *slog.Logger

	mu    sync.Mutex
	conns map[string]*grpc.ClientConn // gRPC address → connection
}

// Open starts a node over st. On its first start it bootstraps a cluster
// (Bootstrap) or joins one (Join); on later starts it rejoins from its
// Raft state and ignores both. It refuses to join with a database that
// holds data written outside the cluster.
func Open(ctx context.Context, cfg Config, st Stores) (*Node, error) {
	if cfg.NodeID == "" || cfg.RaftAddr == "" || cfg.GRPCAddr == "" || cfg.Dir == "" {
		return nil, errors.New("a cluster node needs a node id, a Raft address, its gRPC address and a Raft directory")
	}
	if cfg.Bootstrap && cfg.Join != "" {
		return nil, errors.New("--bootstrap starts a new cluster and --join joins one: give one of them")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RaftLog == nil {
		cfg.RaftLog = os.Stderr
	}
	fsm, err := NewFSM(st, cfg.Logger)
	if err != nil {
		return nil, err
	}
	n := &Node{cfg: cfg, st: st, fsm: fsm, log: cfg.Logger, conns: make(map[string]*grpc.ClientConn)}
	fresh, err := n.startRaft()
	if err != nil {
		return nil, err
	}
	switch {
	case !fresh:
		n.log.Info("cluster node restarted", "node", cfg.NodeID, "cluster", fsm.ClusterID(), "applied", fsm.Applied())
	case cfg.Bootstrap:
		err = n.bootstrap(ctx)
	case cfg.Join != "":
		err = n.join(ctx)
	default:
		err = errors.New("this node has no Raft state yet: give --bootstrap to start a cluster or --join ADDR to join one")
	}
	if err != nil {
		n.Close()
		return nil, err
	}
	return n, nil
}

// logCacheEntries is how many recent log entries Raft keeps in memory.
const logCacheEntries = 16

// startRaft opens the Raft stores and transport and starts Raft. fresh
// reports that the node had no Raft state.
func (n *Node) startRaft() (fresh bool, err error) {
	cfg := n.cfg
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return false, fmt.Errorf("creating the Raft directory: %w", err)
	}
	n.logs, err = raftboltdb.New(raftboltdb.Options{Path: filepath.Join(cfg.Dir, "raft.db")})
	if err != nil {
		return false, fmt.Errorf("opening the Raft log in %s: %w", cfg.Dir, err)
	}
	snaps, err := raft.NewFileSnapshotStore(cfg.Dir, 2, cfg.RaftLog)
	if err != nil {
		return false, fmt.Errorf("opening the Raft snapshots in %s: %w", cfg.Dir, err)
	}
	addr, err := net.ResolveTCPAddr("tcp", cfg.RaftAddr)
	if err != nil {
		return false, fmt.Errorf("--raft-addr %q: %w", cfg.RaftAddr, err)
	}
	var advertise net.Addr = addr
	if addr.Port == 0 {
		advertise = nil // the listener's own address (tests)
	}
	if cfg.TLS != nil {
		stream, err := newTLSStream(cfg.RaftAddr, advertise, cfg.TLS)
		if err != nil {
			return false, err
		}
		n.trans = raft.NewNetworkTransport(stream, 3, 10*time.Second, cfg.RaftLog)
	} else if n.trans, err = raft.NewTCPTransport(cfg.RaftAddr, advertise, 3, 10*time.Second, cfg.RaftLog); err != nil {
		return false, fmt.Errorf("listening for Raft on %s: %w", cfg.RaftAddr, err)
	}
	has, err := raft.HasExistingState(n.logs, n.logs, snaps)
	if err != nil {
		return false, fmt.Errorf("reading the Raft state: %w", err)
	}
	// The cache keeps the newest entries in memory, so that replicating
	// them to the followers does not read them back from the file.
	cached, err := raft.NewLogCache(logCacheEntries, n.logs)
	if err != nil {
		return false, err
	}
	n.raft, err = raft.NewRaft(n.raftConfig(), n.fsm, cached, n.logs, snaps, n.trans)
	if err != nil {
		return false, fmt.Errorf("starting Raft: %w", err)
	}
	return !has, nil
}

// raftConfig is hashicorp/raft's configuration for the node.
func (n *Node) raftConfig() *raft.Config {
	c := raft.DefaultConfig()
	c.LocalID = raft.ServerID(n.cfg.NodeID)
	// The state machine is durable: the stores hold the applied index, so a
	// restart must not restore the last snapshot over newer data.
	c.NoSnapshotRestoreOnStart = true
	c.Logger = hclog.New(&hclog.LoggerOptions{Name: "raft", Level: hclog.Warn, Output: n.cfg.RaftLog})
	set := func(d *time.Duration, v time.Duration) {
		if v > 0 {
			*d = v
		}
	}
	set(&c.HeartbeatTimeout, n.cfg.HeartbeatTimeout)
	set(&c.ElectionTimeout, n.cfg.ElectionTimeout)
	set(&c.LeaderLeaseTimeout, n.cfg.LeaderLeaseTimeout)
	set(&c.SnapshotInterval, n.cfg.SnapshotInterval)
	if n.cfg.SnapshotThreshold > 0 {
		c.SnapshotThreshold = n.cfg.SnapshotThreshold
	}
	if n.cfg.TrailingLogs > 0 {
		c.TrailingLogs = n.cfg.TrailingLogs
	}
	return c
}

// bootstrap starts a new cluster of this node alone, waits until it
// leads, and writes the cluster id, its address and the seeds through the
// log.
func (n *Node) bootstrap(ctx context.Context) error {
	if id := n.fsm.ClusterID(); id != "" {
		return fmt.Errorf("the database holds data of cluster %s: bootstrapping would start a second cluster over it; start a new cluster with an empty --db, or join cluster %s", id, id)
	}
	hadData, err := n.hasData(ctx)
	if err != nil {
		return err
	}
	conf := raft.Configuration{Servers: []raft.Server{{ID: raft.ServerID(n.cfg.NodeID), Address: n.trans.LocalAddr()}}}
	if err := n.raft.BootstrapCluster(conf).Error(); err != nil {
		return fmt.Errorf("bootstrapping the cluster: %w", err)
	}
	if err := n.waitLeader(ctx); err != nil {
		return err
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return err
	}
	id := hex.EncodeToString(raw[:])
	if _, err := n.propose(ctx, &Command{Op: OpInit, ClusterID: id}); err != nil {
		return fmt.Errorf("writing the cluster id: %w", err)
	}
	if _, err := n.propose(ctx, &Command{Op: OpSetNode, NodeID: n.cfg.NodeID, GRPCAddr: n.cfg.GRPCAddr}); err != nil {
		return fmt.Errorf("writing this node's address: %w", err)
	}
	switch {
	case hadData:
		// The file's data is in no log entry: a snapshot that replaces the
		// whole log carries it to the nodes that join.
		if err := n.snapshotAll(); err != nil {
			return err
		}
	case n.cfg.Seed != nil:
		if err := n.cfg.Seed(ctx, n); err != nil {
			return fmt.Errorf("seeding the cluster: %w", err)
		}
	}
	n.log.Info("cluster bootstrapped", "cluster", id, "node", n.cfg.NodeID)
	return nil
}

// snapshotAll takes a snapshot and compacts the whole log into it, so that
// a node that joins starts from the snapshot, not from the log.
func (n *Node) snapshotAll() error {
	keep := n.raft.ReloadableConfig()
	all := keep
	all.TrailingLogs = 0
	if err := n.raft.ReloadConfig(all); err != nil {
		return fmt.Errorf("compacting the log: %w", err)
	}
	err := n.Snapshot()
	if rerr := n.raft.ReloadConfig(keep); err == nil {
		err = rerr
	}
	return err
}

// TransferLeadership hands the leadership to another voter when this node
// leads, so that a node stopped on purpose does not make the cluster wait
// for an election timeout. It is a no-op on a follower.
func (n *Node) TransferLeadership() error {
	if n.raft.State() != raft.Leader {
		return nil
	}
	f := n.raft.GetConfiguration()
	if f.Error() != nil || len(f.Configuration().Servers) < 2 {
		return nil
	}
	if err := n.raft.LeadershipTransfer().Error(); err != nil {
		return fmt.Errorf("handing over the leadership: %w", err)
	}
	return nil
}

// waitLeader waits until this node leads.
func (n *Node) waitLeader(ctx context.Context) error {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for n.raft.State() != raft.Leader {
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting to lead the new cluster: %w", ctx.Err())
		case <-t.C:
		}
	}
	return nil
}

// Close stops Raft and closes the node's connections and Raft files; the
// stores stay open (their owner closes them).
func (n *Node) Close() error {
	var errs []error
	if n.raft != nil {
		errs = append(errs, n.raft.Shutdown().Error())
	}
	if n.trans != nil {
		errs = append(errs, n.trans.Close())
	}
	if n.logs != nil {
		errs = append(errs, n.logs.Close())
	}
	n.mu.Lock()
	for _, c := range n.conns {
		c.Close()
	}
	n.conns = nil
	n.mu.Unlock()
	return errors.Join(errs...)
}

// Stats are a node's Raft figures, for metrics and status.
type Stats struct {
	State                                         string // Leader, Follower, Candidate or Shutdown
	Term, CommitIndex, AppliedIndex, LastLogIndex uint64
	Restores                                      int64 // snapshots restored since the node started
}

// Stats returns the node's Raft figures now.
func (n *Node) Stats() Stats {
	return Stats{State: n.raft.State().String(), Term: n.raft.CurrentTerm(), CommitIndex: n.raft.CommitIndex(),
		AppliedIndex: n.fsm.Applied(), LastLogIndex: n.raft.LastIndex(), Restores: n.fsm.restores.Load()}
}

// RaftAddr returns the address the node's Raft transport listens on.
func (n *Node) RaftAddr() string { return string(n.trans.LocalAddr()) }

// Snapshot makes Raft take a snapshot now and compact its log (keeping
// Config.TrailingLogs entries).
func (n *Node) Snapshot() error {
	if err := n.raft.Snapshot().Error(); err != nil {
		return fmt.Errorf("taking a snapshot on node %s: %w", n.cfg.NodeID, err)
	}
	return nil
}

// ID returns the node's id.
func (n *Node) ID() string { return n.cfg.NodeID }

// ClusterID returns the id of the node's cluster ("" until it applied it).
func (n *Node) ClusterID() string { return n.fsm.ClusterID() }

// IsLeader reports whether the node leads.
func (n *Node) IsLeader() bool { return n.raft.State() == raft.Leader }

// Applied returns the index of the last entry the node applied.
func (n *Node) Applied() uint64 { return n.fsm.Applied() }

// Ready returns nil once the node has a leader and has applied every entry
// it knows to be committed (caught up), else an error saying why not;
// server.Config.Ready reports it as health NOT_SERVING.
func (n *Node) Ready() error {
	if addr, _ := n.raft.LeaderWithID(); addr == "" {
		return tolk.Errorf(tolk.EUNAVAILABLE, "cluster node %s knows no leader", n.cfg.NodeID)
	}
	if c := n.raft.CommitIndex(); !n.appliedUpTo(c) {
		return tolk.Errorf(tolk.EUNAVAILABLE, "cluster node %s is catching up: applied %d of %d", n.cfg.NodeID, n.fsm.Applied(), c)
	}
	return nil
}

// appliedUpTo reports whether the state machine has applied every entry up
// to index that it sees: commands and configurations. Raft keeps its other
// entries (the no-op a new leader writes, barriers) from the state
// machine, so the last such entry at or before index is the one to wait
// for. An entry no longer in the log was compacted into a snapshot, hence
// applied.
func (n *Node) appliedUpTo(index uint64) bool {
	applied := n.fsm.Applied()
	for i := index; i > applied; i-- {
		var l raft.Log
		if err := n.logs.GetLog(i, &l); err != nil {
			return n.raft.AppliedIndex() >= index
		}
		if l.Type == raft.LogCommand || l.Type == raft.LogConfiguration {
			return false
		}
	}
	return true
}

// conn returns a connection to a member's gRPC address.
func (n *Node) conn(addr string) (*grpc.ClientConn, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.conns == nil {
		return nil, tolk.Errorf(tolk.EUNAVAILABLE, "cluster node %s is shutting down", n.cfg.NodeID)
	}
	if c, ok := n.conns[addr]; ok {
		return c, nil
	}
	opts := n.cfg.Dial
	if opts == nil {
		opts = []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	}
	opts = append(opts, grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(256<<20), grpc.MaxCallSendMsgSize(256<<20)))
	c, err := grpc.NewClient(addr, opts...)
	if err != nil {
		return nil, fmt.Errorf("connecting to cluster member %s: %w", addr, err)
	}
	n.conns[addr] = c
	return c, nil
}
