package glossary

import (
	_ "embed"
	"strings"
	"sync"
)

// The lexical knowledge of the recognizer, as data with its provenance in
// each file's header (see glossary/data).
var (
	//go:embed data/irregular.txt
	irregularText string
	//go:embed data/not-compounds.txt
	notCompoundsText string
	//go:embed data/places.txt
	placesText string
	//go:embed data/separable-prefixes.txt
	separablePrefixesText string
	//go:embed data/bound-prefixes.txt
	boundPrefixesText string
)

// separablePrefixes returns the separable verb particles
// (data/separable-prefixes.txt) in file order.
var separablePrefixes = sync.OnceValue(func() []string { return dataLines(separablePrefixesText) })

// boundPrefixes returns the Latin prefixes that form words, not compounds
// (data/bound-prefixes.txt).
var boundPrefixes = sync.OnceValue(func() []string { return dataLines(boundPrefixesText) })

// irregularForm is one line of data/irregular.txt.
type irregularForm struct{ from, to string }

// irregularForms returns data/irregular.txt parsed once, in file order
// (the first ending that fits wins).
var irregularForms = sync.OnceValue(func() []irregularForm { return parseIrregular(irregularText) })

// notCompoundStems returns the Stem of every word of data/not-compounds.txt
// and data/places.txt: words the recognizer never splits as compounds.
var notCompoundStems = sync.OnceValue(func() map[string]bool {
	set := make(map[string]bool)
	for _, text := range []string{notCompoundsText, placesText} {
		for _, w := range dataLines(text) {
			set[Stem(FoldTerm(w))] = true
		}
	}
	return set
})

// dataLines returns the non-blank, non-comment lines of a data file.
func dataLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// parseIrregular parses data/irregular.txt ("ending base" per line).
func parseIrregular(text string) []irregularForm {
	var out []irregularForm
	for _, l := range dataLines(text) {
		f := strings.Fields(l)
		if len(f) != 2 {
			panic("glossary/data/irregular.txt: want \"ending base\", got " + l) // embedded: a build error
		}
		out = append(out, irregularForm{f[0], f[1]})
	}
	return out
}
