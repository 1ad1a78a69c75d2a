package glossary

// Closed compounds: which glossary term closes a word as its head, and
// the conditions for reading a word as a compound at all.

import (
	"strings"
)

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

// compInfo says which glossary term closes a compound word.
type compInfo struct {
	head    []int32 // entries of the glossary term closing the word
	headPos int32   // folded offset where that head starts
	// next is the next shorter head, for a search that leaves out the
	// glossaries of this one's entries (FindIn); kept only when the
	// matcher holds several glossaries.
	next *compInfo
}

// headIn returns the first head of the chain with an entry of a searched
// glossary, or nil.
func (m *Matcher) headIn(ci *compInfo, rank []int32) *compInfo {
	for ; ci != nil; ci = ci.next {
		for _, ei := range ci.head {
			if rank[m.concepts[m.entries[ei].concept].glossary] >= 0 {
				return ci
			}
		}
	}
	return nil
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
		if len(m.glossaries) > 1 {
			m.shorterHeads(&ci, fw, st, marker)
		}
	}
	return wi
}

// shorterHeads chains to ci the heads shorter than it, longest first,
// found as analyze finds the longest.
func (m *Matcher) shorterHeads(ci *compInfo, fw, st, marker string) {
	last := ci
	for i := int(ci.headPos) + 1; i <= len(fw)-minCompoundOther; i++ {
		var es []int32
		for k, s := range [2]string{fw, st} {
			if i > len(s)-minCompoundOther {
				continue
			}
			key := s[i:]
			if k == 1 && marker != "" {
				key += marker
			}
			if e, ok := m.heads[key]; ok && compoundJoint(s, i) && !isBoundPrefix(s[:i]) {
				es = e
				break
			}
		}
		if es != nil {
			last.next = &compInfo{head: es, headPos: int32(i)}
			last = last.next
		}
	}
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
