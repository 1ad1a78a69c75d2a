package seeds

import (
	"os"
	"strings"
	"testing"

	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/internal/shareddata"
)

func TestArticleIsTheSeed(t *testing.T) {
	b, err := os.ReadFile(shareddata.Path(t, "../seeds/000_e48ff61885ed78cc.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if Article() != string(b) {
		t.Error("seeds/article.nl.txt differs from the shared seed article; keep its text as it is")
	}
}

func TestUnits(t *testing.T) {
	units, err := Units()
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != 11 {
		t.Errorf("%d seed units, want 11 (the title and ten sentences)", len(units))
	}
	for i, u := range units {
		if u.Source == "" || u.Target == "" || strings.Contains(u.Target, "\n") {
			t.Errorf("unit %d is incomplete: %+v", i, u)
		}
		if i > 0 && u.PrevSource != units[i-1].Source {
			t.Errorf("unit %d: previous context %q", i, u.PrevSource)
		}
	}
}

func TestConcepts(t *testing.T) {
	cs, err := Concepts()
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) < 400 {
		t.Errorf("%d seed concepts, want at least 400", len(cs))
	}
	seen := map[string]bool{}
	for _, c := range cs {
		if seen[c.ID] {
			t.Errorf("duplicate concept id %q", c.ID)
		}
		seen[c.ID] = true
		var nl, en bool
		for _, term := range c.Terms {
			nl = nl || glossary.PrimaryLang(term.Lang) == "nl"
			en = en || glossary.PrimaryLang(term.Lang) == "en"
		}
		if !nl || !en {
			t.Errorf("concept %q lacks a Dutch or an English term", c.ID)
		}
	}
}
