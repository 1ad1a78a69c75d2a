package tolk

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// Applied describes a write being applied from a replicated log (package
// cluster): the entry's index and the values its leader fixed before it
// proposed it, so that every node stores the same bytes. A store's write
// path reads it from the context with AppliedFrom; without it (a single
// node) nothing changes and nothing is written beyond the write itself.
type Applied struct {
	Index  uint64    // the log index, stored with the write by PutApplied
	Time   time.Time // "now" for the write (Changed, Created); zero means the clock
	Random []byte    // entropy for the write (a token's secret); nil means crypto/rand
}

type appliedKey struct{}

// WithApplied returns ctx carrying a: the writes made with it store
// a.Index in the same transaction (PutApplied) and take their time and
// entropy from it (Now, ReadRandom).
func WithApplied(ctx context.Context, a Applied) context.Context {
	return context.WithValue(ctx, appliedKey{}, a)
}

// AppliedFrom returns the Applied that ctx carries, if any.
func AppliedFrom(ctx context.Context) (Applied, bool) {
	a, ok := ctx.Value(appliedKey{}).(Applied)
	return a, ok
}

// Now returns the time a write made with ctx should use: the leader's,
// when ctx carries an Applied with a time, else fallback().
func Now(ctx context.Context, fallback func() time.Time) time.Time {
	if a, ok := AppliedFrom(ctx); ok && !a.Time.IsZero() {
		return a.Time
	}
	return fallback()
}

// ReadRandom fills p with the entropy ctx carries (Applied.Random, which
// must be at least len(p) bytes), or from crypto/rand.
func ReadRandom(ctx context.Context, p []byte) error {
	if a, ok := AppliedFrom(ctx); ok && a.Random != nil {
		if len(a.Random) < len(p) {
			return fmt.Errorf("replicated write carries %d random bytes, %d needed", len(a.Random), len(p))
		}
		copy(p, a.Random)
		return nil
	}
	_, err := rand.Read(p)
	return err
}

// PutApplied stores the log index that ctx carries in tx, in the bucket
// BucketApplied, so that the write and the index commit together. Every
// store calls it at the end of each write transaction; without an Applied
// in ctx it does nothing.
func PutApplied(ctx context.Context, tx *bbolt.Tx) error {
	a, ok := AppliedFrom(ctx)
	if !ok {
		return nil
	}
	b, err := tx.CreateBucketIfNotExists(BucketApplied)
	if err != nil {
		return fmt.Errorf("recording applied index %d: %w", a.Index, err)
	}
	var v [8]byte
	binary.BigEndian.PutUint64(v[:], a.Index)
	return b.Put(keyAppliedIndex, v[:])
}

// AppliedIndex returns the last log index PutApplied stored in tx (0 when
// none).
func AppliedIndex(tx *bbolt.Tx) uint64 {
	b := tx.Bucket(BucketApplied)
	if b == nil {
		return 0
	}
	v := b.Get(keyAppliedIndex)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

// ConsistencyHeader is the request metadata that chooses a read's
// consistency on a cluster node (package cluster): "local", the default,
// answers from the node's applied state; "leader" first has the leader
// confirm that it still leads and waits until the node has applied the
// leader's commit index, so the read sees every write acknowledged before
// it was sent.
const ConsistencyHeader = "tolk-consistency"
