package cluster

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/raft"
	"go.etcd.io/bbolt"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/access"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/internal/snapshot"
	"github.com/tolkdev/tolk/memory"
)

// Stores are the stores of one node, all in DB.
type Stores struct {
	DB       *bbolt.DB
	Memory   *memory.Store
	Glossary *glossary.Store
	Access   *access.Store
}

// FSM is the Raft state machine of a node: it applies commands to the
// node's stores. Create it with NewFSM.
type FSM struct {
	st  Stores
	log *slog.Logger

	applied  atomic.Uint64 // last log index applied (or skipped as applied before a restart)
	restores atomic.Int64  // snapshots restored since the node started

	mu        sync.RWMutex
	clusterID string
	nodes     map[string]string // node id → gRPC address
}

// NewFSM returns the state machine over st, starting from the applied
// index, cluster id and members that st.DB holds.
func NewFSM(st Stores, log *slog.Logger) (*FSM, error) {
	f := &FSM{st: st, log: log}
	if err := f.load(); err != nil {
		return nil, err
	}
	return f, nil
}

// load reads the applied index and the cluster's records from the file.
func (f *FSM) load() error {
	nodes := make(map[string]string)
	var id string
	var applied uint64
	err := f.st.DB.View(func(tx *bbolt.Tx) error {
		applied = tolk.AppliedIndex(tx)
		b := tx.Bucket(bucketMeta)
		if b == nil {
			return nil
		}
		id = string(b.Get(keyClusterID))
		c := b.Cursor()
		for k, v := c.Seek(keyNodePrefix); k != nil && strings.HasPrefix(string(k), string(keyNodePrefix)); k, v = c.Next() {
			nodes[strings.TrimPrefix(string(k), string(keyNodePrefix))] = string(v)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading the cluster's records: %w", err)
	}
	f.applied.Store(applied)
	f.mu.Lock()
	f.clusterID, f.nodes = id, nodes
	f.mu.Unlock()
	return nil
}

// Applied returns the index of the last entry applied.
func (f *FSM) Applied() uint64 { return f.applied.Load() }

// ClusterID returns the cluster id the file holds ("" before OpInit).
func (f *FSM) ClusterID() string {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.clusterID
}

// NodeAddr returns the gRPC address of a member, if known.
func (f *FSM) NodeAddr(id string) (string, bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	a, ok := f.nodes[id]
	return a, ok
}

// Apply applies one log entry and returns its *Result. An entry at or
// below the applied index the file holds was applied before a restart
// and is skipped.
func (f *FSM) Apply(l *raft.Log) any {
	if l.Type != raft.LogCommand {
		return nil
	}
	if l.Index <= f.applied.Load() {
		return &Result{}
	}
	defer f.applied.Store(l.Index)
	c, err := decodeCommand(l.Data)
	if err != nil {
		panic(fmt.Sprintf("cluster: log entry %d: %v", l.Index, err))
	}
	ctx := tolk.WithApplied(context.Background(), tolk.Applied{Index: l.Index, Time: c.Time, Random: c.Random})
	res := f.apply(ctx, &c)
	if res.Err != nil && fatal(res.Err) {
		panic(fmt.Sprintf("cluster: applying log entry %d (%s) failed on this node's side: %v; stopping rather than differ from the other nodes", l.Index, c.Op, res.Err))
	}
	return res
}

// StoreConfiguration records that a configuration entry (a member added
// or removed) is applied; Raft calls it in log order with Apply
// (raft.ConfigurationStore). The members are Raft's own business.
func (f *FSM) StoreConfiguration(index uint64, _ raft.Configuration) {
	if index > f.applied.Load() {
		f.applied.Store(index)
	}
}

// fatal reports whether an apply error comes from this node rather than
// from the command: then applying on must stop.
func fatal(e *tolk.Error) bool {
	switch e.Code {
	case tolk.EINTERNAL, tolk.EUNAVAILABLE:
		return true
	}
	return strings.HasPrefix(e.Message, "disk full")
}

// apply makes the store call that c names.
func (f *FSM) apply(ctx context.Context, c *Command) *Result {
	var r Result
	var err error
	mem := f.st.Memory
	switch c.Op {
	case OpAddUnits:
		var a memory.AddResult
		a, err = mem.Add(ctx, c.Memory, c.Units, c.Policy)
		r.Add = &a
	case OpDeleteUnit:
		err = mem.Delete(ctx, c.Memory, c.UnitID)
	case OpUpdateUnit:
		var u memory.Unit
		u, err = mem.UpdateUnit(ctx, c.Memory, c.UnitID, derefOr(c.UnitUpdate))
		r.Unit = &u
	case OpRecordUsage:
		err = mem.RecordUsage(ctx, c.Memory, c.UnitIDs, c.At)
	case OpCreateMemory:
		var m memory.Memory
		m, err = mem.CreateMemory(ctx, derefOr(c.NewMemory))
		r.Memory = &m
	case OpUpdateMemory:
		var m memory.Memory
		m, err = mem.UpdateMemory(ctx, c.Memory, derefOr(c.MemoryUpdate))
		r.Memory = &m
	case OpDeleteMemory:
		err = mem.DeleteMemory(ctx, c.Memory)
	default:
		return f.applyGlossary(ctx, c)
	}
	r.setErr(err)
	return &r
}

// applyGlossary makes the glossary, token and cluster calls of apply.
func (f *FSM) applyGlossary(ctx context.Context, c *Command) *Result {
	var r Result
	var err error
	gl, acc := f.st.Glossary, f.st.Access
	switch c.Op {
	case OpUpsertConcepts:
		var u glossary.UpsertResult
		u, err = gl.Upsert(ctx, c.Concepts)
		r.Upsert = &u
	case OpImportBatch:
		var u glossary.UpsertResult
		u, err = gl.ImportBatch(ctx, c.Glossary, c.First, c.Concepts)
		gl.Rebuild()
		r.Upsert = &u
	case OpDeleteConcept:
		err = gl.Delete(ctx, c.ConceptID)
	case OpCreateGlossary:
		var g glossary.Glossary
		g, err = gl.CreateGlossary(ctx, derefOr(c.NewGlossary))
		r.Glossary = &g
	case OpUpdateGlossary:
		var g glossary.Glossary
		g, err = gl.UpdateGlossary(ctx, c.Glossary, derefOr(c.GlossaryUpdate))
		r.Glossary = &g
	case OpDeleteGlossary:
		r.N, err = gl.DeleteGlossary(ctx, c.Glossary)
	case OpCreateToken:
		var t access.Token
		t, r.Secret, err = acc.Create(ctx, c.Token, c.Scopes)
		r.Token = &t
	case OpRevokeToken:
		err = acc.Revoke(ctx, c.Token, c.AllowOpen)
	case OpInit, OpSetNode, OpRemoveNode:
		err = f.applyMeta(ctx, c)
	default:
		err = fmt.Errorf("unknown command %q: a newer Tolk wrote this log", c.Op)
	}
	r.setErr(err)
	return &r
}

// applyMeta writes the cluster's own records, with the applied index.
func (f *FSM) applyMeta(ctx context.Context, c *Command) error {
	err := f.st.DB.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		switch c.Op {
		case OpInit:
			if old := b.Get(keyClusterID); old != nil {
				return tolk.Errorf(tolk.EFAILEDPRE, "the cluster already has id %s", old)
			}
			err = b.Put(keyClusterID, []byte(c.ClusterID))
		case OpSetNode:
			err = b.Put(append(keyNodePrefix[:len(keyNodePrefix):len(keyNodePrefix)], c.NodeID...), []byte(c.GRPCAddr))
		case OpRemoveNode:
			err = b.Delete(append(keyNodePrefix[:len(keyNodePrefix):len(keyNodePrefix)], c.NodeID...))
		}
		if err != nil {
			return err
		}
		return tolk.PutApplied(ctx, tx)
	})
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch c.Op {
	case OpInit:
		f.clusterID = c.ClusterID
	case OpSetNode:
		f.nodes[c.NodeID] = c.GRPCAddr
	case OpRemoveNode:
		delete(f.nodes, c.NodeID)
	}
	return nil
}

// derefOr returns *p, or the zero value for nil.
func derefOr[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// Snapshot copies the database at the applied index into an unlinked
// temporary file (internal/snapshot: one short read transaction, at disk
// speed); Persist then streams it to Raft's snapshot store while applying
// goes on.
func (f *FSM) Snapshot() (raft.FSMSnapshot, error) {
	file, err := snapshot.Take(context.Background(), f.st.DB)
	if err != nil {
		return nil, fmt.Errorf("taking a Raft snapshot: %w", err)
	}
	return &fsmSnapshot{file: file}, nil
}

type fsmSnapshot struct{ file *snapshot.File }

// Persist writes the snapshot into sink.
func (s *fsmSnapshot) Persist(sink raft.SnapshotSink) error {
	if _, err := io.Copy(sink, s.file); err != nil {
		sink.Cancel()
		return fmt.Errorf("writing a Raft snapshot: %w", err)
	}
	return sink.Close()
}

// Release frees the snapshot's file.
func (s *fsmSnapshot) Release() { s.file.Close() }

// Restore replaces the node's data with a snapshot's: it writes the
// snapshot to a file beside the database, then, in one transaction,
// replaces every bucket of the database with the snapshot's and reloads
// the stores' in-memory state. Raft calls it with no Apply running.
func (f *FSM) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	path := filepath.Join(filepath.Dir(f.st.DB.Path()), ".tolk-restore.db")
	if err := writeFile(path, rc); err != nil {
		return err
	}
	defer os.Remove(path)
	snap, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("opening the received snapshot: %w", err)
	}
	defer snap.Close()
	err = snap.View(func(src *bbolt.Tx) error {
		return f.st.DB.Update(func(dst *bbolt.Tx) error { return replaceBuckets(dst, src) })
	})
	if err != nil {
		return fmt.Errorf("restoring a snapshot: %w", err)
	}
	ctx := context.Background()
	for _, reload := range []func(context.Context) error{f.st.Memory.Reload, f.st.Glossary.Reload, f.st.Access.Reload} {
		if err := reload(ctx); err != nil {
			return err
		}
	}
	if err := f.load(); err != nil {
		return err
	}
	f.restores.Add(1)
	f.log.Info("restored a Raft snapshot", "applied", f.applied.Load())
	return nil
}

// writeFile copies r into a new file at path, synced.
func writeFile(path string, r io.Reader) error {
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("receiving a snapshot: %w", err)
	}
	_, err = io.Copy(out, r)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("receiving a snapshot: %w", err)
	}
	return nil
}

// replaceBuckets deletes every top-level bucket of dst and copies every
// bucket of src into it, nested buckets and sequences included.
func replaceBuckets(dst, src *bbolt.Tx) error {
	var names [][]byte
	if err := dst.ForEach(func(name []byte, _ *bbolt.Bucket) error {
		names = append(names, append([]byte(nil), name...))
		return nil
	}); err != nil {
		return err
	}
	for _, n := range names {
		if err := dst.DeleteBucket(n); err != nil {
			return fmt.Errorf("deleting bucket %s: %w", n, err)
		}
	}
	return src.ForEach(func(name []byte, b *bbolt.Bucket) error {
		nb, err := dst.CreateBucket(name)
		if err != nil {
			return err
		}
		return copyBucket(nb, b)
	})
}

// copyBucket copies src's keys, nested buckets and sequence into dst.
func copyBucket(dst, src *bbolt.Bucket) error {
	if err := dst.SetSequence(src.Sequence()); err != nil {
		return err
	}
	return src.ForEach(func(k, v []byte) error {
		if v != nil {
			return dst.Put(k, v)
		}
		nb, err := dst.CreateBucket(k)
		if err != nil {
			return err
		}
		return copyBucket(nb, src.Bucket(k))
	})
}
