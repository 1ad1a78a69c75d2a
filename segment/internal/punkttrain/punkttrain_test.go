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
		c, srcs, err := TrainFrom(root, lang)
		if err != nil {
			t.Fatal(err)
		}
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

func TestIsInitial(t *testing.T) {
	for raw, want := range map[string]bool{"J.": true, "J.P.": true, "W.-A.": true, "Th.": true, "E": false, "e.d.": false, "Zaal.": false, "": false} {
		if got := isInitial(raw); got != want {
			t.Errorf("isInitial(%q) = %v, want %v", raw, got, want)
		}
	}
}

func TestHeadWord(t *testing.T) {
	for label, want := range map[string]string{"De heer": "heer", "Voorzitter van het bureau": "voorzitter", "Uitvoerend directeur": "directeur", "Kapitein ter zee": "kapitein", "Luitenant-generaal": "", "Dr.": "", "Lid": "lid"} {
		if got := headWord(label); got != want {
			t.Errorf("headWord(%q) = %q, want %q", label, got, want)
		}
	}
}

// TestCollocationEvidence: trained on the shared data, the model's
// collocation lists hold the nouns and name-introducing words the text
// shows (and the EU titles), with their provenance, and no word in both.
func TestCollocationEvidence(t *testing.T) {
	root, ok := shareddata.Root()
	if !ok {
		shareddata.Path(t, "SOURCES.md")
	}
	c, srcs, err := TrainFrom(root, "nl")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Write(&b, c, srcs, "2026-01-01"); err != nil {
		t.Fatal(err)
	}
	model := b.String()
	for _, want := range []string{
		"\nlabel plan ", "\nlabel route ", "\nlabel versie ", // "het plan", "de route"; never before a name
		"\nnamer minister ", "\nnamer heer ", "\nnamer mevrouw ", "\nnamer door ", // before names and initials
		"\nnamer rapporteur 0 0 0 eu-roles", // a title of the termbase the text never shows
		" compound:penningmeester\n",        // burgemeester: the same head as a title
		"\nsource \"EU honorifics and roles nl\" termbase/eu_authority_tables/{honorifics,roles}_nl_en.tsv",
	} {
		if !strings.Contains(model, want) {
			t.Errorf("the model lacks %q", strings.TrimSpace(want))
		}
	}
	kinds := map[string]string{}
	for _, line := range strings.Split(model, "\n") {
		f := strings.Fields(line)
		if len(f) > 1 && (f[0] == "label" || f[0] == "namer") {
			if k := kinds[f[1]]; k != "" {
				t.Errorf("%q is both %s and %s", f[1], k, f[0])
			}
			kinds[f[1]] = f[0]
		}
	}
}
