package memory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/segment"
	"go.etcd.io/bbolt"
)

// Limits on what the store accepts.
const (
	maxQueryBytes = 64 << 10 // a query or unit segment, in bytes
	maxCodes      = 6400     // inline codes per segment (the private-use area)
)

// Store is the translation memory store. It is safe for concurrent use.
type Store struct {
	db  *bbolt.DB
	wmu sync.Mutex // serialises writes so the index applies them in order
	ix  *index

	mu    sync.RWMutex // guards names and nos
	names map[string]uint32
	nos   map[uint32]string
}

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
		ix := s.ix
		// Read the records in two halves on two cores, each in its own
		// read transaction.
		type part struct {
			docs  []docInfo
			terms []uint32
			off   []uint32
			maxL  int
			err   error
		}
		parts := make([]part, 2)
		var wg sync.WaitGroup
		for i := range parts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := &parts[i]
				p.docs = make([]docInfo, 0, n/2+1)
				p.terms = make([]uint32, 0, (n/2+1)*16)
				p.off = make([]uint32, 1, n/2+2)
				p.err = s.db.View(func(tx *bbolt.Tx) error {
					return forEachRecordIn(ctx, tx, recs, i, len(parts), func(m *memoryRecord, id uint64, r *indexRecord) {
						p.docs = append(p.docs, docInfo{id: id, src: r.src, tgt: r.tgt, ctx: r.ctx, chg: r.chg, mem: m.no, L: r.L, nW: r.nW})
						p.terms = append(p.terms, r.terms...)
						p.off = append(p.off, uint32(len(p.terms)))
						p.maxL = max(p.maxL, int(r.L))
					})
				})
			}()
		}
		wg.Wait()
		maxL := max(parts[0].maxL, parts[1].maxL)
		for _, p := range parts {
			if p.err != nil {
				return p.err
			}
		}
		// Old document numbers: part 0's, then part 1's.
		n0 := len(parts[0].docs)
		total := n0 + len(parts[1].docs)
		doc := func(old uint32) *docInfo {
			if int(old) < n0 {
				return &parts[0].docs[old]
			}
			return &parts[1].docs[int(old)-n0]
		}
		termsOf := func(old uint32) []uint32 {
			p, i := &parts[0], int(old)
			if i >= n0 {
				p, i = &parts[1], i-n0
			}
			return p.terms[p.off[i]:p.off[i+1]]
		}
		// Number the documents by increasing source length (a counting
		// sort), so that the length window of a lookup is a range of
		// document numbers in every postings list.
		start := make([]uint32, maxL+2)
		for _, p := range parts {
			for i := range p.docs {
				start[p.docs[i].L+1]++
			}
		}
		for l := 1; l < len(start); l++ {
			start[l] += start[l-1]
		}
		ix.lenStart = slices.Clone(start)
		order := make([]uint32, total)
		for old := range uint32(total) {
			l := doc(old).L
			order[start[l]] = old
			start[l]++
		}
		// Fill the documents and the (term, document) pairs on two
		// cores: the first half from the front, the second from the back.
		ix.docs = make([]docInfo, total)
		pairs := make([]uint64, len(parts[0].terms)+len(parts[1].terms))
		half := total / 2
		wg.Add(2)
		go func() {
			defer wg.Done()
			at := 0
			for d := 0; d < half; d++ {
				old := order[d]
				ix.docs[d] = *doc(old)
				for _, t := range termsOf(old) {
					pairs[at] = uint64(t)<<32 | uint64(d)
					at++
				}
			}
		}()
		go func() {
			defer wg.Done()
			at := len(pairs)
			for d := total - 1; d >= half; d-- {
				old := order[d]
				ix.docs[d] = *doc(old)
				ts := termsOf(old)
				at -= len(ts)
				for i, t := range ts {
					pairs[at+i] = uint64(t)<<32 | uint64(d)
				}
			}
		}()
		wg.Wait()
		parts, order = nil, nil
		ix.sortedN = uint32(len(ix.docs))
		// The postings and the exact-source chains are independent: build
		// them on two cores.
		done := make(chan struct{})
		go func() {
			defer close(done)
			ix.post = buildPostings(pairs)
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
		return nil
	})
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
func buildPostings(pairs []uint64) map[uint32][]uint32 {
	tmp := make([]uint64, len(pairs))
	radix11(pairs, tmp, 32)
	radix11(tmp, pairs, 43)
	radix11(pairs, tmp, 54)
	pairs, tmp = tmp, nil
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

// radix11 sorts src into dst by the 11 bits at shift, stably: 2048
// buckets keep the scattered writes cache-friendly.
func radix11(src, dst []uint64, shift uint) {
	var count [1 << 11]int
	for _, v := range src {
		count[(v>>shift)&0x7ff]++
	}
	sum := 0
	for i, c := range count {
		count[i] = sum
		sum += c
	}
	for _, v := range src {
		k := (v >> shift) & 0x7ff
		dst[count[k]] = v
		count[k]++
	}
}

// radix16 sorts src into dst by the 16 bits at shift, stably.
func radix16(src, dst []uint64, shift uint) {
	var count [1 << 16]int
	for _, v := range src {
		count[(v>>shift)&0xffff]++
	}
	sum := 0
	for i, c := range count {
		count[i] = sum
		sum += c
	}
	for _, v := range src {
		k := (v >> shift) & 0xffff
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
		radix16(pairs, tmp, 0)
		radix16(tmp, pairs, 16)
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

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func checkLang(field, lang, prefix string) error {
	l := strings.ToLower(lang)
	if l == prefix || (strings.HasPrefix(l, prefix+"-") && len(l) > len(prefix)+1) {
		return nil
	}
	return tolk.Invalidf(field, "language %q is not supported: use %q or %q followed by a region, such as %q", lang, prefix, prefix+"-XX", prefix+"-"+map[string]string{"nl": "NL", "en": "GB"}[prefix])
}

// CreateMemory creates a memory and returns it as stored. Name must be 1–64
// letters, digits, '.', '_' or '-' (starting with a letter or digit);
// SourceLang "nl" or "nl-XX", TargetLang "en" or "en-XX". It returns
// EINVALID for a bad field and EEXISTS when the name is taken.
func (s *Store) CreateMemory(ctx context.Context, m Memory) (Memory, error) {
	if !nameRE.MatchString(m.Name) {
		return Memory{}, tolk.Invalidf("name", "memory name %q is not valid: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", m.Name)
	}
	if err := checkLang("source_lang", m.SourceLang, "nl"); err != nil {
		return Memory{}, err
	}
	if err := checkLang("target_lang", m.TargetLang, "en"); err != nil {
		return Memory{}, err
	}
	if err := ctx.Err(); err != nil {
		return Memory{}, err
	}
	if m.Created.IsZero() {
		m.Created = time.Now()
	}
	m.Created = m.Created.UTC().Round(0)
	m.Units = 0
	rec := memoryRecord{Memory: m}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	err := s.db.Update(func(tx *bbolt.Tx) error {
		mems := tx.Bucket(bucketMemories)
		if mems.Get([]byte(m.Name)) != nil {
			return tolk.Reasonf(tolk.ReasonMemoryExists, "memory %q already exists", m.Name)
		}
		meta := tx.Bucket(bucketMeta)
		no := uint32(0)
		if v := meta.Get(keyMemSeq); len(v) == 8 {
			no = uint32(beUint64(v))
		}
		no++
		if no == deletedMem {
			return tolk.Errorf(tolk.ELIMIT, "too many memories have been created in this database")
		}
		if err := meta.Put(keyMemSeq, idKey(uint64(no))); err != nil {
			return err
		}
		rec.no = no
		if _, err := tx.Bucket(bucketUnits).CreateBucket([]byte(m.Name)); err != nil {
			return err
		}
		if _, err := tx.Bucket(bucketIndex).CreateBucket([]byte(m.Name)); err != nil {
			return err
		}
		return mems.Put([]byte(m.Name), encodeMemory(&rec))
	})
	if err != nil {
		return Memory{}, fmt.Errorf("creating memory %q: %w", m.Name, err)
	}
	s.mu.Lock()
	s.names[m.Name] = rec.no
	s.nos[rec.no] = m.Name
	s.mu.Unlock()
	return m, nil
}

// Memories returns every memory, sorted by name.
func (s *Store) Memories(ctx context.Context) ([]Memory, error) {
	var out []Memory
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketMemories).ForEach(func(k, v []byte) error {
			m, err := decodeMemory(v)
			if err != nil {
				return fmt.Errorf("memory %q: %w", k, err)
			}
			out = append(out, m.Memory)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("listing memories: %w", err)
	}
	return out, nil
}

// Memory returns the named memory, or ENOTFOUND.
func (s *Store) Memory(ctx context.Context, name string) (Memory, error) {
	var m memoryRecord
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		m, err = getMemory(tx, name)
		return err
	})
	if err != nil {
		return Memory{}, err
	}
	return m.Memory, nil
}

func getMemory(tx *bbolt.Tx, name string) (memoryRecord, error) {
	v := tx.Bucket(bucketMemories).Get([]byte(name))
	if v == nil {
		return memoryRecord{}, tolk.Reasonf(tolk.ReasonMemoryNotFound, "memory %q does not exist", name)
	}
	m, err := decodeMemory(v)
	if err != nil {
		return m, fmt.Errorf("memory %q: %w", name, err)
	}
	return m, nil
}

// DeleteMemory deletes a memory with all its units, or returns ENOTFOUND.
func (s *Store) DeleteMemory(ctx context.Context, name string) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	var no uint32
	err := s.db.Update(func(tx *bbolt.Tx) error {
		m, err := getMemory(tx, name)
		if err != nil {
			return err
		}
		no = m.no
		for _, b := range [][]byte{bucketUnits, bucketIndex} {
			if err := tx.Bucket(b).DeleteBucket([]byte(name)); err != nil && !errors.Is(err, bbolt.ErrBucketNotFound) {
				return err
			}
		}
		return tx.Bucket(bucketMemories).Delete([]byte(name))
	})
	if err != nil {
		return fmt.Errorf("deleting memory %q: %w", name, err)
	}
	s.ix.apply(&indexDelta{dropMem: []uint32{no}})
	s.mu.Lock()
	delete(s.names, name)
	delete(s.nos, no)
	s.mu.Unlock()
	return nil
}

// checkUnit validates a unit to be added; i is its position in the batch.
func checkUnit(i int, u *Unit) error {
	field := func(f string) string { return fmt.Sprintf("units[%d].%s", i, f) }
	if strings.TrimSpace(u.Source) == "" {
		return tolk.Invalidf(field("source"), "the source text is empty")
	}
	if strings.TrimSpace(u.Target) == "" {
		return tolk.Invalidf(field("target"), "the target text is empty")
	}
	for _, f := range []struct {
		name  string
		text  string
		codes []Code
	}{{"source", u.Source, u.SourceCodes}, {"target", u.Target, u.TargetCodes}} {
		if err := checkLength(field(f.name), f.text); err != nil {
			return err
		}
		if len(f.codes) > maxCodes {
			return tolk.Invalidf(field(f.name+"_codes"), "%d inline codes; the limit is %d", len(f.codes), maxCodes)
		}
		for _, r := range f.text {
			if segment.IsCodeRune(r) && int(r-segment.CodeBase) >= len(f.codes) {
				return tolk.Invalidf(field(f.name), "the text refers to inline code %d but has only %d codes", r-segment.CodeBase, len(f.codes))
			}
		}
	}
	if u.UsageCount < 0 {
		return tolk.Invalidf(field("usage_count"), "the usage count is negative")
	}
	if u.Penalty < 0 || u.Penalty > 100 {
		return tolk.Invalidf(field("penalty"), "penalty %d is out of range: use 0 to 100 score points", u.Penalty)
	}
	return nil
}

// pendingUnit is a unit written earlier in the same Add call.
type pendingUnit struct {
	id                 uint64
	source, prev, next string
	target             string
	changed            time.Time
	add                int // index in the delta's adds
}

// Add writes units to the named memory in one transaction and updates the
// index with them. A unit with the same source and context (previous and
// next source) as one already there is handled by p. ID and Memory of the
// given units are ignored; Created and Changed default to now; dates are
// kept in UTC to the second. It returns
// ENOTFOUND for an unknown memory and EINVALID, naming the unit, for an
// empty source or target or a code rune without its code; then nothing is
// written.
func (s *Store) Add(ctx context.Context, memory string, units []Unit, p Policy) (AddResult, error) {
	if p < Overwrite || p > KeepNewer {
		return AddResult{}, tolk.Invalidf("policy", "unknown update policy %d", p)
	}
	for i := range units {
		if err := checkUnit(i, &units[i]); err != nil {
			return AddResult{}, err
		}
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	now := time.Now().UTC().Truncate(time.Second)
	var res AddResult
	var delta indexDelta
	err := s.db.Update(func(tx *bbolt.Tx) error {
		res = AddResult{IDs: make([]uint64, len(units))}
		delta = indexDelta{}
		m, err := getMemory(tx, memory)
		if err != nil {
			return err
		}
		ub := tx.Bucket(bucketUnits).Bucket([]byte(memory))
		ib := tx.Bucket(bucketIndex).Bucket([]byte(memory))
		if ub == nil || ib == nil {
			return fmt.Errorf("memory %q has no unit bucket", memory)
		}
		pending := map[uint64][]pendingUnit{}
		removed := map[uint64]bool{}
		bw := newBlockWriter(ib)
		var buf, ibuf []byte
		var ar arena
		var src, tgt prepared
		s.ix.mu.RLock()
		defer s.ix.mu.RUnlock()
		for i := range units {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			u := units[i]
			u.Memory = memory
			if u.Created.IsZero() {
				u.Created = now
			}
			if u.Changed.IsZero() {
				u.Changed = u.Created
			}
			u.Created, u.Changed, u.LastUsed = seconds(u.Created), seconds(u.Changed), seconds(u.LastUsed)
			prepareInto(&src, u.Source, false)
			prepareInto(&tgt, u.Target, false)
			rec := makeIndexRecord(&u, &src, &tgt)

			// Look for units with the same source and context: those
			// written earlier in this call, then those in the index.
			var existing *Unit
			var existingPending *pendingUnit
			sameTarget := false
			for k := range pending[rec.src] {
				pu := &pending[rec.src][k]
				if pu.source == u.Source && pu.prev == u.PrevSource && pu.next == u.NextSource {
					if existing == nil {
						existingPending = pu
						existing = &Unit{ID: pu.id, Target: pu.target, Changed: pu.changed}
					}
					if pu.target == u.Target {
						sameTarget = true
						existing = &Unit{ID: pu.id, Target: pu.target, Changed: pu.changed}
					}
				}
			}
			if existing == nil || (p == KeepBoth && !sameTarget) {
				for d := s.ix.exact[rec.src]; d != 0; d = s.ix.docs[d-1].next {
					di := &s.ix.docs[d-1]
					if di.mem != m.no || di.ctx != rec.ctx || removed[di.id] || (p == KeepBoth && di.tgt != rec.tgt) {
						continue
					}
					v := ub.Get(idKey(di.id))
					if v == nil {
						continue
					}
					var eu Unit
					if err := decodeUnit(v, &eu); err != nil {
						return fmt.Errorf("unit %d: %w", di.id, err)
					}
					if eu.Source == u.Source && eu.PrevSource == u.PrevSource && eu.NextSource == u.NextSource {
						eu.ID = di.id
						if existing == nil {
							existing = &eu
						}
						if eu.Target == u.Target {
							sameTarget = true
							existing = &eu
							break
						}
						if p != KeepBoth {
							break
						}
					}
				}
			}
			if existing != nil {
				skip := false
				switch p {
				case KeepBoth:
					skip = sameTarget
					if !skip {
						existing, existingPending = nil, nil
					}
				case KeepNewer:
					skip = !u.Changed.After(existing.Changed)
				}
				if skip {
					res.Skipped++
					res.IDs[i] = existing.ID
					continue
				}
			}
			if existing != nil {
				// Overwrite, keeping id and creation.
				u.ID = existing.ID
				if existingPending == nil && !existing.Created.IsZero() {
					u.Created = existing.Created
					if u.UsageCount == 0 {
						u.UsageCount = existing.UsageCount
						u.LastUsed = existing.LastUsed
					}
					if u.CreatedBy == "" {
						u.CreatedBy = existing.CreatedBy
					}
				}
				res.Updated++
			} else {
				id, err := ub.NextSequence()
				if err != nil {
					return err
				}
				u.ID = id
				res.Added++
			}
			res.IDs[i] = u.ID
			buf = encodeUnit(buf[:0], &u)
			if err := ub.Put(idKey(u.ID), ar.copy(buf)); err != nil {
				return err
			}
			ibuf = encodeIndexRecord(ibuf[:0], &rec)
			bw.put(u.ID, ar.copy(ibuf))
			pu := pendingUnit{id: u.ID, source: u.Source, prev: u.PrevSource, next: u.NextSource, target: u.Target, changed: u.Changed}
			switch {
			case existingPending != nil:
				delta.adds[existingPending.add].rec = rec
				pu.add = existingPending.add
				*existingPending = pu
			default:
				if existing != nil {
					delta.removes = append(delta.removes, docRef{mem: m.no, id: u.ID, src: rec.src})
					removed[u.ID] = true
				}
				pu.add = len(delta.adds)
				delta.adds = append(delta.adds, docAdd{mem: m.no, id: u.ID, rec: rec})
				pending[rec.src] = append(pending[rec.src], pu)
			}
		}
		if err := bw.flush(); err != nil {
			return err
		}
		m.Units += res.Added
		return tx.Bucket(bucketMemories).Put([]byte(memory), encodeMemory(&m))
	})
	if err != nil {
		return AddResult{}, fmt.Errorf("adding units to memory %q: %w", memory, err)
	}
	s.ix.apply(&delta)
	return res, nil
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
	err := s.db.Update(func(tx *bbolt.Tx) error {
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

// seconds returns t in UTC to the second, the precision of stored dates.
func seconds(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

// RecordUsage adds one use at time at to each listed unit: UsageCount is
// incremented and LastUsed set. Ids that no longer exist are ignored (a
// unit may be deleted between a lookup and its use). It returns ENOTFOUND
// for an unknown memory.
func (s *Store) RecordUsage(ctx context.Context, memory string, ids []uint64, at time.Time) error {
	at = seconds(at)
	s.wmu.Lock()
	defer s.wmu.Unlock()
	err := s.db.Update(func(tx *bbolt.Tx) error {
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

// memoryNos resolves names (empty: all memories) to an allowed table
// indexed by memory number, holding each one's priority (position in
// names, 0 for all when names is empty) or -1.
func (s *Store) memoryNos(names []string) ([]int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	maxNo := uint32(0)
	for no := range s.nos {
		maxNo = max(maxNo, no)
	}
	allowed := make([]int, maxNo+1)
	for i := range allowed {
		allowed[i] = -1
	}
	if len(names) == 0 {
		for no := range s.nos {
			allowed[no] = 0
		}
		return allowed, nil
	}
	for i, n := range names {
		no, ok := s.names[n]
		if !ok {
			return nil, tolk.Reasonf(tolk.ReasonMemoryNotFound, "memory %q does not exist", n)
		}
		if allowed[no] < 0 {
			allowed[no] = i
		}
	}
	return allowed, nil
}

// memoryOrder lists memory names in the order results are given: names as
// asked, or all sorted.
func (s *Store) memoryOrder(names []string) []string {
	if len(names) > 0 {
		return names
	}
	s.mu.RLock()
	out := make([]string, 0, len(s.names))
	for n := range s.names {
		out = append(out, n)
	}
	s.mu.RUnlock()
	sort.Strings(out)
	return out
}
