package memory

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/tolkdev/tolk"
	"go.etcd.io/bbolt"
)

// Score bounds and defaults.
const (
	DefaultMinScore = 70
	LowestMinScore  = 50
	HighestMinScore = 101
	DefaultLimit    = 5
)

// CheckMinScore checks a wanted minimum score, given in the named field:
// LowestMinScore to HighestMinScore, or 0 for DefaultMinScore.
func CheckMinScore(field string, score int) error {
	if score != 0 && (score < LowestMinScore || score > HighestMinScore) {
		return tolk.Invalidf(field, "%d is out of range: use %d to %d (0 means %d)", score, LowestMinScore, HighestMinScore, DefaultMinScore)
	}
	return nil
}

// checkLength refuses a query or unit text, given in the named field, that
// is longer than the index takes: an ELIMIT TEXT_TOO_LONG error.
func checkLength(field, text string) error {
	if len(text) > MaxTextBytes {
		return &tolk.Error{Code: tolk.ELIMIT, Reason: tolk.ReasonTextTooLong, Field: field,
			Message: fmt.Sprintf("%d bytes is more than the limit of %d (MaxTextBytes)", len(text), MaxTextBytes)}
	}
	return nil
}

func normQuery(q Query) (Query, error) {
	if strings.TrimSpace(q.Text) == "" {
		return q, tolk.Invalidf("text", "the query text is empty")
	}
	if err := checkLength("text", q.Text); err != nil {
		return q, err
	}
	if err := CheckMinScore("min_score", q.MinScore); err != nil {
		return q, err
	}
	if q.MinScore == 0 {
		q.MinScore = DefaultMinScore
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	if q.Limit < 0 || q.Limit > MaxLimit {
		return q, tolk.Invalidf("limit", "%d is out of range: use 1 to %d (0 means %d)", q.Limit, MaxLimit, DefaultLimit)
	}
	return q, nil
}

// scored is a match before sorting.
type scored struct {
	Match
	prio int
	mem  uint32
}

// rank is what orders matches: see compareRank.
type rank struct {
	score   int
	prio    int    // the memory's position in Query.Memories
	changed int64  // lastChange of the unit (the store keeps seconds)
	mem     uint32 // the memory's number, in creation order
	id      uint64
}

func (m *scored) rank() rank {
	return rank{m.Score, m.prio, lastChange(&m.Unit), m.mem, m.Unit.ID}
}

// compareRank is the one order of matches (SCORING.md §4), negative when
// a ranks before b: higher score, then higher memory priority (lower
// position), then more recently changed (lastChange: a unit without a
// change date by its creation date, one with neither after every dated
// one), then memory in creation order, then lower id. Lookup's early stop ranks candidates by the best score
// they could reach with this same function, which is what keeps it
// lossless.
func compareRank(a, b rank) int {
	if c := cmp.Compare(b.score, a.score); c != 0 {
		return c
	}
	if c := cmp.Compare(a.prio, b.prio); c != 0 {
		return c
	}
	if c := cmp.Compare(b.changed, a.changed); c != 0 {
		return c
	}
	if c := cmp.Compare(a.mem, b.mem); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// Lookup returns the units whose source is similar to q.Text, best first:
// every unit in the searched memories whose score (SCORING.md) reaches
// q.MinScore, up to q.Limit of them. It returns EINVALID for a bad query and
// ENOTFOUND for an unknown memory.
func (s *Store) Lookup(ctx context.Context, q Query) ([]Match, error) {
	return s.lookup(ctx, q, false)
}

// LookupScan is Lookup done by scoring every unit of the searched memories,
// without the index or its bounds. It returns the same matches as Lookup,
// only much more slowly: it exists to verify the index and to measure it.
func (s *Store) LookupScan(ctx context.Context, q Query) ([]Match, error) {
	return s.lookup(ctx, q, true)
}

// lookup runs a lookup through the index, or with brute a scan of every
// unit that uses neither the index nor its bounds (the reference the index
// is tested and benchmarked against).
func (s *Store) lookup(ctx context.Context, q Query, brute bool) ([]Match, error) {
	q, err := normQuery(q)
	if err != nil {
		return nil, err
	}
	allowed, err := s.memoryNos(q.Memories)
	if err != nil {
		return nil, err
	}
	scratch := scratchPool.Get().(*scratch)
	defer scratchPool.Put(scratch)
	qp := &scratch.qp
	prepareInto(qp, q.Text, true)
	if len(qp.toks) == 0 {
		return nil, tolk.Invalidf("text", "the query has no words, numbers or punctuation")
	}
	var out []scored
	err = s.db.View(func(tx *bbolt.Tx) error {
		s.ix.mu.RLock()
		defer s.ix.mu.RUnlock()
		sc := scorer{s: s, tx: tx, q: &q, qp: qp, allowed: allowed, buckets: map[uint32]*bbolt.Bucket{}, multis: map[uint64]int{}, up: scratch.up}
		defer func() { scratch.up = sc.up }()
		if brute {
			return sc.brute(ctx, &out)
		}
		var cands []candidate
		if q.MinScore >= 100 {
			cands = s.exactCandidates(qp, allowed)
		} else {
			cands = s.ix.candidates(qp, q.MinScore, allowed, nil)
		}
		var buckets [102][]ranked
		sc.rankBuckets(cands, &buckets)
		return sc.scan(ctx, &buckets, &out)
	})
	if err != nil {
		return nil, fmt.Errorf("lookup: %w", err)
	}
	return finish(qp, out, q.Limit), nil
}

// scratch holds the prepared query and candidate of one lookup. Their
// slices are pooled: a lookup's are some kilobytes, and a batch of
// lookups would otherwise allocate them afresh for every segment. Nothing
// a lookup returns refers to them.
type scratch struct{ qp, up prepared }

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// exactCandidates lists the live units of the allowed memories whose
// source has qp's key. The caller holds ix.mu.
func (s *Store) exactCandidates(qp *prepared, allowed []int) []candidate {
	var cands []candidate
	for d := s.ix.exact[qp.key]; d != 0; d = s.ix.docs[d-1].next {
		di := &s.ix.docs[d-1]
		if di.mem != deletedMem && int(di.mem) < len(allowed) && allowed[di.mem] >= 0 {
			cands = append(cands, candidate{d - 1, 101})
		}
	}
	return cands
}

// ranked is a candidate with the best rank it could reach: its score bound
// less the penalties known from the index, then the order's tie-breaks.
type ranked struct {
	candidate
	best rank
}

// rankBuckets ranks the candidates and buckets them by best score (a
// counting sort); a bucket is sorted only when the scan reaches it, as
// most lookups stop within the first buckets.
func (sc *scorer) rankBuckets(cands []candidate, buckets *[102][]ranked) {
	ix := sc.s.ix
	// Without a context in the query no unit reaches 101.
	ceiling := 101
	if sc.q.Prev == "" && sc.q.Next == "" {
		ceiling = 100
	}
	for _, cd := range cands {
		di := &ix.docs[cd.doc]
		prio := sc.allowed[di.mem]
		score := max(0, min(ceiling, int(cd.ub))-prio-sc.multi(di.src))
		buckets[score] = append(buckets[score], ranked{cd, rank{score, prio, di.chg, di.mem, di.id}})
	}
}

// scan scores the candidates in the order of their best rank and stops
// once Limit matches rank before the best the next candidate could do:
// the matches returned are exactly those a full scan would rank first,
// because both orders are compareRank.
func (sc *scorer) scan(ctx context.Context, buckets *[102][]ranked, out *[]scored) error {
	ix, limit := sc.s.ix, sc.q.Limit
	var top []scored // the best Limit matches so far, in final order
	i := 0
	for best := 101; best >= 0; best-- {
		bucket := buckets[best]
		if len(bucket) == 0 {
			continue
		}
		if len(top) == limit && best < top[len(top)-1].Score {
			return nil
		}
		slices.SortFunc(bucket, func(a, b ranked) int { return compareRank(a.best, b.best) })
		for _, cd := range bucket {
			if i++; i%256 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if len(top) == limit && compareRank(cd.best, top[len(top)-1].rank()) >= 0 {
				return nil
			}
			di := &ix.docs[cd.doc]
			m, ok, err := sc.score(di.mem, di.id, func() int { return sc.multi(di.src) })
			if err != nil {
				return err
			}
			if ok {
				*out = append(*out, m)
				top = insertTop(top, m, limit)
			}
		}
	}
	return nil
}

// insertTop inserts m into top, kept in final order and to limit matches.
func insertTop(top []scored, m scored, limit int) []scored {
	k := len(top)
	for k > 0 && compareRank(m.rank(), top[k-1].rank()) < 0 {
		k--
	}
	if k < limit {
		top = slices.Insert(top, k, m)
		if len(top) > limit {
			top = top[:limit]
		}
	}
	return top
}

// multi is Store.multi for the lookup's memories, remembered per source.
func (sc *scorer) multi(src uint64) int {
	p, seen := sc.multis[src]
	if !seen {
		p = sc.s.multi(src, sc.allowed)
		sc.multis[src] = p
	}
	return p
}

// multi returns the multiple-translations penalty for units with source
// key src: 1 when the live units of the searched memories with that source
// have more than one target key (each then has another translation), else
// 0. The caller holds ix.mu.
func (s *Store) multi(src uint64, allowed []int) int {
	first, have := uint64(0), false
	for d := s.ix.exact[src]; d != 0; d = s.ix.docs[d-1].next {
		di := &s.ix.docs[d-1]
		if di.mem == deletedMem || int(di.mem) >= len(allowed) || allowed[di.mem] < 0 || di.src != src {
			continue
		}
		if !have {
			first, have = di.tgt, true
		} else if di.tgt != first {
			return 1
		}
	}
	return 0
}

func finish(qp *prepared, out []scored, limit int) []Match {
	slices.SortFunc(out, func(a, b scored) int { return compareRank(a.rank(), b.rank()) })
	if len(out) > limit {
		out = out[:limit]
	}
	placeables := slices.ContainsFunc(qp.toks, func(t stok) bool { return t.kind.placeable() })
	codes := slices.ContainsFunc(qp.toks, func(t stok) bool { return t.kind == kCode })
	ms := make([]Match, len(out))
	for i := range out {
		m := out[i].Match
		m.Target = m.Unit.Target
		adapt := m.Type == Fuzzy && placeables
		if adapt || codes || len(m.Unit.TargetCodes) > 0 {
			up := prepare(m.Unit.Source, false)
			_, _, pairs := align(qp, up)
			if adapt {
				m.Target, m.Unadapted = adaptTarget(qp, up, pairs, m.Unit.Target)
			}
			m.Target, m.Codes = placeCodes(qp, up, pairs, &m.Unit, m.Target)
		}
		ms[i] = m
	}
	return ms
}

// scorer scores candidate units of one lookup inside a read transaction.
type scorer struct {
	s       *Store
	tx      *bbolt.Tx
	q       *Query
	qp      *prepared
	allowed []int
	buckets map[uint32]*bbolt.Bucket
	multis  map[uint64]int // Store.multi by source key
	up      prepared
}

func (sc *scorer) bucket(mem uint32) *bbolt.Bucket {
	b, ok := sc.buckets[mem]
	if !ok {
		sc.s.mu.RLock()
		name := sc.s.nos[mem]
		sc.s.mu.RUnlock()
		if ub := sc.tx.Bucket(bucketUnits); ub != nil && name != "" {
			b = ub.Bucket([]byte(name))
		}
		sc.buckets[mem] = b
	}
	return b
}

// score scores unit id of memory mem against the query; multi gives the
// multiple-translations penalty. ok is false when the unit is gone or
// scores below MinScore.
func (sc *scorer) score(mem uint32, id uint64, multi func() int) (scored, bool, error) {
	b := sc.bucket(mem)
	if b == nil {
		return scored{}, false, nil
	}
	v := b.Get(idKey(id))
	if v == nil {
		return scored{}, false, nil
	}
	src, err := peekSource(v)
	if err != nil {
		return scored{}, false, fmt.Errorf("unit %d: %w", id, err)
	}
	return sc.scoreSource(mem, id, src, v, multi)
}

func (sc *scorer) scoreSource(mem uint32, id uint64, src string, v []byte, multi func() int) (scored, bool, error) {
	q, qp, up := sc.q, sc.qp, &sc.up
	prepareInto(up, src, false)
	if q.MinScore >= 100 {
		if up.text != qp.text {
			return scored{}, false, nil
		}
	} else if _, ok := distance(qp, up, maxCost(qp.L, up.L, q.MinScore)); !ok {
		return scored{}, false, nil
	}
	cost, bd, _ := align(qp, up)
	sim := similarity(qp, up, cost)
	if sim < q.MinScore {
		return scored{}, false, nil
	}
	var u Unit
	if err := decodeUnit(v, &u); err != nil {
		return scored{}, false, fmt.Errorf("unit %d: %w", id, err)
	}
	u.ID = id
	sc.s.mu.RLock()
	u.Memory = sc.s.nos[mem]
	sc.s.mu.RUnlock()
	typ := Fuzzy
	if sim == 100 {
		typ = Exact
		if sameContext(q.Prev, q.Next, u.PrevSource, u.NextSource) {
			sim, typ = 101, Context
		}
	}
	bd.Length = max(qp.L, up.L)
	bd.Similarity = sim
	if p := multi(); p > 0 {
		bd.Penalties = append(bd.Penalties, Penalty{"multiple translations", p})
	}
	prio := sc.allowed[mem]
	if prio > 0 {
		bd.Penalties = append(bd.Penalties, Penalty{"memory priority", prio})
	}
	if p := propPenalty(q.Props, u.Props); p > 0 {
		bd.Penalties = append(bd.Penalties, Penalty{"property mismatch", p})
	}
	if u.Penalty != 0 {
		bd.Penalties = append(bd.Penalties, Penalty{"unit penalty", u.Penalty})
	}
	score := sim
	for _, p := range bd.Penalties {
		score -= p.Points
	}
	score = max(score, 0)
	if score < q.MinScore {
		return scored{}, false, nil
	}
	return scored{Match: Match{Unit: u, Score: score, Type: typ, Breakdown: bd}, prio: prio, mem: mem}, true, nil
}

// propPenalty: for each wanted property, 2 points when the unit has the
// type with other values only, 1 point when it lacks the type.
func propPenalty(want, have []Prop) int {
	p := 0
	for _, w := range want {
		switch {
		case hasProp(have, w):
		case hasPropType(have, w.Type):
			p += 2
		default:
			p++
		}
	}
	return p
}

// brute scores every unit of the searched memories without the index.
func (sc *scorer) brute(ctx context.Context, out *[]scored) error {
	type ref struct {
		mem uint32
		id  uint64
		key uint64
	}
	var all []ref
	var passed []scored
	var passedKeys = map[uint64]bool{}
	for mem, prio := range sc.allowed {
		if prio < 0 {
			continue
		}
		b := sc.bucket(uint32(mem))
		if b == nil {
			continue
		}
		c := b.Cursor()
		i := 0
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if i++; i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			src, err := peekSource(v)
			if err != nil {
				return err
			}
			id := beUint64(k)
			m, ok, err := sc.scoreSource(uint32(mem), id, src, v, func() int { return 0 })
			if err != nil {
				return err
			}
			all = append(all, ref{uint32(mem), id, sc.up.key})
			// The multiple-translations penalty is applied below, once
			// every unit's source key is known.
			if ok {
				passed = append(passed, m)
				passedKeys[sc.up.key] = true
			}
		}
	}
	// Targets of every unit whose source key is that of a passing unit.
	targets := map[uint64]map[uint64]bool{}
	var tp prepared
	for _, r := range all {
		if !passedKeys[r.key] {
			continue
		}
		var u Unit
		if err := decodeUnit(sc.bucket(r.mem).Get(idKey(r.id)), &u); err != nil {
			return err
		}
		prepareInto(&tp, u.Target, false)
		if targets[r.key] == nil {
			targets[r.key] = map[uint64]bool{}
		}
		targets[r.key][tp.key] = true
	}
	for _, m := range passed {
		prepareInto(&sc.up, m.Unit.Source, false)
		if len(targets[sc.up.key]) > 1 {
			m.Score--
			m.Breakdown.Penalties = append([]Penalty{{"multiple translations", 1}}, m.Breakdown.Penalties...)
			if m.Score < sc.q.MinScore {
				continue
			}
		}
		*out = append(*out, m)
	}
	return nil
}
