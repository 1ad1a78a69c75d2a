package segment

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"sync"

	"github.com/tolkdev/tolk"
)

//go:embed rules/*.srx rules/*.punkt
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
	dutchRules   = builtin("nl.srx", "nl")
	englishRules = builtin("en.srx", "en")
	dutchPunkt   = punktModel("nl.punkt")
	englishPunkt = punktModel("en.punkt")
	dutch        = withModel(dutchRules, dutchPunkt)
	english      = withModel(englishRules, englishPunkt)
)

// punktModel parses an embedded boundary model once.
func punktModel(file string) func() (*PunktModel, error) {
	return sync.OnceValues(func() (*PunktModel, error) {
		data, err := rulesFS.ReadFile("rules/" + file)
		if err != nil {
			return nil, fmt.Errorf("punkt model rules/%s: %w; rebuild it with: %s", file, err, punktRebuild)
		}
		return LoadPunkt(bytes.NewReader(data), "segment/rules/"+file+" (embedded)")
	})
}

// withModel attaches an embedded model to embedded rules, once; both are
// tested, so a failure is a programming error.
func withModel(rules func() *Segmenter, model func() (*PunktModel, error)) func() *Segmenter {
	return sync.OnceValue(func() *Segmenter {
		m, err := model()
		if err != nil {
			panic("segment: " + err.Error())
		}
		return rules().WithPunkt(m)
	})
}

// DutchPunkt returns the embedded Dutch boundary model (rules/nl.punkt,
// built by segment/cmd/trainpunkt), parsed once; an error names the file
// and the command that rebuilds it. Commands call it at start so that a
// broken build fails there, not on the first text.
func DutchPunkt() (*PunktModel, error) { return dutchPunkt() }

// EnglishPunkt returns the embedded English boundary model
// (rules/en.punkt), as DutchPunkt.
func EnglishPunkt() (*PunktModel, error) { return englishPunkt() }

// Builtin returns the built-in segmenter for a language code: Dutch for
// "nl", "nl-BE", "nld", …, English for "en", "en-GB", "eng", …. Other
// languages get a *tolk.Error with code ENOTFOUND; callers that want a
// default use Dutch.
func Builtin(lang string) (*Segmenter, error) {
	l := strings.ToLower(lang)
	if i := strings.IndexAny(l, "-_"); i >= 0 {
		l = l[:i]
	}
	switch l {
	case "nl", "nld", "dut":
		return Dutch(), nil
	case "en", "eng":
		return English(), nil
	}
	return nil, tolk.Errorf(tolk.ENOTFOUND, "no built-in segmentation rules for language %q (there are rules for nl and en; pass an SRX file for others)", lang)
}

// Dutch returns the segmenter for Dutch with Tolk's built-in rules
// (rules/nl.srx) and boundary model (rules/nl.punkt, see PunktModel),
// compiled once on first use.
func Dutch() *Segmenter { return dutch() }

// English returns the segmenter for English with Tolk's built-in rules
// (rules/en.srx) and boundary model (rules/en.punkt), compiled once on
// first use.
func English() *Segmenter { return english() }
