package translate

import (
	"strings"

	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/segment"
)

// TermCheck is the result of checking a draft for one glossary hit.
type TermCheck int

// Term check results.
const (
	Unchecked     TermCheck = iota // no draft to check
	TermOK                         // the draft holds a preferred or admitted English term
	TermMissing                    // the draft holds none of the concept's English terms
	TermForbidden                  // the draft holds a forbidden or deprecated English term
)

// String returns the result in lower case.
func (c TermCheck) String() string {
	return [...]string{"unchecked", "ok", "missing", "forbidden"}[c]
}

// draftWords is a draft tokenized for term checks: folded words, without
// diacritics and punctuation.
type draftWords []string

func words(s string) []string {
	s = segment.StripDiacritics(segment.Fold(s))
	var out []string
	for _, t := range segment.Tokens(nil, s) {
		if t.Kind == segment.Word || t.Kind == segment.Number {
			out = append(out, s[t.Start:t.End])
		}
	}
	return out
}

// sameWord reports whether draft word d is a form of term word w: w
// itself, or w with an English plural, possessive or verb ending
// ("measures", "ministries", "state's", "seized", "accredited",
// "targeting", "stopped").
func sameWord(d, w string) bool {
	if d == w {
		return true
	}
	if rest, ok := strings.CutPrefix(d, w); ok {
		switch rest {
		case "s", "es", "'s", "ed", "d", "ing":
			return true
		}
		// A doubled final consonant: "stop" → "stopped", "stopping".
		if n := len(w); n > 0 && (rest == w[n-1:]+"ed" || rest == w[n-1:]+"ing") {
			return true
		}
	}
	if n := len(w); n > 1 {
		switch w[n-1] {
		case 'y': // "ministry" → "ministries", "deny" → "denied"
			return d == w[:n-1]+"ies" || d == w[:n-1]+"ied"
		case 'e': // "seize" → "seizing"
			return d == w[:n-1]+"ing"
		}
	}
	return false
}

// contains reports whether the term's words occur in order, adjacent, in d.
func (d draftWords) contains(term string) bool {
	tw := words(term)
	if len(tw) == 0 {
		return false
	}
	for i := 0; i+len(tw) <= len(d); i++ {
		ok := true
		for j, w := range tw {
			if !sameWord(d[i+j], w) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// Check checks a draft translation against a glossary hit: a forbidden or
// deprecated English term in the draft is flagged, else a preferred or
// admitted one makes it OK, else the term is missing. An empty draft is
// not checked.
func Check(draft string, h glossary.Hit) TermCheck {
	if strings.TrimSpace(draft) == "" {
		return Unchecked
	}
	return draftWords(words(draft)).check(h)
}

func (d draftWords) check(h glossary.Hit) TermCheck {
	ok := false
	for _, t := range h.Targets {
		if !d.contains(t.Text) {
			continue
		}
		if t.Status.Discouraged() {
			return TermForbidden
		}
		ok = true
	}
	if ok {
		return TermOK
	}
	return TermMissing
}

// CodeCheck is the check of a draft's inline codes against its segment's:
// how many of the segment's codes the draft lacks, and how many codes it
// holds that the segment does not. A CAT tool places codes by kind and
// order, so the check counts codes, not their numbers, which differ
// between the segment and the stored unit the draft comes from.
type CodeCheck struct {
	Missing, Extra int
}

// OK reports whether the draft has as many inline codes as its segment.
func (c CodeCheck) OK() bool { return c.Missing == 0 && c.Extra == 0 }

// CheckCodes compares the inline-code placeholders (segment.CodeRune) of
// a segment's text and of its draft.
func CheckCodes(text, draft string) CodeCheck {
	n, m := countCodes(text), countCodes(draft)
	return CodeCheck{Missing: max(0, n-m), Extra: max(0, m-n)}
}

func countCodes(s string) int {
	n := 0
	for _, r := range s {
		if segment.IsCodeRune(r) {
			n++
		}
	}
	return n
}
