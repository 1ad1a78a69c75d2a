package glossary

import (
	"testing"
	"time"

	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/segment"
)

// TestSnowballDutch checks the stemmer we use against the official Snowball
// vocabulary → stem list for the Porter-style Dutch algorithm (the one
// github.com/blevesearch/snowballstem/dutch implements).
func TestSnowballDutch(t *testing.T) {
	voc := readLines(t, shareddata.Path(t, "stemmer/snowball_dutch_porter/voc.txt"))
	out := readLines(t, shareddata.Path(t, "stemmer/snowball_dutch_porter/output.txt"))
	if len(voc) != len(out) || len(voc) < 40000 {
		t.Fatalf("voc %d lines, output %d", len(voc), len(out))
	}
	bad := 0
	for i, w := range voc {
		if got := snowballStem(w); got != out[i] {
			if bad++; bad <= 10 {
				t.Errorf("stem(%q) = %q, want %q", w, got, out[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d words stemmed differently", bad, len(voc))
	}
}

// TestStemConflates lists inflected forms that must share a key with their
// base, and near words that must not.
func TestStemConflates(t *testing.T) {
	same := [][]string{
		{"verdrag", "verdragen"},
		{"ambassade", "ambassades"},
		{"sanctie", "sancties"},
		{"lidstaat", "lidstaten"},
		{"kamerlid", "kamerleden"},
		{"hoofdstad", "hoofdsteden"},
		{"internationaal", "internationale"},
		{"minister", "ministers"},
		{"ministerie", "ministeries", "ministerien"},
		{"onderhandeling", "onderhandelingen"},
		{"overheid", "overheden"},
		{"auto", "auto's"},
		{"wapen", "wapens"},
		{"partij", "partijen"},
		{"man", "mannen"},
		{"vergadering", "vergaderingen"},
		{"volk", "volkeren"},
	}
	for _, g := range same {
		for _, w := range g[1:] {
			if a, b := Stem(g[0]), Stem(w); a != b {
				t.Errorf("Stem(%q) = %q, Stem(%q) = %q: want equal", g[0], a, w, b)
			}
		}
	}
	differ := [][2]string{
		{"ambassade", "ambassadeur"},
		{"strijd", "strijdkracht"},
		{"strijd", "strijdig"},
		{"mogelijk", "mogelijkheid"},
		{"vergadering", "vergaderen"},
		{"regering", "regeren"},
		{"over", "overheid"},
		{"al", "alleen"},
		{"vn", "svn"},
	}
	for _, p := range differ {
		if Stem(p[0]) == Stem(p[1]) {
			t.Errorf("Stem(%q) == Stem(%q) == %q: want different", p[0], p[1], Stem(p[0]))
		}
	}
}

// TestTermStems: a term word ending in vowel+s also matches its plural.
// It goes through the production path, the builder's memoised termStems,
// with a cold memo and again with the memo a first build left (as the
// Store's rebuilds do).
func TestTermStems(t *testing.T) {
	memo := make(map[string]string)
	for _, p := range [][2]string{{"proces", "processen"}, {"congres", "congressen"}, {"proces", "proces"}, {"ambassades", "ambassade"}} {
		cs := []Concept{{ID: "x", Terms: []Term{{Lang: "nl", Text: p[0]}, {Lang: "en", Text: "x"}}}}
		for _, pass := range []string{"cold memo", "warm memo"} {
			hs := newMatcher(cs, memo).Find("Het "+p[1]+".", time.Time{})
			if len(hs) != 1 || hs[0].Text != p[1] {
				t.Errorf("%s: term %q does not match text %q: hits %+v", pass, p[0], p[1], hs)
			}
		}
	}
}

func TestVerbForms(t *testing.T) {
	keys := map[string]bool{}
	for _, f := range verbForms("onderhandelen") {
		keys[Stem(f)] = true
	}
	for _, w := range []string{"onderhandel", "onderhandelt", "onderhandelde", "onderhandelden", "onderhandeld"} {
		if !keys[Stem(w)] {
			t.Errorf("%s not among the forms of onderhandelen", w)
		}
	}
	keys = map[string]bool{}
	for _, f := range verbForms("ratificeren") {
		keys[Stem(f)] = true
	}
	for _, w := range []string{"ratificeert", "ratificeerde", "geratificeerd"} {
		if !keys[Stem(w)] {
			t.Errorf("%s not among the forms of ratificeren", w)
		}
	}
	for _, w := range []string{"alleen", "tien", "en", "zaken"[:3]} {
		if f := verbForms(w); f != nil {
			t.Errorf("verbForms(%q) = %v, want none", w, f)
		}
	}
}

// TestFoldWord checks that the fast word folding equals the package
// segment definition on every word of real Dutch text and on odd cases.
func TestFoldWord(t *testing.T) {
	words := []string{"COÖRDINATOR", "Coördinator", "coo\u0308rdinator", "Ĳsland", "ÉÉN", "auto’s", "İstanbul", "Straße", "ΑΘΗΝΑ"}
	for _, l := range benchText(t) {
		for _, tk := range segment.Tokens(nil, l) {
			if tk.Kind == segment.Word {
				words = append(words, l[tk.Start:tk.End])
			}
		}
	}
	seen := map[uint64]string{}
	for _, w := range words {
		f := string(foldWord(nil, w))
		h := hashFolded([]byte(f))
		if hw, ok := hashWord(w); ok && hw != h {
			t.Errorf("hashWord(%q) != hashFolded(foldWord(%q))", w, w)
		}
		if other, dup := seen[h]; dup && other != f {
			t.Errorf("hash collision: %q and %q", f, other)
		}
		seen[h] = f
	}
	for _, w := range words {
		want := segment.StripDiacritics(segment.Fold(w))
		if got := string(foldWord(nil, w)); got != want {
			t.Errorf("foldWord(%q) = %q, want %q", w, got, want)
		}
		f, pos := foldMap(w)
		if string(f) != want || len(pos) != len(f)+1 || pos[len(f)] != len(w) {
			t.Errorf("foldMap(%q) = %q %v", w, f, pos)
		}
	}
}

func TestFoldTerm(t *testing.T) {
	for _, s := range []string{"  Minister van  Buitenlandse\tZaken ", "VN-Veiligheidsraad", "`quoted'", "Coördinator", "ÉÉN  Twee", "", " ", "A\r\nB", "\u00a0x\u00a0"} {
		if got, want := FoldTerm(s), segment.StripDiacritics(segment.Fold(s)); got != want {
			t.Errorf("FoldTerm(%q) = %q, want %q", s, got, want)
		}
	}
}
