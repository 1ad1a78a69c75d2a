package memory

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/segment"
	"go.etcd.io/bbolt"
)

// MaxTextBytes bounds a query, a unit's source and target, and its TUID,
// in bytes.
const MaxTextBytes = 64 << 10

// MaxCodes bounds the inline codes of a unit's source or target.
const MaxCodes = segment.MaxCodes

// Store is the translation memory store. It is safe for concurrent use.
type Store struct {
	db  *bbolt.DB
	wmu sync.Mutex // serialises writes so the index applies them in order
	ix  *index

	mu    sync.RWMutex // guards names and nos
	names map[string]uint32
	nos   map[uint32]string
}

// Unit returns a unit by id, or ENOTFOUND.
func (s *Store) Unit(ctx context.Context, memory string, id uint64) (Unit, error) {
	var u Unit
	err := s.db.View(func(tx *bbolt.Tx) error {
		if _, err := getMemory(tx, memory); err != nil {
			return err
		}
		v := tx.Bucket(bucketUnits).Bucket([]byte(memory)).Get(idKey(id))
		if v == nil {
			return tolk.Reasonf(tolk.ReasonUnitNotFound, "memory %q has no unit %d", memory, id)
		}
		return decodeUnit(v, &u)
	})
	if err != nil {
		return Unit{}, fmt.Errorf("reading unit %d of %q: %w", id, memory, err)
	}
	u.ID, u.Memory = id, memory
	return u, nil
}

// Delete deletes a unit, or returns ENOTFOUND.
func (s *Store) Delete(ctx context.Context, memory string, id uint64) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	var ref docRef
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		m, err := getMemory(tx, memory)
		if err != nil {
			return err
		}
		ub := tx.Bucket(bucketUnits).Bucket([]byte(memory))
		ib := tx.Bucket(bucketIndex).Bucket([]byte(memory))
		k := idKey(id)
		if ub.Get(k) == nil {
			return tolk.Reasonf(tolk.ReasonUnitNotFound, "memory %q has no unit %d", memory, id)
		}
		var rec indexRecord
		if err := getRecord(ib, id, &rec); err != nil {
			return fmt.Errorf("index record: %w", err)
		}
		ref = docRef{mem: m.no, id: id, src: rec.src}
		if err := ub.Delete(k); err != nil {
			return err
		}
		bw := newBlockWriter(ib)
		bw.delete(id)
		if err := bw.flush(); err != nil {
			return err
		}
		m.Units--
		return tx.Bucket(bucketMemories).Put([]byte(memory), encodeMemory(&m))
	})
	if err != nil {
		return fmt.Errorf("deleting unit %d of %q: %w", id, memory, err)
	}
	s.ix.apply(&indexDelta{removes: []docRef{ref}})
	return nil
}

// exportBatch is how many units Export reads per read transaction.
const exportBatch = 512

// Export calls fn with every unit of the memory in id order. It reads in
// small batches, each in its own read transaction, and calls fn outside any
// transaction, so memory use is constant and fn may take its time; units
// added during the export may or may not be seen. An error from fn stops
// the export and is returned.
func (s *Store) Export(ctx context.Context, memory string, fn func(Unit) error) error {
	after := []byte(nil)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var batch []Unit
		err := s.db.View(func(tx *bbolt.Tx) error {
			if _, err := getMemory(tx, memory); err != nil {
				return err
			}
			c := tx.Bucket(bucketUnits).Bucket([]byte(memory)).Cursor()
			var k, v []byte
			if after == nil {
				k, v = c.First()
			} else {
				k, v = c.Seek(after)
				if k != nil && bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			for ; k != nil && len(batch) < exportBatch; k, v = c.Next() {
				u := Unit{ID: beUint64(k), Memory: memory}
				if err := decodeUnit(v, &u); err != nil {
					return fmt.Errorf("unit %d: %w", u.ID, err)
				}
				batch = append(batch, u)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("exporting memory %q: %w", memory, err)
		}
		for _, u := range batch {
			if err := fn(u); err != nil {
				return err
			}
		}
		if len(batch) < exportBatch {
			return nil
		}
		after = idKey(batch[len(batch)-1].ID)
	}
}

// RecordUsage adds one use at time at to each listed unit: UsageCount is
// incremented and LastUsed set. Ids that no longer exist are ignored (a
// unit may be deleted between a lookup and its use). It returns ENOTFOUND
// for an unknown memory.
func (s *Store) RecordUsage(ctx context.Context, memory string, ids []uint64, at time.Time) error {
	at = seconds(at)
	s.wmu.Lock()
	defer s.wmu.Unlock()
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		if _, err := getMemory(tx, memory); err != nil {
			return err
		}
		ub := tx.Bucket(bucketUnits).Bucket([]byte(memory))
		var buf []byte
		var ar arena
		for _, id := range ids {
			v := ub.Get(idKey(id))
			if v == nil {
				continue
			}
			var u Unit
			if err := decodeUnit(v, &u); err != nil {
				return fmt.Errorf("unit %d: %w", id, err)
			}
			u.UsageCount++
			if at.After(u.LastUsed) {
				u.LastUsed = at
			}
			buf = encodeUnit(buf[:0], &u)
			if err := ub.Put(idKey(id), ar.copy(buf)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("recording usage in %q: %w", memory, err)
	}
	return nil
}
