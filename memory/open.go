package memory

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"

	"github.com/tolkdev/tolk"
	"go.etcd.io/bbolt"
)

// Open opens the memory store in db: it creates the store's buckets, checks
// the schema version and builds the in-memory index from the persisted
// index records. The caller owns db and closes it after the last use of the
// store.
func Open(ctx context.Context, db *bbolt.DB) (*Store, error) {
	err := db.Update(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketMeta, bucketMemories, bucketUnits, bucketIndex} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		switch v := meta.Get(keySchema); {
		case v == nil:
			return meta.Put(keySchema, []byte(schemaVersion))
		case string(v) != schemaVersion:
			return tolk.Errorf(tolk.EFAILEDPRE, "the database holds translation memories in schema %q; this build reads %q", v, schemaVersion)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("opening the memory store: %w", err)
	}
	s := &Store{db: db, ix: newIndex(), names: map[string]uint32{}, nos: map[uint32]string{}}
	if err := s.load(ctx); err != nil {
		return nil, fmt.Errorf("opening the memory store: %w", err)
	}
	return s, nil
}

// load reads the memories and builds the index from the persisted index
// records in one pass: (term, document) pairs are collected and radix
// sorted, which is several times faster than appending to map entries.
// Target postings are built on first use (see buildTargetPostings).
func (s *Store) load(ctx context.Context) error {
	return s.db.View(func(tx *bbolt.Tx) error {
		recs, err := readMemories(tx)
		if err != nil {
			return err
		}
		n := 0
		for _, m := range recs {
			s.names[m.Name] = m.no
			s.nos[m.no] = m.Name
			n += m.Units
		}
		parts, err := s.readRecords(ctx, recs, n)
		if err != nil {
			return err
		}
		dropMapped(tx)
		ix := s.ix
		order := ix.orderByMemoryAndLength(parts)
		pairs := ix.fillDocs(parts, order)
		parts, order = loadParts{}, nil
		ix.sortedN = uint32(len(ix.docs))
		// The postings and the exact-source chains are independent: build
		// them on two cores.
		done := make(chan struct{})
		go func() {
			defer close(done)
			p := pairs
			pairs = nil // buildPostings owns them and frees them early
			ix.post = buildPostings(p)
		}()
		ix.exact = make(map[uint64]uint32, len(ix.docs))
		for d := range ix.docs {
			di := &ix.docs[d]
			di.next = ix.exact[di.src]
			ix.exact[di.src] = uint32(d) + 1
		}
		<-done
		ix.buildBits()
		ix.live = len(ix.docs)
		ix.tpost = nil
		// Return the build's scratch (several times the index) to the
		// system now rather than when the runtime gets to it.
		debug.FreeOSMemory()
		return nil
	})
}

// loadPart is the index records of half the units, as read by one core:
// the documents, their terms end to end, and where each document's terms
// start.
type loadPart struct {
	docs  []docInfo
	terms []uint32
	off   []uint32
	maxL  int
}

// loadParts are the two halves of the records; document numbers before
// the index is ordered ("old" numbers) count part 0's, then part 1's.
type loadParts [2]loadPart

func (ps *loadParts) len() int { return len(ps[0].docs) + len(ps[1].docs) }

// doc returns the document of old number old.
func (ps *loadParts) doc(old uint32) *docInfo {
	if n0 := len(ps[0].docs); int(old) >= n0 {
		return &ps[1].docs[int(old)-n0]
	}
	return &ps[0].docs[old]
}

// termsOf returns the terms of the document of old number old.
func (ps *loadParts) termsOf(old uint32) []uint32 {
	p, i := &ps[0], int(old)
	if n0 := len(ps[0].docs); i >= n0 {
		p, i = &ps[1], i-n0
	}
	return p.terms[p.off[i]:p.off[i+1]]
}

// estimateAfter is how many records readRecords reads before it reserves
// room for the terms of the rest.
const estimateAfter = 4096

// readRecords reads the index records of the memories recs, holding n
// units, in two halves on two cores, each in its own read transaction.
func (s *Store) readRecords(ctx context.Context, recs []memoryRecord, n int) (loadParts, error) {
	var parts loadParts
	var errs [2]error
	var wg sync.WaitGroup
	for i := range parts {
		wg.Go(func() {
			p := &parts[i]
			p.docs = make([]docInfo, 0, n/2+1)
			p.terms = make([]uint32, 0, (n/2+1)*16)
			p.off = make([]uint32, 1, n/2+2)
			errs[i] = s.db.View(func(tx *bbolt.Tx) error {
				return forEachRecordIn(ctx, tx, recs, i, len(parts), func(m *memoryRecord, id uint64, r *indexRecord) {
					p.docs = append(p.docs, docInfo{id: id, src: r.src, tgt: r.tgt, ctx: r.ctx, chg: r.chg, mem: m.no, L: r.L, nW: r.nW})
					p.terms = append(p.terms, r.terms...)
					p.off = append(p.off, uint32(len(p.terms)))
					if len(p.off) == estimateAfter+1 {
						// Reserve for the rest at the rate so far (+10 %),
						// rather than copying the array as it doubles.
						want := len(p.terms) * (n/2 + 1) / estimateAfter * 11 / 10
						p.terms = slices.Grow(p.terms, want-len(p.terms))
					}
					p.maxL = max(p.maxL, int(r.L))
				})
			})
		})
	}
	wg.Wait()
	return parts, errors.Join(errs[:]...)
}

// orderByMemoryAndLength numbers the documents by memory, then by
// increasing source length (a counting sort), so that a lookup reads only
// the memories it searches and, in each, its length window: a range of
// document numbers in every postings list. It sets ix.parts and returns
// the old number of each new one.
func (ix *index) orderByMemoryAndLength(parts loadParts) []uint32 {
	maxMem := -1
	for _, p := range parts {
		for i := range p.docs {
			maxMem = max(maxMem, int(p.docs[i].mem))
		}
	}
	maxL := make([]int, maxMem+1) // per memory
	for _, p := range parts {
		for i := range p.docs {
			di := &p.docs[i]
			maxL[di.mem] = max(maxL[di.mem], int(di.L))
		}
	}
	// base[m] is where memory m's counts begin in start: one per length
	// 0..maxL[m], and one more.
	base := make([]int, maxMem+2)
	for m := range maxL {
		base[m+1] = base[m] + maxL[m] + 2
	}
	start := make([]uint32, base[maxMem+1]+1)
	for _, p := range parts {
		for i := range p.docs {
			di := &p.docs[i]
			start[base[di.mem]+int(di.L)+1]++
		}
	}
	for k := 1; k < len(start); k++ {
		start[k] += start[k-1]
	}
	ix.parts = make([]memPart, maxMem+1)
	for m := range ix.parts {
		ls := start[base[m] : base[m+1]-1]
		ix.parts[m] = memPart{start: ls[0], end: start[base[m+1]], lenStart: slices.Clone(ls)}
	}
	order := make([]uint32, parts.len())
	for old := range uint32(len(order)) {
		di := parts.doc(old)
		k := base[di.mem] + int(di.L)
		order[start[k]] = old
		start[k]++
	}
	return order
}

// fillDocs sets ix.docs in the order given and returns the (term,
// document) pairs of the postings, on two cores: the first half of the
// documents from the front, the second from the back.
func (ix *index) fillDocs(parts loadParts, order []uint32) []uint64 {
	total := len(order)
	ix.docs = make([]docInfo, total)
	pairs := make([]uint64, len(parts[0].terms)+len(parts[1].terms))
	half := total / 2
	var wg sync.WaitGroup
	wg.Go(func() {
		at := 0
		for d := 0; d < half; d++ {
			old := order[d]
			ix.docs[d] = *parts.doc(old)
			for _, t := range parts.termsOf(old) {
				pairs[at] = uint64(t)<<32 | uint64(d)
				at++
			}
		}
	})
	wg.Go(func() {
		at := len(pairs)
		for d := total - 1; d >= half; d-- {
			old := order[d]
			ix.docs[d] = *parts.doc(old)
			ts := parts.termsOf(old)
			at -= len(ts)
			for i, t := range ts {
				pairs[at+i] = uint64(t)<<32 | uint64(d)
			}
		}
	})
	wg.Wait()
	return pairs
}

func readMemories(tx *bbolt.Tx) ([]memoryRecord, error) {
	var recs []memoryRecord
	err := tx.Bucket(bucketMemories).ForEach(func(k, v []byte) error {
		m, err := decodeMemory(v)
		if err != nil {
			return fmt.Errorf("memory %q: %w", k, err)
		}
		recs = append(recs, m)
		return nil
	})
	return recs, err
}

// forEachRecord calls fn with every persisted index record of the given
// memories, in memory then id order. r is reused between calls.
func forEachRecord(ctx context.Context, tx *bbolt.Tx, recs []memoryRecord, fn func(m *memoryRecord, id uint64, r *indexRecord)) error {
	return forEachRecordIn(ctx, tx, recs, 0, 1, fn)
}

// forEachRecordIn is forEachRecord over part (0-based) of parts of each
// memory's blocks, split by block number, so that parts can be read by
// concurrent read transactions.
func forEachRecordIn(ctx context.Context, tx *bbolt.Tx, recs []memoryRecord, part, parts int, fn func(m *memoryRecord, id uint64, r *indexRecord)) error {
	idx := tx.Bucket(bucketIndex)
	var rec indexRecord
	for mi := range recs {
		m := &recs[mi]
		b := idx.Bucket([]byte(m.Name))
		if b == nil {
			continue
		}
		c := b.Cursor()
		fk, _ := c.First()
		lk, _ := c.Last()
		if fk == nil {
			continue
		}
		first, last := beUint64(fk), beUint64(lk)
		span := (last - first + 1 + uint64(parts) - 1) / uint64(parts)
		from, to := first+uint64(part)*span, first+uint64(part+1)*span // [from, to)
		var es []blockEntry
		for k, v := c.Seek(idKey(from)); k != nil && beUint64(k) < to; k, v = c.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			var err error
			if es, err = parseBlock(es[:0], v); err != nil {
				return fmt.Errorf("memory %q index block %x: %w", m.Name, k, err)
			}
			for _, e := range es {
				if err := decodeIndexRecord(e.rec, &rec); err != nil {
					return fmt.Errorf("memory %q unit %d: index record: %w", m.Name, e.id, err)
				}
				fn(m, e.id, &rec)
			}
		}
	}
	return nil
}

// buildPostings turns (term<<32 | document) pairs, appended in document
// order, into postings lists: a stable LSD radix sort on the term, then one
// slice per term carved from one backing array (capacity = length, so that
// a later append copies instead of overwriting the neighbour).
//
// It owns pairs: so that the peak stays near twice their size, the
// unsorted array is collected before the lists' backing is allocated.
func buildPostings(pairs []uint64) map[uint32][]uint32 {
	tmp := make([]uint64, len(pairs))
	radixPass(pairs, tmp, 32, 11)
	radixPass(tmp, pairs, 43, 11)
	radixPass(pairs, tmp, 54, 11)
	pairs, tmp = tmp, nil
	runtime.GC() // the arrays hold no pointers: only the map is marked
	backing := make([]uint32, len(pairs))
	distinct := 0
	for i := range pairs {
		if i == 0 || pairs[i]>>32 != pairs[i-1]>>32 {
			distinct++
		}
	}
	out := make(map[uint32][]uint32, distinct)
	start := 0
	for i, p := range pairs {
		backing[i] = uint32(p)
		if i == len(pairs)-1 || pairs[i+1]>>32 != p>>32 {
			out[uint32(p>>32)] = backing[start : i+1 : i+1]
			start = i + 1
		}
	}
	return out
}

// radixPass sorts src into dst by the bits bits at shift, stably. Passes
// of 11 bits (2048 buckets) keep the scattered writes cache-friendly.
func radixPass(src, dst []uint64, shift, bits uint) {
	mask := uint64(1)<<bits - 1
	count := make([]int, 1<<bits)
	for _, v := range src {
		count[(v>>shift)&mask]++
	}
	sum := 0
	for i, c := range count {
		count[i] = sum
		sum += c
	}
	for _, v := range src {
		k := (v >> shift) & mask
		dst[count[k]] = v
		count[k]++
	}
}

// buildTargetPostings builds the target-side postings on first use (target
// concordance): most servers never need them, and Open is faster without.
func (s *Store) buildTargetPostings(ctx context.Context) error {
	s.ix.mu.RLock()
	built := s.ix.tpost != nil
	s.ix.mu.RUnlock()
	if built {
		return nil
	}
	s.wmu.Lock() // no writes while we read the records and the index
	defer s.wmu.Unlock()
	if s.ix.tpost != nil {
		return nil
	}
	return s.db.View(func(tx *bbolt.Tx) error {
		recs, err := readMemories(tx)
		if err != nil {
			return err
		}
		// Documents are looked up by (memory, id): build a map from the
		// live documents of the index.
		type key struct {
			mem uint32
			id  uint64
		}
		s.ix.mu.RLock()
		docOf := make(map[key]uint32, s.ix.live)
		for d := range s.ix.docs {
			if di := &s.ix.docs[d]; di.mem != deletedMem {
				docOf[key{di.mem, di.id}] = uint32(d)
			}
		}
		s.ix.mu.RUnlock()
		var pairs []uint64
		err = forEachRecord(ctx, tx, recs, func(m *memoryRecord, id uint64, r *indexRecord) {
			d, ok := docOf[key{m.no, id}]
			if !ok {
				return
			}
			for _, t := range r.tterms {
				pairs = append(pairs, uint64(t)<<32|uint64(d))
			}
		})
		if err != nil {
			return err
		}
		// Documents come in memory/id order, not document order: sort
		// by document first so that each list ends up sorted.
		tmp := make([]uint64, len(pairs))
		radixPass(pairs, tmp, 0, 16)
		radixPass(tmp, pairs, 16, 16)
		tp := buildPostings(pairs)
		s.ix.mu.Lock()
		s.ix.tpost = tp
		s.ix.mu.Unlock()
		return nil
	})
}

func beUint64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[7]) | uint64(b[6])<<8 | uint64(b[5])<<16 | uint64(b[4])<<24 |
		uint64(b[3])<<32 | uint64(b[2])<<40 | uint64(b[1])<<48 | uint64(b[0])<<56
}
