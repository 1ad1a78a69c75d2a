package memory

import (
	"encoding/binary"
	"fmt"
	"slices"

	"go.etcd.io/bbolt"
)

// Index records are stored in blocks of up to blockSize consecutive unit
// ids: one bbolt value per block, so that Open reads a million records in
// a few thousand cursor steps. A block is the records' concatenation,
// sorted by id, each as uvarint id, uvarint length, record bytes.
const blockShift = 8

func blockKey(id uint64) []byte { return idKey(id >> blockShift) }

type blockEntry struct {
	id  uint64
	rec []byte
}

// parseBlock appends the entries of an encoded block to dst. The record
// slices point into b.
func parseBlock(dst []blockEntry, b []byte) ([]blockEntry, error) {
	for len(b) > 0 {
		id, n := binary.Uvarint(b)
		if n <= 0 {
			return dst, errCorrupt
		}
		b = b[n:]
		l, n := binary.Uvarint(b)
		if n <= 0 || l > uint64(len(b)-n) {
			return dst, errCorrupt
		}
		dst = append(dst, blockEntry{id, b[n : n+int(l)]})
		b = b[n+int(l):]
	}
	return dst, nil
}

func encodeBlock(es []blockEntry) []byte {
	n := 0
	for _, e := range es {
		n += len(e.rec) + 2*binary.MaxVarintLen64
	}
	b := make([]byte, 0, n)
	for _, e := range es {
		b = binary.AppendUvarint(b, e.id)
		b = binary.AppendUvarint(b, uint64(len(e.rec)))
		b = append(b, e.rec...)
	}
	return b
}

// blockWriter gathers index record changes of one transaction and writes
// each touched block once, at flush.
type blockWriter struct {
	b       *bbolt.Bucket
	changes map[uint64][]blockEntry // block → new or replaced records; rec nil deletes
}

func newBlockWriter(b *bbolt.Bucket) *blockWriter {
	return &blockWriter{b: b, changes: map[uint64][]blockEntry{}}
}

func (w *blockWriter) put(id uint64, rec []byte) {
	k := id >> blockShift
	w.changes[k] = append(w.changes[k], blockEntry{id, rec})
}

func (w *blockWriter) delete(id uint64) { w.put(id, nil) }

// flush merges the changes into the stored blocks.
func (w *blockWriter) flush() error {
	keys := make([]uint64, 0, len(w.changes))
	for k := range w.changes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var old []blockEntry
	for _, k := range keys {
		key := idKey(k)
		var err error
		old, err = parseBlock(old[:0], w.b.Get(key))
		if err != nil {
			return fmt.Errorf("index block %d: %w", k, err)
		}
		merged := map[uint64][]byte{}
		for _, e := range old {
			merged[e.id] = e.rec
		}
		for _, e := range w.changes[k] { // later changes win
			merged[e.id] = e.rec
		}
		es := make([]blockEntry, 0, len(merged))
		for id, rec := range merged {
			if rec != nil {
				es = append(es, blockEntry{id, rec})
			}
		}
		slices.SortFunc(es, func(a, b blockEntry) int {
			if a.id < b.id {
				return -1
			}
			if a.id > b.id {
				return 1
			}
			return 0
		})
		if len(es) == 0 {
			if err := w.b.Delete(key); err != nil {
				return err
			}
			continue
		}
		// encodeBlock copies the old records out of bbolt memory before
		// the Put replaces them.
		if err := w.b.Put(key, encodeBlock(es)); err != nil {
			return err
		}
	}
	w.changes = map[uint64][]blockEntry{}
	return nil
}

// getRecord reads the index record of one unit.
func getRecord(b *bbolt.Bucket, id uint64, r *indexRecord) error {
	es, err := parseBlock(nil, b.Get(blockKey(id)))
	if err != nil {
		return err
	}
	for _, e := range es {
		if e.id == id {
			return decodeIndexRecord(e.rec, r)
		}
	}
	return fmt.Errorf("no index record for unit %d", id)
}
