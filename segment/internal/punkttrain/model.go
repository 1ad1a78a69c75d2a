package punkttrain

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Version is the model file format version; segment's loader refuses
// another.
const Version = 2

// SeedFinal returns the abbreviations that Tolk's hand-written rules
// (segment/rules/LANG.srx, first rule) already let end a sentence; the
// model adds those the training text shows at the end of a gold sentence.
func SeedFinal(lang string) []string {
	switch lang {
	case "nl":
		return strings.Fields("enz etc e.a e.d e.o e.v e.e.a c.s jl a.s n.v.t o.i.d incl excl resp jr sr")
	case "en":
		return strings.Fields("etc inc ltd co corp bros jr sr a.m p.m u.s u.k u.n e.u al approx incl")
	}
	return nil
}

// langName names a language code in messages.
func langName(lang string) string {
	switch lang {
	case "nl":
		return "Dutch"
	case "en":
		return "English"
	}
	return lang
}

// Minimum corpus: fewer gold sentences, or fewer tokens that are function
// words of the language, and Write refuses to write a model.
const (
	MinSentences     = 1000
	MinFunctionShare = 0.08
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
	name := langName(c.Lang)
	if share := float64(c.Function) / float64(max(1, c.Tokens)); share < MinFunctionShare {
		return fmt.Errorf("only %.1f%% of the corpus's %d tokens are common %s function words, fewer than %.0f%%: it does not look like %s, no model written", 100*share, c.Tokens, name, 100*MinFunctionShare, name)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Tolk's Punkt-style sentence boundary model for %s (Kiss & Strunk 2006).\n", name)
	fmt.Fprintf(bw, "# Rebuild: TOLK_DATA=…/shared/data go run ./segment/cmd/trainpunkt -lang %s -o segment/rules/%s.punkt\n", c.Lang, c.Lang)
	fmt.Fprintf(bw, "# starter WORD MIDUC MIDLC: a word seen in lower case MIDLC times inside sentences and capitalised there MIDUC times.\n")
	fmt.Fprintf(bw, "# final ABBR SOURCE: an abbreviation that can end a sentence (LANG.srx: Tolk's rules; data: ends a gold sentence).\n")
	fmt.Fprintf(bw, "# label WORD DET LETTER: a common noun, so a capital letter after it is a label (\"zaal E.\"): seen DET times after a determiner and\n#   LETTER times before a letter that is no initial, never before an initial or a name (collocation evidence).\n")
	fmt.Fprintf(bw, "# namer WORD INITIAL CAP TOTAL SOURCE: a word that introduces names (\"minister J. Bos\"): seen INITIAL times before an initial\n#   and CAP of TOTAL times before a capitalised word inside a sentence (data), or a title of the EU honorifics/roles tables (eu-honorifics, eu-roles).\n")
	fmt.Fprintf(bw, "tolk-punkt %d\nlang %s\nbuilt %s\n", Version, c.Lang, date)
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
	n += writeColloc(bw, c)
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
	for _, s := range SeedFinal(c.Lang) {
		src[s] = c.Lang + ".srx"
	}
	for k, a := range c.Abbrev {
		dotted := strings.Contains(k, ".")
		if len([]rune(k)) > 1 && a.Final > 0 && (dotted && a.Mid > 0 || a.Mid >= 3) && c.plain[k] == 0 {
			if src[k] == "" {
				src[k] = "data"
			} else {
				src[k] = c.Lang + ".srx,data"
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

// Train counts the training documents of the corpora of a language and
// returns the counts and their provenance.
func Train(corpora []Corpus, lang string) (*Counts, []Source) {
	c := NewCounts(lang)
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

// MinTitleTotal: a title of the termbase that the text shows this often
// and never before a name is not taken as a namer ("gegevens", "lid").
const MinTitleTotal = 10

// writeColloc writes the label and namer entries, sorted, and returns how
// many it wrote. A namer is never a label.
func writeColloc(w io.Writer, c *Counts) int {
	c.finishColloc()
	namers := namerSources(c)
	var labels, names []string
	for k, o := range c.Colloc {
		if len([]rune(k)) > 1 && namers[k] == "" && IsLabel(*o) {
			labels = append(labels, k)
		}
	}
	for k := range namers {
		names = append(names, k)
	}
	sort.Strings(labels)
	sort.Strings(names)
	for _, k := range labels {
		o := c.Colloc[k]
		fmt.Fprintf(w, "label %s %d %d\n", k, o.Det, o.Letter)
	}
	for _, k := range names {
		o := c.Colloc[k]
		if o == nil {
			o = &Colloc{}
		}
		fmt.Fprintf(w, "namer %s %d %d %d %s\n", k, o.Initial, o.Cap, o.Total, namers[k])
	}
	return len(labels) + len(names)
}

// MinHead is the shortest compound head (in letters) that makes a word a
// namer like the namer it ends with ("burgemeester" like
// "penningmeester": both end in "meester").
const MinHead = 6

// namerSources returns the words that introduce names and where each
// comes from: "data" (IsNamer), the title table ("eu-honorifics",
// "eu-roles"; unless the text shows the title before a letter label, or
// often and never before a name), or "compound:N" for a label candidate
// that ends in the same head as namer N: a word of MinHead letters or more
// that the text shows in lower case ("burgemeester" and "penningmeester"
// end in "meester", "acteur" is the head of "redacteur").
func namerSources(c *Counts) map[string]string {
	namers := map[string]string{}
	for k, o := range c.Colloc {
		if IsNamer(*o) {
			namers[k] = "data"
		}
	}
	for _, t := range c.Titles {
		o := c.Colloc[t.Word]
		if o != nil && (o.Letter > 0 || o.Total >= MinTitleTotal && o.Cap == 0) || namers[t.Word] != "" {
			continue
		}
		namers[t.Word] = "eu-" + t.Source
	}
	heads := make([]string, 0, len(namers))
	for k := range namers {
		heads = append(heads, k)
	}
	sort.Strings(heads)
	for k, o := range c.Colloc {
		if namers[k] != "" || !IsLabel(*o) {
			continue
		}
		for _, n := range heads {
			if h := sharedHead(n, k); n != k && len([]rune(h)) >= MinHead && c.Ortho[h] != nil && c.Ortho[h].BegLC+c.Ortho[h].MidLC > 0 {
				namers[k] = "compound:" + n
				break
			}
		}
	}
	return namers
}

// sharedHead returns the letters a and b share at their ends.
func sharedHead(a, b string) string {
	ra, rb := []rune(a), []rune(b)
	n := 0
	for n < len(ra) && n < len(rb) && ra[len(ra)-1-n] == rb[len(rb)-1-n] {
		n++
	}
	return string(ra[len(ra)-n:])
}

// TrainFrom loads the corpora of a language under root (the shared data
// folder), counts their training documents and reads the titles of the
// termbase: what Write needs, with the provenance of every source.
func TrainFrom(root, lang string) (*Counts, []Source, error) {
	corpora, err := Load(root, lang)
	if err != nil {
		return nil, nil, err
	}
	c, srcs := Train(corpora, lang)
	titles, src, err := LoadTitles(root, lang)
	if err != nil {
		return nil, nil, err
	}
	c.Titles = titles
	return c, append(srcs, src), nil
}
