package glossary

import (
	"strings"
	"time"
)

// NaiveMatcher is the baseline the recognizer is measured against: every
// Dutch term is searched for as a case-insensitive substring of the text,
// one term after another, with no stemming, no word boundaries and no
// overlap resolution (what translate-toolkit's terminology matcher does).
// Use it in tests and benchmarks only.
type NaiveMatcher struct {
	terms []naiveTerm
}

type naiveTerm struct {
	lower string
	hit   Hit // template
}

// NewNaiveMatcher builds the baseline over the Dutch terms of cs.
func NewNaiveMatcher(cs []Concept) *NaiveMatcher {
	n := &NaiveMatcher{}
	for i := range cs {
		mc := conceptInfo(&cs[i])
		for _, t := range cs[i].Terms {
			if PrimaryLang(t.Lang) != SourceLang || strings.TrimSpace(t.Text) == "" {
				continue
			}
			h := Hit{ConceptID: cs[i].ID, Term: t, Targets: mc.targets, Subject: cs[i].Subject}
			if t.Status.Discouraged() {
				h.Alternatives = mc.preferred
			}
			n.terms = append(n.terms, naiveTerm{lower: strings.ToLower(t.Text), hit: h})
		}
	}
	return n
}

// Find returns every occurrence of every term in text (byte offsets into
// the lower-cased text, which equal the input's for ASCII and most Dutch).
// at is ignored: the baseline knows no validity dates.
func (n *NaiveMatcher) Find(text string, at time.Time) []Hit {
	lower := strings.ToLower(text)
	var hits []Hit
	for _, t := range n.terms {
		for off := 0; ; {
			i := strings.Index(lower[off:], t.lower)
			if i < 0 {
				break
			}
			h := t.hit
			h.Start, h.End = off+i, off+i+len(t.lower)
			if h.End <= len(text) {
				h.Text = text[h.Start:h.End]
			}
			hits = append(hits, h)
			off += i + len(t.lower)
		}
	}
	return hits
}
