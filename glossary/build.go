package glossary

// Building a Matcher: the trie of stemmed term words, the table of
// compound heads, and the forms (inflections, verb forms, names) each term
// is found under. NewMatcher and the Store's rebuilds go through here.

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/tolkdev/tolk/segment"
)

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
	gis := make(map[string]int32)
	for i := range cs {
		if _, ok := gis[cs[i].Glossary]; !ok {
			gis[cs[i].Glossary] = 0
			m.glossaries = append(m.glossaries, cs[i].Glossary)
		}
	}
	slices.Sort(m.glossaries)
	for i, g := range m.glossaries {
		gis[g] = int32(i)
	}
	for i := range cs {
		b.add(&cs[i], gis[cs[i].Glossary])
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

func (b *builder) add(c *Concept, glossary int32) {
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
			mc.glossary = glossary
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
