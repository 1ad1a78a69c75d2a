package glossary

// The word cache: each distinct word of the texts Find sees is folded,
// stemmed and split once, and its analysis kept in a bounded,
// mostly lock-free table.

import (
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// wordInfo is the analysis of one folded word.
type wordInfo struct {
	key  int32     // key id of its stem, -1 if no term word has it
	comp *compInfo // glossary terms inside it as a closed compound, or nil
}

// wordCache memoizes word analyses: stemming is the costly step of
// recognition and real text repeats its words. New analyses go to a small
// map under a mutex; when it holds promoteAfter entries they are merged
// into a new read-only snapshot that readers load without locking. Values
// are kept small (8 bytes) so the snapshot stays cache-friendly. Bounded:
// the snapshot starts afresh when it would exceed maxCached entries.
type wordCache struct {
	frozen atomic.Pointer[wordSnapshot]
	mu     sync.Mutex
	fresh  map[uint64]wordInfo
}

// wordSnapshot is keyed by a 64-bit hash of the folded word rather
// than the word itself: the table stays small and a lookup touches one
// slot. Two distinct words of one text sharing a hash has a probability
// near 2^-64 per pair (about 10^-10 for a cache of 2^18 words).
type wordSnapshot struct {
	m     hashTable
	comps []compInfo // never modified once published; only appended to
}

// wordRef is a snapshot entry: key id and index into comps (-1: none).
type wordRef struct{ key, comp int32 }

const (
	maxCached    = 1 << 18
	promoteAfter = 1 << 10
)

func (c *wordCache) init() {
	c.frozen.Store(&wordSnapshot{})
	c.fresh = make(map[uint64]wordInfo)
}

// reset empties the cache (benchmarks measure the cold path with it).
func (c *wordCache) reset() {
	c.mu.Lock()
	c.frozen.Store(&wordSnapshot{})
	c.fresh = make(map[uint64]wordInfo)
	c.mu.Unlock()
}

// hashFolded is 64-bit FNV-1a over the folded bytes of a word, finished
// with the murmur3 mixer so that the low bits (the table index) are as good
// as the high ones.
func hashFolded(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return mix64(h)
}

func mix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>33
}

// hashWord returns hashFolded(foldWord(raw)) without folding into a buffer
// when raw is ASCII (ok false otherwise).
func hashWord(raw string) (uint64, bool) {
	h := uint64(14695981039346656037)
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c >= utf8.RuneSelf {
			return 0, false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint64(c)) * 1099511628211
	}
	return mix64(h), true
}

// word returns the analysis of the word token raw; fold is a scratch
// buffer, returned for reuse.
func (m *Matcher) word(raw string, fold []byte) (wordInfo, []byte) {
	c := &m.cache
	snap := c.frozen.Load()
	h, ok := hashWord(raw)
	folded := false
	if !ok {
		fold = foldWord(fold[:0], raw)
		h, folded = hashFolded(fold), true
	}
	if r, ok := snap.m.get(h); ok {
		wi := wordInfo{key: r.key}
		if r.comp >= 0 {
			wi.comp = &snap.comps[r.comp]
		}
		return wi, fold
	}
	c.mu.Lock()
	wi, ok := c.fresh[h]
	c.mu.Unlock()
	if ok {
		return wi, fold
	}
	if !folded {
		fold = foldWord(fold[:0], raw)
	}
	wi = m.analyze(string(fold))
	c.mu.Lock()
	c.fresh[h] = wi
	if len(c.fresh) >= promoteAfter {
		c.promote()
	}
	c.mu.Unlock()
	return wi, fold
}

// promote merges the fresh analyses into a new snapshot. c.mu is held.
func (c *wordCache) promote() {
	old := c.frozen.Load()
	next := &wordSnapshot{comps: old.comps}
	if old.m.n+len(c.fresh) > maxCached {
		next.m = newHashTable(len(c.fresh))
		next.comps = nil
	} else {
		next.m = newHashTable(old.m.n + len(c.fresh))
		old.m.each(next.m.put)
	}
	for k, wi := range c.fresh {
		r := wordRef{key: wi.key, comp: -1}
		if wi.comp != nil {
			r.comp = int32(len(next.comps))
			next.comps = append(next.comps, *wi.comp)
		}
		next.m.put(k, r)
	}
	c.frozen.Store(next)
	c.fresh = make(map[uint64]wordInfo)
}

// hashTable maps 64-bit hashes to wordRefs with open addressing and linear
// probing: one slot holds both, so a lookup usually costs one cache line.
// Hash 0 marks an empty slot (a real 0 hash is stored as 1). Built once,
// then read-only.
type hashTable struct {
	slots []hslot
	mask  uint64
	n     int
}

type hslot struct {
	h   uint64
	ref wordRef
}

func newHashTable(n int) hashTable {
	size := 16
	for size < 2*n {
		size *= 2
	}
	return hashTable{slots: make([]hslot, size), mask: uint64(size - 1)}
}

func (t *hashTable) put(h uint64, r wordRef) {
	if h == 0 {
		h = 1
	}
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		switch t.slots[i].h {
		case 0:
			t.slots[i] = hslot{h, r}
			t.n++
			return
		case h:
			t.slots[i].ref = r
			return
		}
	}
}

func (t *hashTable) get(h uint64) (wordRef, bool) {
	if t.slots == nil {
		return wordRef{}, false
	}
	if h == 0 {
		h = 1
	}
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		switch t.slots[i].h {
		case h:
			return t.slots[i].ref, true
		case 0:
			return wordRef{}, false
		}
	}
}

func (t *hashTable) each(f func(uint64, wordRef)) {
	for _, s := range t.slots {
		if s.h != 0 {
			f(s.h, s.ref)
		}
	}
}
