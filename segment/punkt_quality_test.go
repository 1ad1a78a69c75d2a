package segment

import (
	"fmt"
	"testing"

	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/segment/internal/goldeval"
	"github.com/tolkdev/tolk/segment/internal/punkttrain"
)

// heldOutCases turns the held-out documents of a gold corpus into scored
// paragraphs: the gold sentences joined by one space.
func heldOutCases(c punkttrain.Corpus) []goldeval.Case {
	docs := make([][]string, 0, len(c.HeldOut))
	for _, d := range c.HeldOut {
		docs = append(docs, d.Sentences)
	}
	return goldeval.FromSentences(c.Name, docs)
}

func scoreCases(s *Segmenter, cases []goldeval.Case) (goldeval.Score, []string) {
	var total goldeval.Score
	var errs []string
	for _, c := range cases {
		sc, fps, fns := goldeval.Compare(goldeval.Boundaries(c.Segments), goldeval.Boundaries(segTexts(s.Split(c.Text))))
		total.Add(sc)
		for _, b := range fps {
			errs = append(errs, fmt.Sprintf("FP %s: %s", c.ID, goldeval.Context(c.Text, b)))
		}
		for _, b := range fns {
			errs = append(errs, fmt.Sprintf("FN %s: %s", c.ID, goldeval.Context(c.Text, b)))
		}
	}
	return total, errs
}

// TestPunktHeldOut scores the rules alone and the rules with the boundary
// model side by side on the held-out part of every gold corpus the model
// was trained from (the model never saw these documents). The model must
// not lower F1 anywhere. -v lists the errors of the model.
func TestPunktHeldOut(t *testing.T) {
	root, ok := shareddata.Root()
	if !ok {
		shareddata.Path(t, "SOURCES.md") // skips with the message
	}
	for _, lang := range []struct {
		code          string
		rules, withIt *Segmenter
	}{{"nl", dutchRules(), Dutch()}, {"en", englishRules(), English()}} {
		corpora, err := punkttrain.Load(root, lang.code)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-24s %-40s %s", "held-out corpus", lang.code+".srx alone", lang.code+".srx + "+lang.code+".punkt")
		heldOutSideBySide(t, corpora, lang.rules, lang.withIt)
	}
}

func heldOutSideBySide(t *testing.T, corpora []punkttrain.Corpus, rulesOnly, withModel *Segmenter) {
	for _, c := range corpora {
		if !c.Gold {
			continue
		}
		cases := heldOutCases(c)
		rules, _ := scoreCases(rulesOnly, cases)
		model, errs := scoreCases(withModel, cases)
		t.Logf("%-24s %-40s %s", c.Name, rules, model)
		if testing.Verbose() {
			for _, e := range errs {
				t.Log(e)
			}
		}
		if model.F1() < rules.F1() {
			t.Errorf("%s: the model lowers held-out F1 from %.4f to %.4f", c.Name, rules.F1(), model.F1())
		}
	}
}
