package translate_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/memory/tmgen"
	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/translate"
)

// ntrexDocuments returns the Dutch side of NTREX-128 as documents of
// running text, in the order of DOCUMENT_IDS.tsv, with their sentences.
func ntrexDocuments(t testing.TB) (texts []string, sentences [][]string) {
	t.Helper()
	read := func(name string) []string {
		b, err := os.ReadFile(shareddata.Path(t, "parallel/ntrex128/"+name))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimRight(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"), "\n")
	}
	nl, ids := read("newstest2019-ref.nld.txt"), read("DOCUMENT_IDS.tsv")
	if len(nl) != len(ids) {
		t.Fatalf("%d sentences but %d document ids", len(nl), len(ids))
	}
	for i, s := range nl {
		if i == 0 || ids[i] != ids[i-1] {
			sentences = append(sentences, nil)
		}
		sentences[len(sentences)-1] = append(sentences[len(sentences)-1], strings.TrimSpace(s))
	}
	for _, doc := range sentences {
		texts = append(texts, strings.Join(doc, " "))
	}
	return texts, sentences
}

// corpusUnits returns units of the shared parallel corpora other than
// NTREX, plus every tenth NTREX sentence, so that the documents get exact,
// fuzzy and no matches.
func corpusUnits(t testing.TB, ntrex [][]string) []memory.Unit {
	t.Helper()
	root, _ := shareddata.Root()
	pairs, err := tmgen.LoadCorpus(root)
	if err != nil {
		t.Fatal(err)
	}
	inNTREX := map[string]bool{}
	for _, doc := range ntrex {
		for _, s := range doc {
			inNTREX[s] = true
		}
	}
	var units []memory.Unit
	n := 0
	for _, p := range pairs {
		if inNTREX[p.NL] {
			if n++; n%10 != 0 {
				continue
			}
		}
		units = append(units, memory.Unit{Source: p.NL, Target: p.EN, Origin: "imported"})
	}
	return units
}

// TestNTREX translates the 123 NTREX news documents against a memory of
// the other corpora and checks the structure of every answer: offsets,
// statuses, scores, alternatives, term hits and terminology checks.
func TestNTREX(t *testing.T) {
	texts, sentences := ntrexDocuments(t)
	if len(texts) != 123 {
		t.Fatalf("%d documents, want 123", len(texts))
	}
	concepts, err := seeds.Concepts()
	if err != nil {
		t.Fatal(err)
	}
	p := newPipeline(t, corpusUnits(t, sentences), concepts)
	counts := map[translate.Status]int{}
	segments, terms, flagged := 0, 0, 0
	for d, text := range texts {
		segs, err := p.Translate(context.Background(), text, translate.Options{})
		if err != nil {
			t.Fatalf("document %d: %v", d, err)
		}
		prevEnd := 0
		for i, s := range segs {
			segments++
			counts[s.Status]++
			if s.Index != i || s.Start < prevEnd || s.End <= s.Start || text[s.Start:s.End] != s.Text || strings.TrimSpace(text[prevEnd:s.Start]) != "" {
				t.Fatalf("document %d segment %d: bad offsets %d-%d after %d", d, i, s.Start, s.End, prevEnd)
			}
			prevEnd = s.End
			switch {
			case (s.Best == nil) != (s.Status == translate.None), (s.Best == nil) != (s.Target == ""):
				t.Errorf("document %d segment %d: status %v, best %v, target %q disagree", d, i, s.Status, s.Best != nil, s.Target)
			case s.Best != nil && (s.Best.Score < 70 || s.Best.Score > 101):
				t.Errorf("document %d segment %d: score %d outside 70–101", d, i, s.Best.Score)
			case s.Status == translate.Exact && s.Best.Unit.Source != s.Text:
				t.Errorf("document %d segment %d: exact match of a different source", d, i)
			case s.Status == translate.Fuzzy && len(s.Diff) == 0:
				t.Errorf("document %d segment %d: a fuzzy match without a diff", d, i)
			}
			for j, a := range s.Alternatives {
				prev := s.Best.Score
				if j > 0 {
					prev = s.Alternatives[j-1].Score
				}
				if a.Score > prev {
					t.Errorf("document %d segment %d: alternatives out of order", d, i)
				}
			}
			for k, h := range s.Terms {
				terms++
				if h.Start < s.Start || h.End > s.End || text[h.Start:h.End] != h.Text {
					t.Errorf("document %d segment %d: term %q at %d-%d outside its segment", d, i, h.Text, h.Start, h.End)
				}
				if s.Target != "" {
					if k >= len(s.Checks) || s.Checks[k] != translate.Check(s.Target, h) {
						t.Errorf("document %d segment %d: term %q has no or a wrong check", d, i, h.Text)
					} else if s.Checks[k] != translate.TermOK {
						flagged++
					}
				}
			}
		}
	}
	t.Logf("%d documents, %d segments: %d exact/context, %d fuzzy, %d none; %d term hits, %d flagged in drafts",
		len(texts), segments, counts[translate.Exact]+counts[translate.Context], counts[translate.Fuzzy], counts[translate.None], terms, flagged)
	if counts[translate.Exact]+counts[translate.Context] < 100 || counts[translate.Fuzzy] == 0 || counts[translate.None] == 0 || terms < 500 {
		t.Errorf("too few of some kind: %v, %d terms", counts, terms)
	}
}
