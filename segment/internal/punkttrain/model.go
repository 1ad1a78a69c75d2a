package punkttrain

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Version is the model file format version; segment's loader refuses
// another.
const Version = 1

// SeedFinal are the abbreviations that Tolk's hand-written rules
// (segment/rules/nl.srx, first rule) already let end a sentence; the model
// adds those the training text shows at the end of a gold sentence.
var SeedFinal = []string{"enz", "etc", "e.a", "e.d", "e.o", "e.v", "e.e.a", "c.s", "jl", "a.s", "n.v.t", "o.i.d", "incl", "excl", "resp", "jr", "sr"}

// Minimum corpus: fewer gold sentences, or fewer tokens that are Dutch
// function words, and Build refuses to write a model.
const (
	MinSentences  = 1000
	MinDutchShare = 0.08
)

// Source describes one corpus in the model's provenance.
type Source struct {
	Name, Path             string
	TrainDocs, HeldOutDocs int
}

// IsStarter is the training-side filter of the words kept as sentence
// starters: seen in lower case inside sentences, and capitalised there at
// most once in twenty times (Kiss & Strunk's orthographic evidence, with a
// tolerance for names such as "De Wever").
func IsStarter(o Ortho) bool {
	return o.MidLC >= 1 && o.MidUC*20 <= o.MidLC && (o.BegUC >= 1 || o.MidLC >= 3)
}

// Write checks that the counts come from a usable Dutch corpus and writes
// the model file: header, provenance, final abbreviations, starters, and an
// end line with the entry count (a truncated file fails to load).
func Write(w io.Writer, c *Counts, sources []Source, date string) error {
	if c.Sentences < MinSentences {
		return fmt.Errorf("the corpus has %d gold sentences, fewer than %d: no model written (is the shared data folder complete?)", c.Sentences, MinSentences)
	}
	if share := float64(c.Dutch) / float64(max(1, c.Tokens)); share < MinDutchShare {
		return fmt.Errorf("only %.1f%% of the corpus's %d tokens are common Dutch words (de, het, een, van, …), fewer than %.0f%%: it does not look like Dutch, no model written", 100*share, c.Tokens, 100*MinDutchShare)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Tolk's Punkt-style sentence boundary model for Dutch (Kiss & Strunk 2006).\n")
	fmt.Fprintf(bw, "# Rebuild: TOLK_DATA=…/shared/data go run ./segment/cmd/trainpunkt -o segment/rules/nl.punkt\n")
	fmt.Fprintf(bw, "# starter WORD MIDUC MIDLC: a word seen in lower case MIDLC times inside sentences and capitalised there MIDUC times.\n")
	fmt.Fprintf(bw, "# final ABBR SOURCE: an abbreviation that can end a sentence (nl.srx: Tolk's rules; data: ends a gold sentence).\n")
	fmt.Fprintf(bw, "tolk-punkt %d\nlang nl\nbuilt %s\n", Version, date)
	for _, s := range sources {
		fmt.Fprintf(bw, "source %q %s train-docs=%d held-out-docs=%d\n", s.Name, s.Path, s.TrainDocs, s.HeldOutDocs)
	}
	fmt.Fprintf(bw, "counts sentences=%d raw-paragraphs=%d tokens=%d\n", c.Sentences, c.RawParagraphs, c.Tokens)
	n := 0
	for _, f := range finals(c) {
		fmt.Fprintf(bw, "final %s %s\n", f[0], f[1])
		n++
	}
	words := make([]string, 0, len(c.Ortho))
	for k, o := range c.Ortho {
		if len([]rune(k)) > 1 && IsStarter(*o) {
			words = append(words, k)
		}
	}
	sort.Strings(words)
	for _, k := range words {
		fmt.Fprintf(bw, "starter %s %d %d\n", k, c.Ortho[k].MidUC, c.Ortho[k].MidLC)
		n++
	}
	fmt.Fprintf(bw, "end %d\n", n)
	return bw.Flush()
}

// finals returns the final abbreviations and their source, sorted: the
// seed list, and abbreviations of two or more letters that end a gold
// sentence and also occur inside one (so they are abbreviations, not
// words: once for a dotted one such as "a.i", three times for "enz"), and
// never without their period.
func finals(c *Counts) [][2]string {
	src := map[string]string{}
	for _, s := range SeedFinal {
		src[s] = "nl.srx"
	}
	for k, a := range c.Abbrev {
		dotted := strings.Contains(k, ".")
		if len([]rune(k)) > 1 && a.Final > 0 && (dotted && a.Mid > 0 || a.Mid >= 3) && c.plain[k] == 0 {
			if src[k] == "" {
				src[k] = "data"
			} else {
				src[k] = "nl.srx,data"
			}
		}
	}
	out := make([][2]string, 0, len(src))
	for k, v := range src {
		if strings.ContainsAny(k, " \t") {
			continue
		}
		out = append(out, [2]string{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// ErrNoData is returned by Train when a corpus has no documents.
var ErrNoData = errors.New("no training text")

// Train counts the training documents of the corpora and returns the
// counts and their provenance.
func Train(corpora []Corpus) (*Counts, []Source) {
	c := NewCounts()
	var srcs []Source
	for _, co := range corpora {
		for _, d := range co.Train {
			for _, s := range d.Sentences {
				c.AddSentence(s)
			}
			for _, p := range d.Raw {
				c.AddRaw(p)
			}
		}
		srcs = append(srcs, Source{Name: co.Name, Path: co.Path, TrainDocs: len(co.Train), HeldOutDocs: len(co.HeldOut)})
	}
	return c, srcs
}
