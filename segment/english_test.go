package segment

import (
	"strings"
	"testing"

	"github.com/tolkdev/tolk"
)

func TestEnglish(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Mr. Smith went to Washington. He arrived at 3 p.m. on Jan. 5, 2004.", []string{"Mr. Smith went to Washington.", "He arrived at 3 p.m. on Jan. 5, 2004."}},
		{"J. R. R. Tolkien wrote it. J.R.R. Tolkien did.", []string{"J. R. R. Tolkien wrote it.", "J.R.R. Tolkien did."}},
		{"He lives in the U.S. The weather is fine.", []string{"He lives in the U.S.", "The weather is fine."}},
		{"Apples, pears, etc. are fruit. See Fig. 3 and pp. 4-5.", []string{"Apples, pears, etc. are fruit.", "See Fig. 3 and pp. 4-5."}},
		{"\"Is it?\" she asked. \"Yes!\" Then silence.", []string{"\"Is it?\" she asked.", "\"Yes!\"", "Then silence."}},
		{"Wait... what? It costs $1.50. It was 3.14 exactly.", []string{"Wait... what?", "It costs $1.50.", "It was 3.14 exactly."}},
		{"Heading without stop\n\nFirst sentence. Second one.", []string{"Heading without stop", "First sentence.", "Second one."}},
		{"\"Are you ready?\" CNN reported. Then it rained.", []string{"\"Are you ready?\" CNN reported.", "Then it rained."}},
		{"Mail john.doe@example.com or see www.example.com. Thanks.", []string{"Mail john.doe@example.com or see www.example.com.", "Thanks."}},
	}
	for _, tt := range tests {
		got := segTexts(English().Split(tt.text))
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("English().Split(%q)\n got %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

func TestBuiltin(t *testing.T) {
	for lang, want := range map[string]*Segmenter{"nl": Dutch(), "NL-be": Dutch(), "nld": Dutch(), "en": English(), "en_GB": English()} {
		if got, err := Builtin(lang); err != nil || got != want {
			t.Errorf("Builtin(%q) = %p, %v", lang, got, err)
		}
	}
	if _, err := Builtin("fr"); tolk.ErrorCode(err) != tolk.ENOTFOUND {
		t.Errorf("Builtin(fr): %v, want ENOTFOUND", err)
	}
}
