package align

import (
	"time"

	"github.com/tolkdev/tolk/glossary"
)

// termFinder is what GlossaryLexicon needs of a glossary: a *glossary.Store
// or a *glossary.Matcher.
type termFinder interface {
	Find(text string, at time.Time) []glossary.Hit
}

// GlossaryLexicon returns the Lexicon of a glossary: each term found in a
// Dutch sentence, with its admitted and preferred English terms. It is safe
// for concurrent use when g is.
func GlossaryLexicon(g termFinder) Lexicon { return glossaryLexicon{g} }

type glossaryLexicon struct{ g termFinder }

func (l glossaryLexicon) Translations(nl string) []Anchor {
	hits := l.g.Find(nl, time.Time{})
	out := make([]Anchor, 0, len(hits))
	for _, h := range hits {
		a := Anchor{Start: h.Start, End: h.End}
		for _, t := range h.Targets {
			if !t.Status.Discouraged() {
				a.English = append(a.English, t.Text)
			}
		}
		if len(a.English) > 0 {
			out = append(out, a)
		}
	}
	return out
}
