package glossary

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

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
// pass), plus a hash table of the single-word terms' folded forms and
// stems, probed with the suffixes of a word, for the heads of closed
// compounds. Names (terms whose words are all capitalised) match only
// their own forms, never inside a word.
// Each distinct word of the text is analysed (folded, stemmed, split) once
// and remembered in a bounded cache. Build one with NewMatcher; it is safe
// for concurrent use and never changes after it is built (apart from that
// cache).
type Matcher struct {
	concepts []mconcept
	entries  []entry
	keys     map[string]int32 // word key → key id
	root     []int32          // key id → child of the root, -1 if none
	edges    map[uint64]int32 // node<<32 | key id → child node (below the root)
	final    [][]int32        // node → entries ending there (during the build)
	finalOff []int32          // node → start of its entries in finalEs (CSR form of final)
	finalEs  []int32
	isFinal  []bool             // node → len(final[node]) > 0, compact for the hot loop
	hasChild []bool             // node → some edge leaves it
	heads    map[string][]int32 // folded and stemmed single-word terms → entries
	check    []bool             // node → some entry there must check the words (a name, or vowels)
	cache    wordCache
	scratch  sync.Pool // *findScratch
	nTerms   int
}

// findScratch holds the buffers one Find call reuses.
type findScratch struct {
	toks  []segment.Token
	items []item
	spans []span
	fold  []byte
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
	// proper marks a name: a term without spaces whose every word starts
	// with a capital (Iran, Iraans, Zuid-Koreaan, VN-Veiligheidsraad). Its
	// words match exactly as folded (pwords), the last one also in the
	// regular forms of a name or demonym (forms, lemma first; see
	// properForms), never by the Snowball stem: Iran, Iraans and Iraanse
	// stay apart.
	proper bool
	pwords []string
	forms  []string
	// vowels holds, per significant token of a term that is not a name,
	// the vowel length its word spells and the stem it was read under
	// (see vowelOf); nil when no word spells one. A text word that
	// spells the other length is another word (green is not grens).
	vowels []vowel
	vstems []string
}

// Compound limits: a closed compound is split only where both parts are
// long enough to be words of their own. Only the head (the word-final
// part) of a compound is reported: a term opening a word (vredes in
// vredesplan) is a modifier, not a hit.
const (
	minCompoundTerm  = 4 // letters in a glossary term found closing a compound
	minCompoundOther = 3 // letters before it
)

// isBoundPrefix reports whether p is one or more bound prefixes (des-in-).
func isBoundPrefix(p string) bool {
	for _, b := range boundPrefixes() {
		if rest, ok := strings.CutPrefix(p, b); ok && (rest == "" || isBoundPrefix(rest)) {
			return true
		}
	}
	return false
}

// NewMatcher builds a matcher over the Dutch terms of cs (language tags
// with primary subtag "nl", any case). Concepts without Dutch terms are
// ignored; cs is not retained.
func NewMatcher(cs []Concept) *Matcher { return newMatcher(cs, make(map[string]string, 4*len(cs))) }

// newMatcher is NewMatcher with a Stem memo that outlives the build.
func newMatcher(cs []Concept, stems map[string]string) *Matcher {
	n := len(cs) // a good guess of the number of Dutch terms
	m := &Matcher{
		concepts: make([]mconcept, 0, n),
		entries:  make([]entry, 0, n+n/4),
		keys:     make(map[string]int32, 2*n),
		edges:    make(map[uint64]int32, 2*n),
		final:    make([][]int32, 1, 2*n+1),
		heads:    make(map[string][]int32, n),
	}
	m.cache.init()
	b := builder{m: m, stems: stems, rootEdges: make(map[int32]int32, n)}
	if len(cs) >= prestemMin {
		b.prestem(cs)
	}
	for i := range cs {
		b.add(&cs[i])
	}
	m.pruneForms()
	m.root = make([]int32, len(m.keys))
	for i := range m.root {
		m.root[i] = -1
	}
	for k, child := range b.rootEdges {
		m.root[k] = child
	}
	// Flatten final into one array (fewer heap objects for the GC to mark).
	nodes := len(m.final)
	m.finalOff = make([]int32, nodes+1)
	m.isFinal = make([]bool, nodes)
	total := 0
	for _, f := range m.final {
		total += len(f)
	}
	m.finalEs = make([]int32, 0, total)
	for i, f := range m.final {
		m.finalOff[i] = int32(len(m.finalEs))
		m.finalEs = append(m.finalEs, f...)
		m.isFinal[i] = len(f) > 0
	}
	m.finalOff[nodes] = int32(len(m.finalEs))
	m.final = nil
	m.check = make([]bool, nodes)
	for i := range nodes {
		for _, ei := range m.finalEs[m.finalOff[i]:m.finalOff[i+1]] {
			m.check[i] = m.check[i] || m.entries[ei].proper || m.entries[ei].vowels != nil
		}
	}
	m.hasChild = make([]bool, nodes)
	for k := range m.edges {
		m.hasChild[k>>32] = true
	}
	m.scratch.New = func() any { return new(findScratch) }
	return m
}

type builder struct {
	m     *Matcher
	stems map[string]string // memo of Stem during the build
	toks  []segment.Token
	fold  []byte
	// rootEdges collects the root's children (key id → node) until the
	// build ends and they move to Matcher.root.
	rootEdges map[int32]int32
}

func (b *builder) stem(w string) string {
	if s, ok := b.stems[w]; ok {
		return s
	}
	s := Stem(w)
	b.stems[w] = s
	return s
}

// prestemMin is the glossary size from which the build stems its words on
// every core first.
const prestemMin = 4096

// prestem fills the stem memo for every word of the Dutch terms of cs that
// it lacks, on GOMAXPROCS goroutines: stemming is half of a cold build, and
// Snowball is pure, so the words split cleanly.
func (b *builder) prestem(cs []Concept) {
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 {
		return
	}
	seen := make(map[string]bool)
	var words []string
	var toks []segment.Token
	var fold []byte
	for i := range cs {
		for _, t := range cs[i].Terms {
			if PrimaryLang(t.Lang) != SourceLang {
				continue
			}
			toks = segment.Tokens(toks[:0], t.Text)
			for _, tk := range toks {
				if tk.Kind != segment.Word {
					continue
				}
				fold = foldWord(fold[:0], t.Text[tk.Start:tk.End])
				if seen[string(fold)] {
					continue
				}
				w := string(fold)
				seen[w] = true
				if _, ok := b.stems["\x01"+w]; !ok {
					words = append(words, w)
				}
			}
		}
	}
	out := make([][2]string, len(words))
	chunk := (len(words) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(words); lo += chunk {
		hi := min(lo+chunk, len(words))
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				out[i][0], out[i][1] = stemPair(words[i])
			}
		})
	}
	wg.Wait()
	for i, w := range words {
		b.stems[w], b.stems["\x01"+w] = out[i][0], out[i][1]
	}
}

// termStems returns the keys a term word matches under: Stem, and for a
// word ending in a vowel and -s also its key without the plural-s rule, so
// that a singular such as proces or congres still meets its plural
// processen, congressen. Both come from the build's memo (the key without
// the plural-s rule under a "\x01" prefix), which the Store keeps across
// rebuilds.
func (b *builder) termStems(w string) []string {
	a, ok1 := b.stems[w]
	n, ok2 := b.stems["\x01"+w]
	if !ok1 || !ok2 {
		a, n = stemPair(w)
		b.stems[w], b.stems["\x01"+w] = a, n
	}
	if n != a {
		return []string{a, n}
	}
	return []string{a}
}

func (b *builder) add(c *Concept) {
	m := b.m
	var mc *mconcept
	ci := int32(len(m.concepts))
	def := strings.TrimSpace(c.Definition)
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
		b.addTerm(ei, t, def)
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

// isProper reports whether a term is a name (see entry.proper): no
// spaces, only words and hyphens, each word starting with a capital.
func isProper(text string, toks []segment.Token) bool {
	words := 0
	for _, tk := range toks {
		raw := text[tk.Start:tk.End]
		switch tk.Kind {
		case segment.Word:
			if r, _ := utf8.DecodeRuneInString(raw); !unicode.IsUpper(r) {
				return false
			}
			words++
		case segment.Punct:
			if raw != "-" {
				return false
			}
		default:
			return false
		}
	}
	return words > 0 && !strings.ContainsFunc(text, unicode.IsSpace)
}

// isVerbal reports whether a term gets verb forms: its part of speech says
// verb; without one, its concept's definition starts with "To "; without
// either, a single word (verbForms decides whether it looks like an
// infinitive) or a lowercase phrase ending in an infinitive-like word
// (van gedachten wisselen, sancties opleggen).
func isVerbal(t Term, def string, words []string) bool {
	if strings.TrimSpace(t.POS) != "" {
		return isVerbPOS(t.POS)
	}
	if strings.HasPrefix(def, "To ") {
		return true
	}
	if len(words) == 1 {
		return def == ""
	}
	r, _ := utf8.DecodeRuneInString(t.Text)
	return unicode.IsLower(r) && strings.HasSuffix(words[len(words)-1], "en")
}

// addTerm inserts the key sequences of one Dutch term; def is its
// concept's definition.
func (b *builder) addTerm(ei int32, t Term, def string) {
	m := b.m
	b.toks = segment.Tokens(b.toks[:0], t.Text)
	proper := isProper(t.Text, b.toks)
	var alts [][]int32 // per significant token: its key ids
	var words []string
	var vowels []vowel // per significant token (see entry.vowels)
	var vstems []string
	definite := false
	for _, tk := range b.toks {
		raw := t.Text[tk.Start:tk.End]
		b.fold = foldWord(b.fold[:0], raw)
		f := string(b.fold)
		v, st := vowelOpen, ""
		switch tk.Kind {
		case segment.Word:
			words = append(words, f)
			stems := b.termStems(f)
			var ids []int32
			for _, k := range stems {
				ids = append(ids, m.keyID(k))
			}
			alts = append(alts, ids)
			st = stems[0]
			v = vowelOf(f, st)
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
		vowels, vstems = append(vowels, v), append(vstems, st)
		definite = definite || v != vowelOpen
	}
	if len(alts) == 0 {
		return
	}
	if !proper && definite {
		m.entries[ei].vowels, m.entries[ei].vstems = vowels, vstems
	}
	verbal := !proper && isVerbal(t, def, words)
	if proper {
		e := &m.entries[ei]
		e.proper = true
		e.pwords = words[:len(words)-1]
		e.forms = properForms(words[len(words)-1])
		a := alts[len(alts)-1]
		for _, f := range e.forms[1:] {
			for _, k := range b.termStems(f) {
				if id := m.keyID(k); !slices.Contains(a, id) {
					a = append(a, id)
				}
			}
		}
		alts[len(alts)-1] = a
	}
	// Verb forms for the last word of a verbal term.
	if last := b.toks[len(b.toks)-1]; last.Kind == segment.Word && verbal {
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
	single := true
	for _, a := range alts {
		single = single && len(a) == 1
	}
	if single {
		p := make([]int32, len(alts))
		for i, a := range alts {
			p[i] = a[0]
		}
		paths[0] = p
	}
	for _, a := range alts {
		if single {
			break
		}
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
		for i, id := range p {
			var child int32
			var ok bool
			if i == 0 {
				child, ok = b.rootEdges[id]
			} else {
				child, ok = m.edges[uint64(node)<<32|uint64(uint32(id))]
			}
			if !ok {
				child = int32(len(m.final))
				m.final = append(m.final, nil)
				if i == 0 {
					b.rootEdges[id] = child
				} else {
					m.edges[uint64(node)<<32|uint64(uint32(id))] = child
				}
			}
			node = child
		}
		if !slices.Contains(m.final[node], ei) {
			m.final[node] = append(m.final[node], ei)
		}
	}
	// Closed compounds: single lowercase words of at least minCompoundTerm
	// letters that are not verbs close a compound (its head).
	verbConcept := strings.HasPrefix(def, "To ") || strings.TrimSpace(t.POS) != "" && isVerbPOS(t.POS)
	if len(alts) == 1 && len(words) == 1 && len(words[0]) >= minCompoundTerm && !proper && !verbConcept {
		f := words[0]
		addTo(m.heads, f, ei)
		if s := b.stem(f); s != f {
			addTo(m.heads, s, ei)
		}
	}
}

// pruneForms drops from each name the inflected forms that are themselves
// another name: Zweden is Sweden, not the plural of Zweed; Polen is
// Poland. The lemma beats an inflection.
func (m *Matcher) pruneForms() {
	lemmas := make(map[string]bool)
	for i := range m.entries {
		if e := &m.entries[i]; e.proper {
			lemmas[strings.Join(append(slices.Clip(e.pwords), e.forms[0]), " ")] = true
		}
	}
	for i := range m.entries {
		e := &m.entries[i]
		if !e.proper {
			continue
		}
		forms := e.forms[:1]
		for _, f := range e.forms[1:] {
			if !lemmas[strings.Join(append(slices.Clip(e.pwords), f), " ")] {
				forms = append(forms, f)
			}
		}
		e.forms = slices.Clip(forms)
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

func addTo(m map[string][]int32, k string, ei int32) {
	if !slices.Contains(m[k], ei) {
		m[k] = append(m[k], ei)
	}
}

// Len returns the number of Dutch terms the matcher recognizes.
func (m *Matcher) Len() int { return m.nTerms }

// wordInfo is the analysis of one folded word.
type wordInfo struct {
	key  int32     // key id of its stem, -1 if no term word has it
	comp *compInfo // glossary terms inside it as a closed compound, or nil
}

// compInfo says which glossary term closes a compound word.
type compInfo struct {
	head    []int32 // entries of the glossary term closing the word
	headPos int32   // folded offset where that head starts
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

// analyze stems a folded word and looks for the glossary term closing it
// as the head of a closed compound.
func (m *Matcher) analyze(fw string) wordInfo {
	wi := wordInfo{key: -1}
	st := Stem(fw)
	if id, ok := m.keys[st]; ok {
		wi.key = id
	}
	if len(fw) < minCompoundTerm+minCompoundOther || notCompoundStems()[st] {
		return wi
	}
	var ci compInfo
	// Heads: the longest suffix of the folded word, or of its stem with the
	// same derivation marker, that is a term.
	marker := ""
	if i := strings.IndexByte(st, '|'); i >= 0 {
		st, marker = st[:i], st[i:]
	}
	for k, s := range [2]string{fw, st} {
		for i := minCompoundOther; i <= len(s)-minCompoundOther; i++ {
			if ci.head != nil && int32(i) >= ci.headPos {
				break
			}
			key := s[i:]
			if k == 1 && marker != "" {
				key += marker
			}
			if es, ok := m.heads[key]; ok && compoundJoint(s, i) && !isBoundPrefix(s[:i]) {
				ci.head, ci.headPos = es, int32(i)
				break
			}
		}
	}
	if ci.head != nil {
		wi.comp = &ci
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
	key        int32     // key id, -1 if the token is in no term
	comp       *compInfo // for a compound word holding glossary terms
}

type span struct {
	first, last int // items, inclusive
	start, end  int // bytes
	node        int32
	compound    *compInfo
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
	sc := m.scratch.Get().(*findScratch)
	defer m.scratch.Put(sc)
	sc.toks = segment.Tokens(sc.toks[:0], text)
	items, fold, spans := sc.items[:0], sc.fold[:0], sc.spans[:0]
	defer func() { sc.items, sc.fold, sc.spans = items, fold, spans }()
	compounds := false
	for _, tk := range sc.toks {
		raw := text[tk.Start:tk.End]
		it := item{start: tk.Start, end: tk.End, key: -1}
		switch tk.Kind {
		case segment.Word:
			var wi wordInfo
			wi, fold = m.word(raw, fold)
			it.key, it.comp = wi.key, wi.comp
			compounds = compounds || wi.comp != nil
		case segment.Number:
			fold = foldWord(fold[:0], raw)
			if id, ok := m.keys[string(fold)]; ok {
				it.key = id
			}
		case segment.Punct:
			r, _ := utf8.DecodeRuneInString(raw)
			fold = appendFoldRune(fold[:0], r)
			if len(fold) == 1 && fold[0] == '-' {
				continue
			}
			if id, ok := m.keys[string(fold)]; ok {
				it.key = id
			}
		}
		items = append(items, it)
	}
	for i := range items {
		if items[i].key < 0 {
			continue
		}
		node := m.root[items[i].key]
		if node < 0 {
			continue
		}
		best, bestNode := -1, int32(0)
		if m.isFinal[node] && (!m.check[node] || m.nodeAccepts(node, text, items[i:i+1], &fold)) {
			best, bestNode = i, node
		}
		for j := i + 1; j < len(items) && m.hasChild[node]; j++ {
			k := items[j].key
			if k < 0 {
				break
			}
			child, ok := m.edges[uint64(node)<<32|uint64(uint32(k))]
			if !ok {
				break
			}
			node = child
			if m.isFinal[node] && (!m.check[node] || m.nodeAccepts(node, text, items[i:j+1], &fold)) {
				best, bestNode = j, node
			}
		}
		if best >= 0 {
			spans = append(spans, span{first: i, last: best, start: items[i].start, end: items[best].end, node: bestNode})
		}
	}
	if len(spans) == 0 && !compounds {
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
		slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	}
	// Closed compounds in words not covered by a term (spans is sorted, so
	// one forward pass tells which items it covers).
	if compounds {
		n, next := len(spans), 0
		for i := range items {
			it := &items[i]
			for next < n && spans[next].last < i {
				next++
			}
			if it.comp == nil || (next < n && spans[next].first <= i) {
				continue
			}
			spans = m.compoundSpans(spans, text, it, i, it.comp)
		}
		if len(spans) > n {
			slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
		}
	}
	hits := make([]Hit, 0, len(spans)+len(spans)/4)
	for _, s := range spans {
		hits, fold = m.appendHits(hits, text, s, items[s.first:s.last+1], at, fold)
	}
	return hits
}

// nodeAccepts reports whether some entry ending at node accepts the words
// of items (see entry.accepts).
func (m *Matcher) nodeAccepts(node int32, text string, items []item, fold *[]byte) bool {
	for _, ei := range m.finalEs[m.finalOff[node]:m.finalOff[node+1]] {
		ok := false
		if ok, *fold = m.entries[ei].accepts(text, items, *fold); ok {
			return true
		}
	}
	return false
}

// accepts reports whether the words of items spell the entry: for a
// stem-matched term, unless a word spells the other vowel length (see
// entry.vowels); for a name, its words exactly and its last word in
// one of its forms, or, when the text writes it in lower case, only as
// the lemma (navo is NAVO, but pool is no Pole). fold is scratch space,
// returned for reuse.
func (e *entry) accepts(text string, items []item, fold []byte) (bool, []byte) {
	if !e.proper {
		if len(items) != len(e.vowels) {
			return true, fold
		}
		for k, it := range items {
			if e.vowels[k] == vowelOpen {
				continue
			}
			fold = foldWord(fold[:0], text[it.start:it.end])
			if v := vowelOf(string(fold), e.vstems[k]); v != vowelOpen && v != e.vowels[k] {
				return false, fold
			}
		}
		return true, fold
	}
	if len(items) != len(e.pwords)+1 {
		return false, fold
	}
	r, _ := utf8.DecodeRuneInString(text[items[0].start:])
	lower := !unicode.IsUpper(r)
	for k, it := range items {
		fold = foldWord(fold[:0], text[it.start:it.end])
		switch {
		case k < len(e.pwords):
			if string(fold) != e.pwords[k] {
				return false, fold
			}
		case lower:
			return string(fold) == e.forms[0], fold
		default:
			return slices.Contains(e.forms, string(fold)), fold
		}
	}
	return false, fold
}

// compoundSpans adds the head of one compound word.
func (m *Matcher) compoundSpans(spans []span, text string, it *item, i int, wi *compInfo) []span {
	raw := text[it.start:it.end]
	at := func(folded int) int { return it.start + folded } // ASCII: folded offsets are raw offsets
	for j := 0; j < len(raw); j++ {
		if raw[j] >= 0x80 {
			_, pos := foldMap(raw)
			at = func(folded int) int { return it.start + pos[min(folded, len(pos)-1)] }
			break
		}
	}
	if wi.head != nil {
		spans = append(spans, span{first: i, last: i, start: at(int(wi.headPos)), end: it.end, compound: wi})
	}
	return spans
}

// appendHits appends one Hit per concept of the span's entries; items are
// the words it covers. fold is scratch space, returned for reuse.
func (m *Matcher) appendHits(hits []Hit, text string, s span, items []item, at time.Time, fold []byte) ([]Hit, []byte) {
	es := m.finalEs[m.finalOff[s.node]:m.finalOff[s.node+1]]
	if s.compound != nil {
		es = s.compound.head
	}
	surface := text[s.start:s.end]
	var folded string
	first := len(hits)
	for _, ei := range es {
		e := &m.entries[ei]
		if e.proper || e.vowels != nil && s.compound == nil {
			ok := false
			if ok, fold = e.accepts(text, items, fold); !ok || e.proper && s.compound != nil {
				continue
			}
		}
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
		hits = append(hits, Hit{})
		m.fillHit(&hits[len(hits)-1], s, surface, e, at)
	}
	return hits, fold
}

func (m *Matcher) hit(s span, surface string, e *entry, at time.Time) Hit {
	var h Hit
	m.fillHit(&h, s, surface, e, at)
	return h
}

func (m *Matcher) fillHit(h *Hit, s span, surface string, e *entry, at time.Time) {
	c := &m.concepts[e.concept]
	h.Start, h.End, h.Text = s.start, s.end, surface
	h.ConceptID, h.Term, h.Targets = c.id, e.term, c.targets
	h.Compound, h.Expired, h.Subject = s.compound != nil, !c.valid(at), c.subject
	if e.term.Status.Discouraged() {
		h.Alternatives = c.preferred
	}
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
