package glossary

import (
	"bufio"
	"os"
	"testing"
	"time"

	"github.com/tolkdev/tolk/internal/shareddata"
)

// TestLexicon checks the word lists of glossary/data against Snowball's
// Dutch vocabulary (every irregular form and base is a Dutch word, save
// the few the file's header names), and that the not-compound list is
// matched on stems: inflected and genitive forms of a listed word are not
// split either, while a real compound still is.
func TestLexicon(t *testing.T) {
	f, err := os.Open(shareddata.Path(t, "stemmer/snowball_dutch/voc.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	voc := map[string]bool{}
	for sc := bufio.NewScanner(f); sc.Scan(); {
		voc[sc.Text()] = true
	}
	onlyInCompounds := map[string]bool{"lieden": true, "liederen": true, "gelederen": true, "gelid": true, "smeden": true}
	for _, ir := range irregularForms() {
		for _, w := range []string{ir.from, ir.to} {
			if !voc[w] && !onlyInCompounds[w] {
				t.Errorf("irregular.txt: %q is not in Snowball's Dutch vocabulary", w)
			}
		}
	}
	for _, w := range dataLines(notCompoundsText) {
		if len([]rune(w)) < minCompoundTerm+minCompoundOther {
			t.Errorf("not-compounds.txt: %q is shorter than %d letters, so the list is never read for it", w, minCompoundTerm+minCompoundOther)
		}
	}
	cs := []Concept{
		{ID: "land", Terms: []Term{{Lang: "nl", Text: "land"}, {Lang: "en", Text: "country"}}},
		{ID: "raad", Terms: []Term{{Lang: "nl", Text: "raad"}, {Lang: "en", Text: "council"}}},
	}
	m := NewMatcher(cs)
	for _, tt := range []struct{ text, want string }{
		{"De Nederlandse regering en de Nederlanders.", ""},
		{"Ruslands buren en Oekraïnes grenzen.", ""},
		{"De voorraden, het vaderland en binnenlandse zaken.", ""},
		{"Een buurland en een gemeenteraad.", "land=land+ | raad=raad+"},
	} {
		if got := hitString(tt.text, m.Find(tt.text, time.Time{})); got != tt.want {
			t.Errorf("Find(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
