package memory

import (
	"encoding/binary"
	"slices"
	"sync"
)

// deletedMem marks a deleted document in docInfo.mem.
const deletedMem = ^uint32(0)

// docInfo is what the in-memory index knows of one stored unit.
type docInfo struct {
	id   uint64
	src  uint64 // prepared.key of the source
	tgt  uint64 // prepared.key of the target
	ctx  uint64 // contextKey: raw source and context
	chg  int64  // lastChange of the unit (for ranking before reading)
	mem  uint32 // memory number, deletedMem once deleted
	L    uint32 // weighted length of the source
	nW   uint32 // number of word tokens of the source
	next uint32 // next document with the same src key, plus one (0: none)
}

// indexRecord is the persisted form of a docInfo with its terms, so that
// Open can rebuild the index without tokenizing every unit again.
type indexRecord struct {
	src, tgt uint64
	ctx      uint64 // contextKey of the unit
	chg      int64  // lastChange of the unit
	L, nW    uint32
	terms    []uint32 // source word terms (wordTerms)
	tterms   []uint32 // distinct target word terms (distinctTerms)
}

func encodeIndexRecord(b []byte, r *indexRecord) []byte {
	b = append(b, 3)
	b = binary.LittleEndian.AppendUint64(b, r.src)
	b = binary.LittleEndian.AppendUint64(b, r.tgt)
	b = binary.LittleEndian.AppendUint64(b, r.ctx)
	b = binary.AppendVarint(b, r.chg)
	b = binary.AppendUvarint(b, uint64(r.L))
	b = binary.AppendUvarint(b, uint64(r.nW))
	b = binary.AppendUvarint(b, uint64(len(r.terms)))
	for _, t := range r.terms {
		b = binary.LittleEndian.AppendUint32(b, t)
	}
	b = binary.AppendUvarint(b, uint64(len(r.tterms)))
	for _, t := range r.tterms {
		b = binary.LittleEndian.AppendUint32(b, t)
	}
	return b
}

// decodeIndexRecord decodes b into r, reusing r's slices.
func decodeIndexRecord(b []byte, r *indexRecord) error {
	if len(b) < 25 || b[0] != 3 {
		return errCorrupt
	}
	r.src = binary.LittleEndian.Uint64(b[1:])
	r.tgt = binary.LittleEndian.Uint64(b[9:])
	r.ctx = binary.LittleEndian.Uint64(b[17:])
	b = b[25:]
	chg, n := binary.Varint(b)
	if n <= 0 {
		return errCorrupt
	}
	r.chg = chg
	b = b[n:]
	var vals [3]uint64
	for i := range vals {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return errCorrupt
		}
		vals[i] = v
		b = b[n:]
	}
	r.L, r.nW = uint32(vals[0]), uint32(vals[1])
	var err error
	if r.terms, b, err = decodeTerms(r.terms[:0], b, vals[2]); err != nil {
		return err
	}
	v, n := binary.Uvarint(b)
	if n <= 0 {
		return errCorrupt
	}
	r.tterms, _, err = decodeTerms(r.tterms[:0], b[n:], v)
	return err
}

func decodeTerms(dst []uint32, b []byte, n uint64) ([]uint32, []byte, error) {
	if n*4 > uint64(len(b)) {
		return dst, b, errCorrupt
	}
	for i := uint64(0); i < n; i++ {
		dst = append(dst, binary.LittleEndian.Uint32(b[i*4:]))
	}
	return dst, b[n*4:], nil
}

// contextKey hashes a unit's raw source and context: units with the same
// key are candidates for the update policy (confirmed on the text).
func contextKey(u *Unit) uint64 {
	h := uint64(fnvOffset)
	for _, s := range [...]string{u.Source, u.PrevSource, u.NextSource} {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * fnvPrime
		}
		h = (h ^ 0xff) * fnvPrime
	}
	return h
}

// makeIndexRecord prepares a unit's source and target for the index.
func makeIndexRecord(u *Unit, src, tgt *prepared) indexRecord {
	r := indexRecord{src: src.key, tgt: tgt.key, ctx: contextKey(u), chg: lastChange(u), L: uint32(src.L), nW: uint32(src.nW)}
	r.terms = wordTerms(nil, src.toks)
	r.tterms = distinctTerms(nil, tgt.toks)
	return r
}

// index is the in-memory inverted index over every stored unit. Postings
// are sorted document numbers; documents are never renumbered while the
// store is open (a deleted one is marked, an updated one deleted and added
// anew), and Open rebuilds a compact index.
type index struct {
	mu    sync.RWMutex
	docs  []docInfo
	post  map[uint32][]uint32 // source word term → documents
	tpost map[uint32][]uint32 // distinct target word term → documents; nil until first needed
	exact map[uint64]uint32   // source key → newest document with it, plus one
	// bits holds a bitmap of the documents of every frequent source term
	// (see frequent), so that candidates tests a document against its
	// list in one step instead of a binary search.
	bits map[uint32][]uint64
	live int
	// Documents [0, sortedN) were numbered by Open in order of memory,
	// then source length: parts[m] holds memory m's documents, so that a
	// lookup reads of each postings list only the memories it searches,
	// and in each only its length window. Later documents are appended in
	// any order.
	sortedN uint32
	parts   []memPart // by memory number
}

// memPart is one memory's documents among those Open numbered: [start,
// end), with lenStart[L] the first of them with source length >= L.
type memPart struct {
	start, end uint32
	lenStart   []uint32
}

// docRange is a range [lo, hi) of document numbers.
type docRange struct{ lo, hi uint32 }

func newIndex() *index {
	return &index{
		post:  make(map[uint32][]uint32),
		exact: make(map[uint64]uint32),
		bits:  make(map[uint32][]uint64),
	}
}

// frequent reports whether a term in n of the index's docs documents gets
// a bitmap: one no larger than its postings list, and not for short lists,
// where a binary search is as quick.
func frequent(n, docs int) bool { return n >= 256 && 32*n >= docs }

// buildBits makes the bitmaps of the frequent terms. The caller owns ix.
func (ix *index) buildBits() {
	ix.bits = make(map[uint32][]uint64)
	for t, l := range ix.post {
		if frequent(len(l), len(ix.docs)) {
			ix.bits[t] = bitmapOf(l, len(ix.docs))
		}
	}
}

func bitmapOf(l []uint32, n int) []uint64 {
	b := make([]uint64, (n+63)/64)
	for _, d := range l {
		b[d/64] |= 1 << (d % 64)
	}
	return b
}

// setBit sets bit d of b, growing it as needed.
func setBit(b []uint64, d uint32) []uint64 {
	for int(d/64) >= len(b) {
		b = append(b, 0)
	}
	b[d/64] |= 1 << (d % 64)
	return b
}

// hasBit reports whether bit d of b is set.
func hasBit(b []uint64, d uint32) bool {
	return int(d/64) < len(b) && b[d/64]&(1<<(d%64)) != 0
}

// add appends a document. The caller holds mu for writing (or owns ix).
func (ix *index) add(mem uint32, id uint64, r *indexRecord) uint32 {
	d := uint32(len(ix.docs))
	ix.docs = append(ix.docs, docInfo{id: id, src: r.src, tgt: r.tgt, ctx: r.ctx, chg: r.chg, mem: mem, L: r.L, nW: r.nW, next: ix.exact[r.src]})
	ix.exact[r.src] = d + 1
	for _, t := range r.terms {
		l := append(ix.post[t], d)
		ix.post[t] = l
		if b, ok := ix.bits[t]; ok {
			// A term that was frequent in a smaller index keeps its
			// bitmap until it falls to half the threshold, so that a
			// bitmap never takes more than twice its list's memory and
			// a term near the threshold is not rebuilt again and again.
			if 64*len(l) < len(ix.docs) {
				delete(ix.bits, t)
			} else {
				ix.bits[t] = setBit(b, d)
			}
		} else if frequent(len(l), len(ix.docs)) {
			ix.bits[t] = bitmapOf(l, len(ix.docs))
		}
	}
	if ix.tpost != nil {
		for _, t := range r.tterms {
			ix.tpost[t] = append(ix.tpost[t], d)
		}
	}
	ix.live++
	return d
}

// ranges appends to dst the ranges of the sorted documents of the allowed
// memories (allowed[m] >= 0) whose lengths lie in [luMin, luMax], in
// increasing order.
func (ix *index) ranges(allowed []int, luMin, luMax int, dst []docRange) []docRange {
	for m := range min(len(allowed), len(ix.parts)) {
		p := &ix.parts[m]
		if allowed[m] < 0 || p.start == p.end {
			continue
		}
		at := func(l int) uint32 {
			switch {
			case l <= 0:
				return p.start
			case l >= len(p.lenStart):
				return p.end
			}
			return p.lenStart[l]
		}
		if r := (docRange{at(luMin), at(luMax + 1)}); r.lo < r.hi {
			dst = append(dst, r)
		}
	}
	return dst
}

// window appends to dst the parts of l to read: the documents in each of
// rs (in increasing order) and those after sortedN.
func (ix *index) window(l []uint32, rs []docRange, dst [][]uint32) [][]uint32 {
	rest := l
	for _, r := range rs {
		a, _ := slices.BinarySearch(rest, r.lo)
		rest = rest[a:]
		b, _ := slices.BinarySearch(rest, r.hi)
		if b > 0 {
			dst = append(dst, rest[:b])
		}
		rest = rest[b:]
	}
	c, _ := slices.BinarySearch(rest, ix.sortedN)
	if c < len(rest) {
		dst = append(dst, rest[c:])
	}
	return dst
}

// find returns the live document of (mem, id) with source key src.
func (ix *index) find(mem uint32, id uint64, src uint64) (uint32, bool) {
	for d := ix.exact[src]; d != 0; d = ix.docs[d-1].next {
		di := &ix.docs[d-1]
		if di.mem == mem && di.id == id {
			return d - 1, true
		}
	}
	return 0, false
}

func (ix *index) remove(d uint32) {
	if ix.docs[d].mem != deletedMem {
		ix.docs[d].mem = deletedMem
		ix.live--
	}
}

// indexDelta is what one write transaction changes in the index, applied
// after the transaction commits.
type indexDelta struct {
	removes []docRef
	adds    []docAdd
	dropMem []uint32
}

type docRef struct {
	mem uint32
	id  uint64
	src uint64
}

type docAdd struct {
	mem uint32
	id  uint64
	rec indexRecord
}

func (ix *index) apply(dl *indexDelta) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, r := range dl.removes {
		if d, ok := ix.find(r.mem, r.id, r.src); ok {
			ix.remove(d)
		}
	}
	for i := range dl.adds {
		a := &dl.adds[i]
		ix.add(a.mem, a.id, &a.rec)
	}
	for _, m := range dl.dropMem {
		for d := range ix.docs {
			if ix.docs[d].mem == m {
				ix.remove(uint32(d))
			}
		}
	}
}

// candidate is a document that may reach the minimum score, with an
// upper bound of its score.
type candidate struct {
	doc uint32
	ub  uint8
}

// bound returns an upper bound of the score of document d against q, given
// that they share c word terms: the similarity left by the cost's lower
// bounds (length difference, unmatched words); when those leave no cost,
// 101 if the source may be identical (same folded key), else 99.
func (ix *index) bound(q *prepared, d uint32, c int) uint8 {
	di := &ix.docs[d]
	lu := int(di.L)
	lb := max(lu-q.L, q.L-lu, weightWord*(max(q.nW, int(di.nW))-c))
	if lb <= 0 {
		if di.src != q.key {
			return 99
		}
		return 101
	}
	m := max(q.L, lu)
	return uint8(max(0, min(99, 100*(m-lb)/m)))
}

// counterPool holds per-lookup counter arrays, one uint16 per document
// (queries have fewer than 65536 words: see MaxTextBytes).
var counterPool = sync.Pool{New: func() any { return new(counters) }}

type counters struct {
	c       []uint16
	touched []uint32
}

func (c *counters) reset(n int) {
	if cap(c.c) < n {
		c.c = make([]uint16, n+n/4)
	}
	c.c = c.c[:n]
}

func (c *counters) clear() {
	for _, d := range c.touched {
		c.c[d] = 0
	}
	c.touched = c.touched[:0]
}

// candidates returns the documents that may reach minScore against q, in
// allowed memories (allowed[mem] >= 0): a superset of those that do. The
// caller holds mu for reading.
//
// The bound: every query word not matched by an equal (folded) word of the
// unit costs at least weightWord, so a unit needs c shared word terms with
// weightWord*(max(nWq,nWu)-c) <= maxCost(Lq, Lu, min); and the length
// difference |Lq-Lu| is itself a lower bound of the cost. The rarest lists
// are scanned with counts (ScanCount), the longest probed for the few
// candidates left (DivideSkip: a bit test for a frequent term, else a
// binary search), choosing the split of least estimated cost.
func (ix *index) candidates(q *prepared, minScore int, allowed []int, dst []candidate) []candidate {
	lq := q.L
	luMax := 100 * lq / minScore
	luMin := (minScore*lq + 99) / 100
	mMax := max(lq, luMax)
	t := q.nW - (100-minScore)*mMax/(100*weightWord)

	ok := func(d uint32, c int) bool {
		di := &ix.docs[d]
		if di.mem == deletedMem || int(di.mem) >= len(allowed) || allowed[di.mem] < 0 {
			return false
		}
		lu := int(di.L)
		if lu < luMin || lu > luMax {
			return false
		}
		mc := maxCost(lq, lu, minScore)
		if lu-lq > mc || lq-lu > mc {
			return false
		}
		return weightWord*(max(q.nW, int(di.nW))-c) <= mc
	}

	if t <= 0 {
		// Too few words to require one in common: scan every document,
		// counting shared terms for the exact bound.
		cnt := counterPool.Get().(*counters)
		cnt.reset(len(ix.docs))
		rs := ix.ranges(allowed, luMin, luMax, nil)
		var segs [][]uint32
		for _, tm := range q.terms {
			segs = ix.window(ix.post[tm], rs, segs[:0])
			for _, seg := range segs {
				for _, d := range seg {
					if cnt.c[d] == 0 {
						cnt.touched = append(cnt.touched, d)
					}
					cnt.c[d]++
				}
			}
		}
		for _, r := range rs {
			for d := r.lo; d < r.hi; d++ {
				if ok(d, int(cnt.c[d])) {
					dst = append(dst, candidate{d, ix.bound(q, d, int(cnt.c[d]))})
				}
			}
		}
		for d := ix.sortedN; d < uint32(len(ix.docs)); d++ {
			if ok(d, int(cnt.c[d])) {
				dst = append(dst, candidate{d, ix.bound(q, d, int(cnt.c[d]))})
			}
		}
		cnt.clear()
		counterPool.Put(cnt)
		return dst
	}

	// Each list is read only in the searched memories' length windows
	// and the documents added since Open.
	type list struct {
		full []uint32
		segs [][]uint32
		n    int      // postings in segs
		bits []uint64 // nil for a term that is not frequent
	}
	rs := ix.ranges(allowed, luMin, luMax, nil)
	ls := make([]list, len(q.terms))
	for i, tm := range q.terms {
		l := ix.post[tm]
		segs := ix.window(l, rs, nil)
		n := 0
		for _, sg := range segs {
			n += len(sg)
		}
		ls[i] = list{l, segs, n, ix.bits[tm]}
	}
	slices.SortFunc(ls, func(x, y list) int { return x.n - y.n })
	// Choose L, the number of longest lists to probe rather than scan:
	// 0 <= L <= t-1. A candidate must appear in at least t-L short lists.
	// Costs are in postings scanned: a candidate costs candCost, and
	// each probe a bitmap test or a binary search with cache misses.
	const candCost, bitCost, searchCost = 8, 4, 64
	bestL, bestCost := 0, -1
	short, probe := 0, 0
	for _, l := range ls {
		short += l.n
	}
	for L := 0; L <= t-1 && L < len(ls); L++ {
		if L > 0 {
			x := &ls[len(ls)-L]
			short -= x.n
			if x.bits != nil {
				probe += bitCost
			} else {
				probe += searchCost
			}
		}
		cand := short / (t - L)
		cost := short + cand*(candCost+probe)
		if bestCost < 0 || cost < bestCost {
			bestL, bestCost = L, cost
		}
	}
	nShort := len(ls) - bestL
	need := t - bestL
	cnt := counterPool.Get().(*counters)
	cnt.reset(len(ix.docs))
	var found []uint32
	var segs [][]uint32
	for _, sl := range ls[:nShort] {
		segs = append(segs, sl.segs...)
	}
	for _, seg := range segs {
		for _, d := range seg {
			c := cnt.c[d] + 1
			cnt.c[d] = c
			if c == 1 {
				cnt.touched = append(cnt.touched, d)
			}
			if int(c) == need {
				// Cheap filters first: deleted, memory, length.
				di := &ix.docs[d]
				if di.mem == deletedMem || int(di.mem) >= len(allowed) || allowed[di.mem] < 0 {
					continue
				}
				if lu := int(di.L); lu < luMin || lu > luMax {
					continue
				}
				found = append(found, d)
			}
		}
	}
	long := ls[nShort:]
	for _, d := range found {
		c := int(cnt.c[d])
		// The document's own bound: it needs needD shared words.
		di := &ix.docs[d]
		mc := maxCost(lq, int(di.L), minScore)
		needD := max(q.nW, int(di.nW)) - mc/weightWord
		for i := range long {
			if c+len(long)-i < needD {
				break
			}
			l := &long[i]
			var hit bool
			if l.bits != nil {
				hit = hasBit(l.bits, d)
			} else {
				_, hit = slices.BinarySearch(l.full, d)
			}
			if hit {
				c++
			}
		}
		if c >= needD && ok(d, c) {
			dst = append(dst, candidate{d, ix.bound(q, d, c)})
		}
	}
	cnt.clear()
	counterPool.Put(cnt)
	return dst
}
