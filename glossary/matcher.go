package glossary

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"github.com/tolkdev/tolk/segment"
)

// SourceLang and TargetLang are the languages the recognizer works between:
// it finds terms whose tag has primary subtag SourceLang and offers those
// with primary subtag TargetLang.
const (
	SourceLang = "nl"
	TargetLang = "en"
)

// Matcher finds the Dutch terms of a fixed set of concepts in text. It is a
// multi-pattern automaton: a trie over the stemmed word keys of every term
// (so multi-word terms whose words inflect are found in one left-to-right
// pass), plus a suffix trie and a prefix trie over single-word terms for
// closed compounds. Build one with NewMatcher; it is safe for concurrent use
// and never changes after it is built (apart from an internal cache of word
// analyses).
type Matcher struct {
	concepts []mconcept
	entries  []entry
	keys     map[string]int32 // word key → key id
	edges    map[uint64]int32 // node<<32 | key id → child node; node 0 is the root
	final    [][]int32        // node → entries ending there
	heads    byteTrie         // reversed folded and stemmed single-word terms
	mods     byteTrie         // folded single-word terms, with linking -s-/-en-
	cache    wordCache
	nTerms   int
}

type mconcept struct {
	id, subject string
	from, until time.Time
	targets     []Term // English terms, preferred first
	preferred   []Term // the Dutch terms to suggest instead of a discouraged one
}

// valid mirrors Concept.Valid.
func (c *mconcept) valid(t time.Time) bool {
	if t.IsZero() {
		return true
	}
	return (c.from.IsZero() || !t.Before(c.from)) && (c.until.IsZero() || !t.After(c.until))
}

type entry struct {
	concept int32
	term    Term
	folded  string // FoldTerm(term.Text)
}

// Compound limits: a closed compound is split only where both parts are
// long enough to be words of their own.
const (
	minCompoundTerm  = 4 // letters in the glossary term found inside a compound
	minCompoundOther = 3 // letters in the rest of the compound
)

// NewMatcher builds a matcher over the Dutch terms of cs (language tags
// with primary subtag "nl", any case). Concepts without Dutch terms are
// ignored; cs is not retained.
func NewMatcher(cs []Concept) *Matcher { return newMatcher(cs, make(map[string]string)) }

// newMatcher is NewMatcher with a Stem memo that outlives the build.
func newMatcher(cs []Concept, stems map[string]string) *Matcher {
	m := &Matcher{
		keys:  make(map[string]int32),
		edges: make(map[uint64]int32),
		final: [][]int32{nil},
		heads: newByteTrie(),
		mods:  newByteTrie(),
	}
	m.cache.init()
	b := builder{m: m, stems: stems}
	for i := range cs {
		b.add(&cs[i])
	}
	return m
}

type builder struct {
	m     *Matcher
	stems map[string]string // memo of Stem during the build
	toks  []segment.Token
	fold  []byte
}

func (b *builder) stem(w string) string {
	if s, ok := b.stems[w]; ok {
		return s
	}
	s := Stem(w)
	b.stems[w] = s
	return s
}

func (b *builder) add(c *Concept) {
	m := b.m
	var mc *mconcept
	ci := int32(len(m.concepts))
	for _, t := range c.Terms {
		if PrimaryLang(t.Lang) != SourceLang || t.Text == "" {
			continue
		}
		if mc == nil {
			m.concepts = append(m.concepts, conceptInfo(c))
			mc = &m.concepts[ci]
		}
		ei := int32(len(m.entries))
		m.entries = append(m.entries, entry{concept: ci, term: t, folded: FoldTerm(t.Text)})
		m.nTerms++
		b.addTerm(ei, t)
	}
}

func conceptInfo(c *Concept) mconcept {
	mc := mconcept{id: c.ID, subject: c.Subject, from: c.ValidFrom, until: c.ValidUntil}
	var nlPref, nlAdm []Term
	for _, t := range c.Terms {
		switch PrimaryLang(t.Lang) {
		case TargetLang:
			mc.targets = append(mc.targets, t)
		case SourceLang:
			switch t.Status {
			case StatusPreferred:
				nlPref = append(nlPref, t)
			case StatusAdmitted, "":
				nlAdm = append(nlAdm, t)
			}
		}
	}
	slices.SortStableFunc(mc.targets, func(a, b Term) int { return cmp.Compare(a.Status.rank(), b.Status.rank()) })
	mc.preferred = nlPref
	if len(mc.preferred) == 0 {
		mc.preferred = nlAdm
	}
	return mc
}

// addTerm inserts the key sequences of one Dutch term.
func (b *builder) addTerm(ei int32, t Term) {
	m := b.m
	b.toks = segment.Tokens(b.toks[:0], t.Text)
	var alts [][]int32 // per significant token: its key ids
	var words []string
	for _, tk := range b.toks {
		raw := t.Text[tk.Start:tk.End]
		b.fold = foldWord(b.fold[:0], raw)
		f := string(b.fold)
		switch tk.Kind {
		case segment.Word:
			words = append(words, f)
			alts = append(alts, []int32{m.keyID(b.stem(f))})
		case segment.Number:
			alts = append(alts, []int32{m.keyID(f)})
		case segment.Punct:
			if f == "-" {
				continue
			}
			alts = append(alts, []int32{m.keyID(f)})
		default:
			return // inline codes never match
		}
	}
	if len(alts) == 0 {
		return
	}
	// Verb forms for the last word of a verbal (or untyped) term.
	if last := b.toks[len(b.toks)-1]; last.Kind == segment.Word && isVerbPOS(t.POS) {
		f := words[len(words)-1]
		a := alts[len(alts)-1]
		for _, v := range verbForms(f) {
			id := m.keyID(b.stem(v))
			if !slices.Contains(a, id) {
				a = append(a, id)
			}
		}
		alts[len(alts)-1] = a
	}
	// Insert every combination of alternatives (bounded).
	const maxPaths = 256
	paths := [][]int32{nil}
	for _, a := range alts {
		next := make([][]int32, 0, len(paths)*len(a))
		for _, p := range paths {
			for _, id := range a {
				if len(next) >= maxPaths {
					break
				}
				next = append(next, append(slices.Clip(p), id))
			}
		}
		paths = next
	}
	for _, p := range paths {
		node := int32(0)
		for _, id := range p {
			k := uint64(node)<<32 | uint64(uint32(id))
			child, ok := m.edges[k]
			if !ok {
				child = int32(len(m.final))
				m.final = append(m.final, nil)
				m.edges[k] = child
			}
			node = child
		}
		if !slices.Contains(m.final[node], ei) {
			m.final[node] = append(m.final[node], ei)
		}
	}
	// Closed compounds: single-word terms of at least minCompoundTerm letters.
	if len(alts) == 1 && len(words) == 1 && len(words[0]) >= minCompoundTerm {
		f := words[0]
		m.heads.insert(reverse(f), ei)
		if s := b.stem(f); s != f {
			m.heads.insert(reverse(s), ei)
		}
		m.mods.insert(f, ei)
		m.mods.insert(f+"s", ei)
		if f[len(f)-1] == 'e' {
			m.mods.insert(f+"n", ei)
		} else {
			m.mods.insert(f+"en", ei)
		}
	}
}

func (m *Matcher) keyID(k string) int32 {
	if id, ok := m.keys[k]; ok {
		return id
	}
	id := int32(len(m.keys))
	m.keys[k] = id
	return id
}

func reverse(s string) string {
	b := []byte(s)
	slices.Reverse(b)
	return string(b)
}

// Len returns the number of Dutch terms the matcher recognizes.
func (m *Matcher) Len() int { return m.nTerms }

// byteTrie is a trie over bytes with edges in one map.
type byteTrie struct {
	edges map[uint64]int32
	final map[int32][]int32
	n     int32
}

func newByteTrie() byteTrie {
	return byteTrie{edges: make(map[uint64]int32), final: make(map[int32][]int32), n: 1}
}

func (t *byteTrie) insert(s string, ei int32) {
	node := int32(0)
	for i := 0; i < len(s); i++ {
		k := uint64(node)<<8 | uint64(s[i])
		child, ok := t.edges[k]
		if !ok {
			child = t.n
			t.n++
			t.edges[k] = child
		}
		node = child
	}
	if !slices.Contains(t.final[node], ei) {
		t.final[node] = append(t.final[node], ei)
	}
}

func (t *byteTrie) step(node int32, c byte) (int32, bool) {
	child, ok := t.edges[uint64(node)<<8|uint64(c)]
	return child, ok
}

// wordInfo is the cached analysis of one folded word.
type wordInfo struct {
	key     int32 // key id of its stem, -1 if no term word has it
	head    int32 // heads node of a glossary term closing the word, -1 if none
	headPos int32 // folded offset where that head starts
	mod     int32 // mods node of a glossary term opening the word, -1 if none
	modEnd  int32 // folded offset where that modifier ends (without linking letters)
}

// wordCache memoizes word analyses: stemming is the costly step of
// recognition and real text repeats its words. Bounded: it is emptied when
// it reaches maxCached entries.
type wordCache struct {
	mu sync.RWMutex
	m  map[string]wordInfo
}

const maxCached = 1 << 17

func (c *wordCache) init() { c.m = make(map[string]wordInfo) }

func (m *Matcher) word(fw []byte) wordInfo {
	m.cache.mu.RLock()
	wi, ok := m.cache.m[string(fw)]
	m.cache.mu.RUnlock()
	if ok {
		return wi
	}
	s := string(fw)
	wi = m.analyze(s)
	m.cache.mu.Lock()
	if len(m.cache.m) >= maxCached {
		clear(m.cache.m)
	}
	m.cache.m[s] = wi
	m.cache.mu.Unlock()
	return wi
}

// analyze stems a folded word and looks for glossary terms closing or
// opening it as parts of a closed compound.
func (m *Matcher) analyze(fw string) wordInfo {
	wi := wordInfo{key: -1, head: -1, mod: -1}
	st := Stem(fw)
	if id, ok := m.keys[st]; ok {
		wi.key = id
	}
	if len(fw) < minCompoundTerm+minCompoundOther {
		return wi
	}
	// Heads: walk the folded word and its stem backwards.
	for _, s := range [2]string{fw, st} {
		node := int32(0)
		for i := len(s) - 1; i >= minCompoundOther; i-- {
			var ok bool
			if node, ok = m.heads.step(node, s[i]); !ok {
				break
			}
			if _, fin := m.heads.final[node]; fin && compoundJoint(s, i) && (wi.head < 0 || int32(i) < wi.headPos) {
				wi.head, wi.headPos = node, int32(i)
			}
		}
	}
	// Modifiers: walk the folded word forwards; keep the longest.
	node := int32(0)
	for i := 0; i < len(fw)-minCompoundOther; i++ {
		var ok bool
		if node, ok = m.mods.step(node, fw[i]); !ok {
			break
		}
		if es, fin := m.mods.final[node]; fin && compoundJoint(fw, i+1) {
			wi.mod = node
			wi.modEnd = int32(len(m.entries[es[0]].folded))
		}
	}
	return wi
}

// compoundJoint reports whether s may be split at i into two words: both
// sides hold a vowel, and no vowel meets a vowel across the joint (Dutch
// writes such compounds with a hyphen: zee-eend), so "ambassade" is not
// read into "ambassadeur".
func compoundJoint(s string, i int) bool {
	if i < minCompoundOther || len(s)-i < minCompoundOther {
		return false
	}
	if isVowel(s[i-1]) && isVowel(s[i]) {
		return false
	}
	return hasVowel(s[:i]) && hasVowel(s[i:])
}

func hasVowel(s string) bool {
	for i := 0; i < len(s); i++ {
		if isVowel(s[i]) {
			return true
		}
	}
	return false
}

// item is one significant token of the text being searched.
type item struct {
	start, end int
	key        int32
	word       int32 // index into words, -1 for non-words
}

type span struct {
	first, last int // items, inclusive
	start, end  int // bytes
	node        int32
	compound    *wordInfo
	head        bool
}

// Find returns the glossary terms in text, in text order. Matches are
// chosen longest first and never overlap, except that a span naming terms of
// several concepts gives one Hit per concept. at is the time against which
// validity dates are checked (zero: not checked). The returned hits share
// their Term slices with the matcher: do not modify them.
func (m *Matcher) Find(text string, at time.Time) []Hit {
	if m == nil || len(m.entries) == 0 {
		return nil
	}
	toks := segment.Tokens(make([]segment.Token, 0, len(text)/5+4), text)
	items := make([]item, 0, len(toks))
	var winfo []wordInfo
	var fold []byte
	for _, tk := range toks {
		raw := text[tk.Start:tk.End]
		it := item{start: tk.Start, end: tk.End, key: -1, word: -1}
		switch tk.Kind {
		case segment.Word:
			fold = foldWord(fold[:0], raw)
			wi := m.word(fold)
			it.key = wi.key
			if wi.head >= 0 || wi.mod >= 0 {
				it.word = int32(len(winfo))
				winfo = append(winfo, wi)
			}
		case segment.Number:
			fold = foldWord(fold[:0], raw)
			if id, ok := m.keys[string(fold)]; ok {
				it.key = id
			}
		case segment.Punct:
			fold = appendFoldRune(fold[:0], []rune(raw)[0])
			if len(fold) == 1 && fold[0] == '-' {
				continue
			}
			if id, ok := m.keys[string(fold)]; ok {
				it.key = id
			}
		}
		items = append(items, it)
	}
	var spans []span
	for i := range items {
		if items[i].key < 0 {
			continue
		}
		node, best, bestNode := int32(0), -1, int32(0)
		for j := i; j < len(items); j++ {
			k := items[j].key
			if k < 0 {
				break
			}
			child, ok := m.edges[uint64(node)<<32|uint64(uint32(k))]
			if !ok {
				break
			}
			node = child
			if len(m.final[node]) > 0 {
				best, bestNode = j, node
			}
		}
		if best >= 0 {
			spans = append(spans, span{first: i, last: best, start: items[i].start, end: items[best].end, node: bestNode})
		}
	}
	if len(spans) == 0 && len(winfo) == 0 {
		return nil
	}
	if len(spans) > 1 {
		slices.SortStableFunc(spans, func(a, b span) int {
			if c := cmp.Compare(b.end-b.start, a.end-a.start); c != 0 {
				return c
			}
			return cmp.Compare(a.start, b.start)
		})
		kept := spans[:0]
		for _, s := range spans {
			if !slices.ContainsFunc(kept, func(k span) bool { return s.first <= k.last && k.first <= s.last }) {
				kept = append(kept, s)
			}
		}
		spans = kept
	}
	// Closed compounds in words not covered by a term.
	if len(winfo) > 0 {
		for i := range items {
			it := &items[i]
			if it.word < 0 || slices.ContainsFunc(spans, func(s span) bool { return s.first <= i && i <= s.last }) {
				continue
			}
			spans = m.compoundSpans(spans, text, it, i, &winfo[it.word])
		}
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	hits := make([]Hit, 0, len(spans))
	for _, s := range spans {
		hits = m.appendHits(hits, text, s, at)
	}
	return hits
}

// compoundSpans adds the head and modifier parts of one compound word.
func (m *Matcher) compoundSpans(spans []span, text string, it *item, i int, wi *wordInfo) []span {
	raw := text[it.start:it.end]
	at := func(folded int) int { return it.start + folded } // ASCII: folded offsets are raw offsets
	for j := 0; j < len(raw); j++ {
		if raw[j] >= 0x80 {
			_, pos := foldMap(raw)
			at = func(folded int) int { return it.start + pos[min(folded, len(pos)-1)] }
			break
		}
	}
	headStart := it.end
	if wi.head >= 0 {
		headStart = at(int(wi.headPos))
		spans = append(spans, span{first: i, last: i, start: headStart, end: it.end, node: wi.head, compound: wi, head: true})
	}
	if wi.mod >= 0 {
		if end := at(int(wi.modEnd)); end <= headStart {
			spans = append(spans, span{first: i, last: i, start: it.start, end: end, node: wi.mod, compound: wi})
		}
	}
	return spans
}

// appendHits appends one Hit per concept of the span's entries.
func (m *Matcher) appendHits(hits []Hit, text string, s span, at time.Time) []Hit {
	var es []int32
	switch {
	case s.compound == nil:
		es = m.final[s.node]
	case s.head:
		es = m.heads.final[s.node]
	default:
		es = m.mods.final[s.node]
	}
	surface := text[s.start:s.end]
	var folded string
	first := len(hits)
	for _, ei := range es {
		e := &m.entries[ei]
		dup := -1
		for h := first; h < len(hits); h++ {
			if hits[h].ConceptID == m.concepts[e.concept].id {
				dup = h
				break
			}
		}
		if dup >= 0 {
			// Two Dutch terms of one concept share the key: keep the one
			// spelled as in the text, else the better status.
			if folded == "" {
				folded = FoldTerm(surface)
			}
			old := FoldTerm(hits[dup].Term.Text) == folded
			if !old && (e.folded == folded || e.term.Status.rank() < hits[dup].Term.Status.rank()) {
				hits[dup] = m.hit(s, surface, e, at)
			}
			continue
		}
		hits = append(hits, m.hit(s, surface, e, at))
	}
	return hits
}

func (m *Matcher) hit(s span, surface string, e *entry, at time.Time) Hit {
	c := &m.concepts[e.concept]
	h := Hit{
		Start: s.start, End: s.end, Text: surface,
		ConceptID: c.id, Term: e.term, Targets: c.targets,
		Compound: s.compound != nil, Expired: !c.valid(at), Subject: c.subject,
	}
	if e.term.Status.Discouraged() {
		h.Alternatives = c.preferred
	}
	return h
}
