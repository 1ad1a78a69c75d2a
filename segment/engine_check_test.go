package segment

import (
	"strings"
	"testing"

	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/segment/internal/goldeval"
)

// TestLanguageToolRulesOnTheirOwnTests runs LanguageTool's Dutch SRX rules
// (through this engine) on LanguageTool's Dutch test cases: a check of the
// engine's SRX semantics and Java regex translation (look-behind, class
// intersection, possessive quantifiers) against the rules' own expectations.
func TestLanguageToolRulesOnTheirOwnTests(t *testing.T) {
	x := loadSRX(t, shareddata.Path(t, "segmentation/srx/languagetool-segment.srx"))
	s, err := x.Segmenter("nl")
	if err != nil {
		t.Fatal(err)
	}
	cases, err := goldeval.Load(shareddata.Path(t, "segmentation/gold/languagetool_nl_srx_tests.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	ok := 0
	for _, c := range cases {
		got := segTexts(s.Split(c.Text))
		var want []string
		for _, w := range c.Segments {
			want = append(want, strings.TrimSpace(w))
		}
		if strings.Join(got, "|") == strings.Join(want, "|") {
			ok++
		} else {
			t.Logf("%s: got %q want %q", c.ID, got, want)
		}
	}
	t.Logf("LanguageTool rules pass %d of %d LanguageTool cases", ok, len(cases))
	if ok < len(cases) {
		t.Errorf("LanguageTool rules pass %d of %d cases, want all", ok, len(cases))
	}
}
