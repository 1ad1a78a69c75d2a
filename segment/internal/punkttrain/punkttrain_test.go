package punkttrain

import (
	"bytes"
	"io"
	"os"
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

// TestCommittedModelsAreReproducible: training again on the shared data
// gives the committed model files byte for byte (with their build date), so
// their provenance lines are true.
func TestCommittedModelsAreReproducible(t *testing.T) {
	root, ok := shareddata.Root()
	if !ok {
		shareddata.Path(t, "SOURCES.md")
	}
	for _, lang := range []string{"nl", "en"} {
		path := "../../rules/" + lang + ".punkt"
		committed, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		_, rest, _ := strings.Cut(string(committed), "\nbuilt ")
		date, _, _ := strings.Cut(rest, "\n")
		corpora, err := Load(root, lang)
		if err != nil {
			t.Fatal(err)
		}
		c, srcs := Train(corpora, lang)
		var b bytes.Buffer
		if err := Write(&b, c, srcs, date); err != nil {
			t.Fatal(err)
		}
		if b.String() != string(committed) {
			t.Errorf("%s differs from a fresh build: rebuild it with go run ./segment/cmd/trainpunkt -lang %s", path, lang)
		}
	}
}

// TestLoadNamesMissingFile: a data folder without the corpora gives an
// error naming the missing file.
func TestLoadNamesMissingFile(t *testing.T) {
	_, err := Load(t.TempDir(), "nl")
	if err == nil || !strings.Contains(err.Error(), "ud_nl_alpino_dev.paragraphs.jsonl") {
		t.Errorf("empty folder: err = %v, want one naming the first corpus file", err)
	}
}
