package segment

import (
	"bytes"
	"embed"
	"sync"
)

//go:embed rules/*.srx
var rulesFS embed.FS

// builtin compiles an embedded rule file; the files are tested, so a
// failure here is a programming error.
func builtin(file, lang string) func() *Segmenter {
	return sync.OnceValue(func() *Segmenter {
		data, err := rulesFS.ReadFile("rules/" + file)
		if err != nil {
			panic("segment: embedded rules: " + err.Error())
		}
		x, err := ParseSRX(bytes.NewReader(data))
		if err != nil {
			panic("segment: embedded rules " + file + ": " + err.Error())
		}
		s, err := x.Segmenter(lang)
		if err != nil {
			panic("segment: embedded rules " + file + ": " + err.Error())
		}
		return s
	})
}

var (
	dutch   = builtin("nl.srx", "nl")
	english = builtin("en.srx", "en")
)

// Dutch returns the segmenter for Dutch with Tolk's built-in rules
// (rules/nl.srx), compiled once on first use.
func Dutch() *Segmenter { return dutch() }

// English returns the segmenter for English with Tolk's built-in rules
// (rules/en.srx), compiled once on first use.
func English() *Segmenter { return english() }
