package glossary

// Finding terms in text: Find walks the words of a text through the trie
// built in build.go, adds compound heads (compound.go) and turns the spans
// into Hits.

import (
	"cmp"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tolkdev/tolk/segment"
)

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
func (m *Matcher) Find(text string, at time.Time) []Hit { return m.find(text, at, nil) }

// FindIn is Find with the terms of the named glossaries only, in priority
// order; no names means every glossary, in name order. Names the matcher
// does not know (a glossary without concepts) find nothing. When glossaries
// of different priority hold the words of one span, the hit is the
// highest-priority glossary's, and the hits of the others are in its
// Others, highest first. Spans are still chosen longest first among the
// named glossaries' terms, whatever their priority.
func (m *Matcher) FindIn(text string, at time.Time, glossaries []string) []Hit {
	if m == nil || len(glossaries) == 0 {
		return m.find(text, at, nil)
	}
	rank := make([]int32, len(m.glossaries))
	for i := range rank {
		rank[i] = -1
	}
	any := false
	for i, g := range glossaries {
		if j, ok := slices.BinarySearch(m.glossaries, g); ok && rank[j] < 0 {
			rank[j] = int32(i)
			any = true
		}
	}
	if !any {
		return nil
	}
	return m.find(text, at, rank)
}

// Glossaries returns the names of the glossaries whose terms the matcher
// holds, sorted. The caller must not modify it.
func (m *Matcher) Glossaries() []string { return m.glossaries }

// find is FindIn with the glossaries' priorities: rank[g] is the priority
// of glossary g (0 highest; -1: not searched); nil means all, in name order.
func (m *Matcher) find(text string, at time.Time, rank []int32) []Hit {
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
		if m.isFinal[node] && (rank == nil || m.nodeIn(node, rank)) && (!m.check[node] || m.nodeAccepts(node, text, items[i:i+1], &fold)) {
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
			if m.isFinal[node] && (rank == nil || m.nodeIn(node, rank)) && (!m.check[node] || m.nodeAccepts(node, text, items[i:j+1], &fold)) {
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
			comp := it.comp
			if rank != nil {
				if comp = m.headIn(comp, rank); comp == nil {
					continue
				}
			}
			spans = m.compoundSpans(spans, text, it, i, comp)
		}
		if len(spans) > n {
			slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
		}
	}
	hits := make([]Hit, 0, len(spans)+len(spans)/4)
	for _, s := range spans {
		hits, fold = m.appendHits(hits, text, s, items[s.first:s.last+1], at, fold, rank)
	}
	return hits
}

// nodeIn reports whether some entry ending at node is of a searched
// glossary.
func (m *Matcher) nodeIn(node int32, rank []int32) bool {
	for _, ei := range m.finalEs[m.finalOff[node]:m.finalOff[node+1]] {
		if rank[m.concepts[m.entries[ei].concept].glossary] >= 0 {
			return true
		}
	}
	return false
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

// appendHits appends one Hit per concept of the span's entries; items are
// the words it covers. fold is scratch space, returned for reuse.
func (m *Matcher) appendHits(hits []Hit, text string, s span, items []item, at time.Time, fold []byte, rank []int32) ([]Hit, []byte) {
	es := m.finalEs[m.finalOff[s.node]:m.finalOff[s.node+1]]
	if s.compound != nil {
		es = s.compound.head
	}
	surface := text[s.start:s.end]
	var folded string
	first := len(hits)
	for _, ei := range es {
		e := &m.entries[ei]
		if rank != nil && rank[m.concepts[e.concept].glossary] < 0 {
			continue
		}
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
	if len(hits)-first > 1 && len(m.glossaries) > 1 {
		hits = m.byPriority(hits, first, rank)
	}
	return hits, fold
}

// byPriority folds the hits of one span, hits[first:], that come from
// glossaries of lower priority into the Others of the first hit of the
// highest-priority glossary among them.
func (m *Matcher) byPriority(hits []Hit, first int, rank []int32) []Hit {
	prio := func(h *Hit) int32 {
		g, _ := slices.BinarySearch(m.glossaries, h.Glossary)
		if rank == nil {
			return int32(g)
		}
		return rank[g]
	}
	span := hits[first:]
	best := prio(&span[0])
	mixed := false
	for i := range span[1:] {
		p := prio(&span[i+1])
		mixed = mixed || p != best
		best = min(best, p)
	}
	if !mixed {
		return hits
	}
	var kept, others []Hit
	for _, h := range span {
		if prio(&h) == best {
			kept = append(kept, h)
		} else {
			others = append(others, h)
		}
	}
	slices.SortStableFunc(others, func(a, b Hit) int { return cmp.Compare(prio(&a), prio(&b)) })
	kept[0].Others = others
	return append(hits[:first], kept...)
}

func (m *Matcher) hit(s span, surface string, e *entry, at time.Time) Hit {
	var h Hit
	m.fillHit(&h, s, surface, e, at)
	return h
}

func (m *Matcher) fillHit(h *Hit, s span, surface string, e *entry, at time.Time) {
	c := &m.concepts[e.concept]
	h.Start, h.End, h.Text = s.start, s.end, surface
	h.ConceptID, h.Term, h.Targets, h.Glossary = c.id, e.term, c.targets, m.glossaries[c.glossary]
	h.Compound, h.Expired, h.Subject = s.compound != nil, !c.valid(at), c.subject
	if e.term.Status.Discouraged() {
		h.Alternatives = c.preferred
	}
}
