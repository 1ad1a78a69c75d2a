package segment

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/tolkdev/tolk/segment/internal/goldeval"
)

// loadHardCases reads testdata/hardcases_nl.txt: one gold sentence per
// line, paragraphs separated by blank lines, # comments.
func loadHardCases(t *testing.T) []goldeval.Case {
	t.Helper()
	f, err := os.Open("testdata/hardcases_nl.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []goldeval.Case
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, goldeval.Case{ID: "hard" + string(rune('A'+len(out))), Text: strings.Join(cur, " "), Segments: cur})
			cur = nil
		}
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(l, "#"):
		case l == "":
			flush()
		default:
			cur = append(cur, l)
		}
	}
	flush()
	return out
}

// TestPunktHardCases scores the rules alone and with the model on Tolk's
// own hard cases (single capitals ending sentences, initials, final
// abbreviations): the model must find every boundary the rules find and
// reach F1 ≥ 0.95 there.
func TestPunktHardCases(t *testing.T) {
	cases := loadHardCases(t)
	rules, _ := scoreCases(dutchRules(), cases)
	model, errs := scoreCases(Dutch(), cases)
	t.Logf("hard cases (%d paragraphs): nl.srx alone %s", len(cases), rules)
	t.Logf("hard cases (%d paragraphs): nl.srx + nl.punkt %s", len(cases), model)
	for _, e := range errs {
		t.Log(e)
	}
	if model.F1() < 0.95 || model.TP < rules.TP {
		t.Errorf("hard cases: model F1 %.4f (rules alone %.4f), want ≥ 0.95 and no boundary lost", model.F1(), rules.F1())
	}
}
