package memory

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/segment"
	"go.etcd.io/bbolt"
)

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
		if len(f.codes) > MaxCodes {
			return tolk.Invalidf(field(f.name+"_codes"), "%d inline codes; the limit is %d", len(f.codes), MaxCodes)
		}
		for _, r := range f.text {
			if segment.IsCodeRune(r) && int(r-segment.CodeBase) >= len(f.codes) {
				return tolk.Invalidf(field(f.name), "the text refers to inline code %d but has only %d codes", r-segment.CodeBase, len(f.codes))
			}
		}
	}
	if err := checkLength(field("tuid"), u.TUID); err != nil {
		return err
	}
	for _, l := range []struct{ name, tag, prefix string }{{"source_language", u.SourceLang, "nl"}, {"target_language", u.TargetLang, "en"}} {
		if rest, ok := cutPrefixFold(l.tag, l.prefix); l.tag != "" && (!ok || (rest != "" && rest[0] != '-' && rest[0] != '_') || len(rest) == 1) {
			return tolk.Invalidf(field(l.name), "language %q is not %s: use %q, or %q with a region such as %q", l.tag,
				map[string]string{"nl": "Dutch", "en": "English"}[l.prefix], l.prefix, l.prefix, map[string]string{"nl": "nl-BE", "en": "en-US"}[l.prefix])
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

// dropMappedUnits is the size of an Add (an import batch) from which it
// first takes the file's pages out of the resident set (see dropMapped).
const dropMappedUnits = 1000

// Add writes units to the named memory in one transaction and updates the
// index with them. A unit with the same source and context (previous and
// next source) as one already there is handled by p. ID and Memory of the
// given units are ignored; dates are kept as given, in UTC to the second,
// and a zero one stays absent (a TMX unit without creationdate is not
// dated by its import: callers that create units now date them with
// Stamp). It returns
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
	var b *addBatch
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		// An import touches the file's pages through the map (the tree's
		// right edge, earlier units for the policy); without this they
		// accumulate in the resident set batch after batch. Small writes
		// leave the pages lookups use mapped.
		if len(units) >= dropMappedUnits {
			dropMapped(tx)
		}
		var err error
		if b, err = s.newAddBatch(tx, memory, p, len(units)); err != nil {
			return err
		}
		s.ix.mu.RLock()
		defer s.ix.mu.RUnlock()
		for i := range units {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if err := b.add(i, units[i]); err != nil {
				return err
			}
		}
		return b.finish(tx)
	})
	if err != nil {
		return AddResult{}, fmt.Errorf("adding units to memory %q: %w", memory, err)
	}
	s.ix.apply(&b.delta)
	return b.res, nil
}

// pendingUnit is a unit written earlier in the same Add, which the index
// does not know yet.
type pendingUnit struct {
	id                 uint64
	source, prev, next string
	target             string
	changed            time.Time
	add                int // index in the delta's adds
}

// addBatch is the state of one Add transaction. The caller holds s.wmu
// and s.ix.mu for reading while it adds.
type addBatch struct {
	s       *Store
	p       Policy
	memory  string
	m       memoryRecord
	ub      *bbolt.Bucket // the memory's units
	bw      *blockWriter  // its index records
	pending map[uint64][]pendingUnit
	removed map[uint64]bool // ids whose index documents the delta removes
	res     AddResult
	delta   indexDelta

	buf, ibuf []byte
	ar        arena
	src, tgt  prepared
}

func (s *Store) newAddBatch(tx *bbolt.Tx, memory string, p Policy, n int) (*addBatch, error) {
	m, err := getMemory(tx, memory)
	if err != nil {
		return nil, err
	}
	ub := tx.Bucket(bucketUnits).Bucket([]byte(memory))
	ib := tx.Bucket(bucketIndex).Bucket([]byte(memory))
	if ub == nil || ib == nil {
		return nil, fmt.Errorf("memory %q has no unit bucket", memory)
	}
	return &addBatch{s: s, p: p, memory: memory, m: m, ub: ub, bw: newBlockWriter(ib),
		pending: map[uint64][]pendingUnit{}, removed: map[uint64]bool{},
		res: AddResult{IDs: make([]uint64, n)}}, nil
}

// add adds unit u, the i-th of the call, under the batch's policy.
func (b *addBatch) add(i int, u Unit) error {
	u.Memory = b.memory
	u.Created, u.Changed, u.LastUsed = seconds(u.Created), seconds(u.Changed), seconds(u.LastUsed)
	prepareInto(&b.src, u.Source, false)
	prepareInto(&b.tgt, u.Target, false)
	rec := makeIndexRecord(&u, &b.src, &b.tgt)

	existing, existingPending, sameTarget := b.findPending(&u, rec.src)
	if existing == nil || (b.p == KeepBoth && !sameTarget) {
		var err error
		if existing, sameTarget, err = b.findStored(&u, &rec, existing, sameTarget); err != nil {
			return err
		}
	}
	if existing != nil {
		skip := false
		switch b.p {
		case KeepBoth:
			skip = sameTarget
			if !skip {
				existing, existingPending = nil, nil
			}
		case KeepNewer:
			skip = lastChange(&u) <= lastChange(existing)
		}
		if skip {
			b.res.Skipped++
			b.res.IDs[i] = existing.ID
			return nil
		}
	}
	if err := b.assignID(&u, existing, existingPending); err != nil {
		return err
	}
	b.res.IDs[i] = u.ID
	return b.write(&u, rec, existing, existingPending)
}

// findPending looks for a unit with u's source and context written earlier
// in this call: the first found, or the one with u's target.
func (b *addBatch) findPending(u *Unit, src uint64) (existing *Unit, existingPending *pendingUnit, sameTarget bool) {
	for k := range b.pending[src] {
		pu := &b.pending[src][k]
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
	return existing, existingPending, sameTarget
}

// findStored looks for a stored unit with u's source and context through
// the index, keeping existing and sameTarget from findPending unless it
// finds better: a unit with u's target.
func (b *addBatch) findStored(u *Unit, rec *indexRecord, existing *Unit, sameTarget bool) (*Unit, bool, error) {
	ix := b.s.ix
	for d := ix.exact[rec.src]; d != 0; d = ix.docs[d-1].next {
		di := &ix.docs[d-1]
		if di.mem != b.m.no || di.ctx != rec.ctx || b.removed[di.id] || (b.p == KeepBoth && di.tgt != rec.tgt) {
			continue
		}
		v := b.ub.Get(idKey(di.id))
		if v == nil {
			continue
		}
		var eu Unit
		if err := decodeUnit(v, &eu); err != nil {
			return nil, false, fmt.Errorf("unit %d: %w", di.id, err)
		}
		if eu.Source == u.Source && eu.PrevSource == u.PrevSource && eu.NextSource == u.NextSource {
			eu.ID = di.id
			if existing == nil {
				existing = &eu
			}
			if eu.Target == u.Target {
				return &eu, true, nil
			}
			if b.p != KeepBoth {
				break
			}
		}
	}
	return existing, sameTarget, nil
}

// assignID gives u the id of the unit it overwrites, keeping its creation
// and usage, or a new id.
func (b *addBatch) assignID(u *Unit, existing *Unit, existingPending *pendingUnit) error {
	if existing == nil {
		id, err := b.ub.NextSequence()
		if err != nil {
			return err
		}
		u.ID = id
		b.res.Added++
		return nil
	}
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
	b.res.Updated++
	return nil
}

// write stores u and its index record, and records the index change.
func (b *addBatch) write(u *Unit, rec indexRecord, existing *Unit, existingPending *pendingUnit) error {
	b.buf = encodeUnit(b.buf[:0], u)
	if err := b.ub.Put(idKey(u.ID), b.ar.copy(b.buf)); err != nil {
		return err
	}
	b.ibuf = encodeIndexRecord(b.ibuf[:0], &rec)
	b.bw.put(u.ID, b.ar.copy(b.ibuf))
	pu := pendingUnit{id: u.ID, source: u.Source, prev: u.PrevSource, next: u.NextSource, target: u.Target, changed: time.Unix(lastChange(u), 0)}
	if existingPending != nil {
		b.delta.adds[existingPending.add].rec = rec
		pu.add = existingPending.add
		*existingPending = pu
		return nil
	}
	if existing != nil {
		b.delta.removes = append(b.delta.removes, docRef{mem: b.m.no, id: u.ID, src: rec.src})
		b.removed[u.ID] = true
	}
	pu.add = len(b.delta.adds)
	b.delta.adds = append(b.delta.adds, docAdd{mem: b.m.no, id: u.ID, rec: rec})
	b.pending[rec.src] = append(b.pending[rec.src], pu)
	return nil
}

// finish writes the index blocks and the memory's unit count.
func (b *addBatch) finish(tx *bbolt.Tx) error {
	if err := b.bw.flush(); err != nil {
		return err
	}
	b.m.Units += b.res.Added
	return tx.Bucket(bucketMemories).Put([]byte(b.memory), encodeMemory(&b.m))
}

// seconds returns t in UTC to the second, the precision of stored dates.
func seconds(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

// Stamp dates units created now: a zero Created becomes now, a zero
// Changed the unit's Created. Add itself never dates a unit.
func Stamp(units []Unit, now time.Time) {
	for i := range units {
		u := &units[i]
		if u.Created.IsZero() {
			u.Created = now
		}
		if u.Changed.IsZero() {
			u.Changed = u.Created
		}
	}
}

// lastChange is the date that ranks a unit (compareRank) and decides
// KeepNewer, in Unix seconds: its Changed date, else its Created date; a
// unit with neither has the zero time's, before every real date.
func lastChange(u *Unit) int64 {
	if u.Changed.IsZero() {
		return u.Created.Unix()
	}
	return u.Changed.Unix()
}

// cutPrefixFold is strings.CutPrefix ignoring case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}
