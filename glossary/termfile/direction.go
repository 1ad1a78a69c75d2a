package termfile

import (
	_ "embed"
	"strings"
	"unicode"
)

// The marker words: frequent in one language's text and absent from the
// other's (see the files' headers and internal/genlang).
var (
	//go:embed data/nl-markers.txt
	nlMarkersText string
	//go:embed data/en-markers.txt
	enMarkersText string
)

// markers is a set of marker words per language.
type markers struct{ nl, en map[string]bool }

// loadMarkers parses the embedded word lists.
func loadMarkers() markers {
	return markers{nl: wordSet(nlMarkersText), en: wordSet(enMarkersText)}
}

func wordSet(text string) map[string]bool {
	set := make(map[string]bool, 2048)
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			set[line] = true
		}
	}
	return set
}

// The evidence a direction needs: at least minEvidence marker words that
// agree with it, and at least evidenceRatio times as many as agree with
// the other direction.
const (
	minEvidence   = 5
	evidenceRatio = 3
)

// direction decides from two columns of text which is Dutch: it counts
// Dutch marker words in one and English ones in the other, both ways. It
// returns the languages of the columns, or ok == false when the counts do
// not clearly favour one direction (too few entries, or neither language).
func (m markers) direction(col0, col1 []string) (src, tgt string, ok bool) {
	n0, e0 := m.count(col0)
	n1, e1 := m.count(col1)
	nlFirst, enFirst := n0+e1, e0+n1
	switch {
	case nlFirst >= minEvidence && nlFirst >= evidenceRatio*enFirst:
		return "nl", "en", true
	case enFirst >= minEvidence && enFirst >= evidenceRatio*nlFirst:
		return "en", "nl", true
	}
	return "", "", false
}

// count returns how many words of texts are Dutch and English markers.
func (m markers) count(texts []string) (nl, en int) {
	for _, t := range texts {
		for _, w := range strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if m.nl[w] {
				nl++
			}
			if m.en[w] {
				en++
			}
		}
	}
	return nl, en
}
