package seeds

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/internal/shareddata"
)

// pair is one Dutch sentence with its English translation.
type pair struct{ nl, en string }

// readWMT24 reads the WMT24++ en→nl_NL segments (the post-edited Dutch
// target and its English source), skipping the canary and bad sources.
func readWMT24(t *testing.T) []pair {
	t.Helper()
	f, err := os.Open(shareddata.Path(t, "parallel/wmt24pp_en-nl_NL/en-nl_NL.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []pair
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<20)
	for sc.Scan() {
		var row struct {
			Domain, Source, Target string
			IsBadSource            bool `json:"is_bad_source"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatal(err)
		}
		if row.Domain != "canary" && !row.IsBadSource {
			out = append(out, pair{row.Target, row.Source})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// englishWords returns the lower-case words of s.
func englishWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// confirmed reports whether one of the English terms of a hit occurs in
// the English sentence: each of its words as a sentence word, allowing an
// inflected ending on words over 4 letters (treaty ~ treaties).
func confirmed(targets []glossary.Term, en []string) bool {
	for _, term := range targets {
		all := true
		for _, w := range englishWords(term.Text) {
			stem := w
			if len(w) > 4 {
				stem = w[:len(w)-1]
			}
			found := false
			for _, s := range en {
				if s == w || len(w) > 4 && strings.HasPrefix(s, stem) && len(s) <= len(w)+3 {
					found = true
					break
				}
			}
			all = all && found
		}
		if all {
			return true
		}
	}
	return false
}

// TestRecognitionHeldOut measures recognition on text that no rule or word
// list of the recognizer was written from: the Dutch side of WMT24++
// en→nl_NL (news, social, literary and speech). There is no gold
// annotation, so it scores a proxy of precision on the parallel text: a
// hit counts as right when one of its concept's English terms occurs in
// the English source. The proxy undercounts (a translator may use another
// word) but is the same for both matchers, which run on the same text.
func TestRecognitionHeldOut(t *testing.T) {
	cs, err := Concepts()
	if err != nil {
		t.Fatal(err)
	}
	pairs := readWMT24(t)
	m := glossary.NewMatcher(cs)
	targets := map[string][]glossary.Term{}
	for _, c := range cs {
		for _, term := range c.Terms {
			if glossary.PrimaryLang(term.Lang) == "en" {
				targets[c.ID] = append(targets[c.ID], term)
			}
		}
	}
	var ours, oursOK, naive, naiveOK int
	for _, p := range pairs {
		en := englishWords(p.en)
		for _, h := range m.Find(p.nl, time.Time{}) {
			ours++
			if confirmed(h.Targets, en) {
				oursOK++
			}
		}
		for _, s := range naiveFind(cs, p.nl) {
			naive++
			if confirmed(targets[s.id], en) {
				naiveOK++
			}
		}
	}
	prec := func(ok, n int) float64 { return float64(ok) / float64(max(n, 1)) }
	t.Logf("WMT24++ (held out), %d segments: tolk %d hits, %d confirmed by the English (%.3f); substring %d hits, %d confirmed (%.3f)",
		len(pairs), ours, oursOK, prec(oursOK, ours), naive, naiveOK, prec(naiveOK, naive))
	if prec(oursOK, ours) <= prec(naiveOK, naive) {
		t.Errorf("confirmed share %.3f, no better than substring matching's %.3f", prec(oursOK, ours), prec(naiveOK, naive))
	}
}
