package punkttrain

import (
	"io"
	"strings"
	"testing"

	"github.com/tolkdev/tolk/internal/shareddata"
)

// TestWriteRefusesEmptyCorpus: no sentences, no model.
func TestWriteRefusesEmptyCorpus(t *testing.T) {
	err := Write(io.Discard, NewCounts("nl"), nil, "2026-01-01")
	if err == nil || !strings.Contains(err.Error(), "no model written") {
		t.Errorf("empty corpus: err = %v, want a refusal", err)
	}
}

// TestWriteRefusesEnglish: the English side of a real corpus is not Dutch.
func TestWriteRefusesEnglish(t *testing.T) {
	lines, err := readLines(shareddata.Path(t, "parallel/tatoeba_test_v2021-08-07/tatoeba-test-v2021-08-07.eng"))
	if err != nil {
		t.Fatal(err)
	}
	c := NewCounts("nl")
	for _, l := range lines {
		c.AddSentence(l)
	}
	err = Write(io.Discard, c, nil, "2026-01-01")
	if err == nil || !strings.Contains(err.Error(), "does not look like Dutch") {
		t.Errorf("English corpus: err = %v, want a refusal naming the language", err)
	}
	c = NewCounts("nl")
	nl, err := readLines(shareddata.Path(t, "parallel/tatoeba_test_v2021-08-07/tatoeba-test-v2021-08-07.nld"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range nl {
		c.AddSentence(l)
	}
	if err := Write(io.Discard, c, nil, "2026-01-01"); err != nil {
		t.Errorf("the Dutch side of the same corpus: %v", err)
	}
}

// TestHeldOutIsNotTrained: no held-out sentence of a gold corpus occurs in
// its training part (the split is by document).
func TestHeldOutIsNotTrained(t *testing.T) {
	root, ok := shareddata.Root()
	if !ok {
		shareddata.Path(t, "SOURCES.md")
	}
	corpora, err := Load(root, "nl")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range corpora {
		if len(c.Train) == 0 || len(c.HeldOut) == 0 {
			t.Errorf("%s: %d training and %d held-out documents", c.Name, len(c.Train), len(c.HeldOut))
		}
		if !c.Gold {
			continue
		}
		train := map[string]bool{}
		for _, d := range c.Train {
			for _, s := range d.Sentences {
				train[s] = true
			}
		}
		n, shared := 0, 0
		for _, d := range c.HeldOut {
			for _, s := range d.Sentences {
				n++
				if train[s] && len(s) > 40 {
					shared++
				}
			}
		}
		t.Logf("%s: %d held-out sentences, %d longer than 40 bytes also in training", c.Name, n, shared)
		if shared*100 > n {
			t.Errorf("%s: %d of %d held-out sentences are also training sentences", c.Name, shared, n)
		}
	}
}
