package glossary

import (
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
	// glossaries are the names of the concepts' glossaries, sorted;
	// mconcept.glossary indexes it.
	glossaries []string
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
	glossary    int32 // index into Matcher.glossaries
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

// Len returns the number of Dutch terms the matcher recognizes.
func (m *Matcher) Len() int { return m.nTerms }
