package punkttrain

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Colloc counts what follows and precedes a lower-case word, for the
// collocation evidence of the model: whether a single capital letter after
// it is a label ("zaal E", "plan B": the word is a common noun) or an
// initial ("minister J. Bos": the word introduces names).
type Colloc struct {
	// Total counts the word written plain (no punctuation attached).
	Total int
	// Det counts it right after a determiner ("de zaal", "het plan"):
	// evidence that it is a common noun.
	Det int
	// Letter counts it before a single capital letter that is no initial:
	// without a period ("zaal E is"), or ending a gold sentence.
	Letter int
	// Initial counts it before an initial ("J.", "W.-A.", "J.P.") followed
	// by a capitalised word inside a gold sentence.
	Initial int
	// Cap counts it before a name inside a gold sentence ("minister
	// Rutte", "door Jansen"): a capitalised word that the text never shows
	// in lower case (set by Counts.finishColloc). Raw text is left out: in
	// the software manuals the capitalised word after "veld" or "venster"
	// is the label of a field, not a name.
	Cap int
}

// Title is a word that introduces a person's name ("heer", "minister"),
// read from a termbase of honorifics and roles.
type Title struct{ Word, Source string }

// determiners returns the words after which a word is taken as a noun.
func determiners(lang string) map[string]bool {
	var ws []string
	switch lang {
	case "nl":
		ws = strings.Fields("de het een deze dit elke ieder geen")
	case "en":
		ws = strings.Fields("the a an this these those every each")
	}
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

func (c *Counts) colloc(w string) *Colloc {
	k := c.Colloc[w]
	if k == nil {
		k = &Colloc{}
		c.Colloc[w] = k
	}
	return k
}

// countColloc counts the collocation evidence of token i, a plain
// lower-case word; gold says whether ts is one gold sentence.
func (c *Counts) countColloc(ts []tok, i int, gold bool) {
	k := c.colloc(ts[i].core)
	k.Total++
	if i > 0 && ts[i-1].raw == ts[i-1].core && c.det[strings.ToLower(ts[i-1].core)] {
		k.Det++
	}
	if i+1 >= len(ts) {
		return
	}
	next := ts[i+1]
	switch {
	case singleCapital(next.core) && !strings.HasPrefix(next.raw[len(next.core):], "."):
		k.Letter++
	case singleCapital(next.core) && gold && i+2 == len(ts):
		k.Letter++
	case isInitial(next.raw) && i+2 < len(ts) && capitalised(ts[i+2].core):
		if gold {
			k.Initial++
		}
	case gold && isWord(next.core) && capitalised(next.core) && len([]rune(next.core)) > 1:
		c.capNext[[2]string{ts[i].core, strings.ToLower(next.core)}]++
	}
}

// finishColloc counts Cap: the capitalised words after each word that the
// whole text never shows in lower case are names.
func (c *Counts) finishColloc() {
	for k := range c.Colloc {
		c.Colloc[k].Cap = 0
	}
	for pair, n := range c.capNext {
		if o := c.Ortho[pair[1]]; o == nil || o.BegLC+o.MidLC == 0 {
			c.colloc(pair[0]).Cap += n
		}
	}
}

// singleCapital reports whether s is one upper-case letter.
func singleCapital(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	return n > 0 && n == len(s) && unicode.IsUpper(r)
}

func capitalised(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// isInitial reports whether raw is an initial or a run of them: capital
// letters (one, or two as in "Th."), each followed by a period, joined
// by nothing or a hyphen ("J.", "J.P.", "W.-A.", "Th.").
func isInitial(raw string) bool {
	if raw == "" {
		return false
	}
	for _, part := range strings.Split(strings.TrimSuffix(raw, "."), ".") {
		part = strings.TrimPrefix(part, "-")
		r, n := utf8.DecodeRuneInString(part)
		if n == 0 || !unicode.IsUpper(r) || len([]rune(part)) > 2 {
			return false
		}
	}
	return strings.HasSuffix(raw, ".")
}

// Collocation thresholds: a word is a label noun when the training text
// shows it after a determiner at least MinLabelDet times and never before
// a name or an initial, or before a letter label and never before an
// initial; it introduces names when it stands before an initial, or
// before a capitalised word at least MinNamerCap times and in at least
// one of NamerShare of its plain occurrences, or is a title.
const (
	MinLabelDet = 2
	MinNamerCap = 2
	NamerShare  = 10
)

// IsLabel and IsNamer are the training-side filters of the collocation
// lists (see the constants above).
func IsLabel(k Colloc) bool {
	return k.Initial == 0 && (k.Letter >= 1 || k.Det >= MinLabelDet && k.Cap == 0)
}

func IsNamer(k Colloc) bool {
	return k.Initial >= 1 || k.Cap >= MinNamerCap && k.Cap*NamerShare >= k.Total
}

// TitlesPath is the termbase of honorifics and roles read by LoadTitles,
// relative to the shared data folder; %s is "honorifics" or "roles".
const TitlesPath = "termbase/eu_authority_tables/%s_nl_en.tsv"

// LoadTitles reads the one-word honorifics and roles of a language ("heer",
// "mevrouw", "voorzitter", "rapporteur"; the last word of "De heer") from
// the EU authority tables, lower-cased, and the number of concepts read.
func LoadTitles(root, lang string) ([]Title, Source, error) {
	src := Source{Name: "EU honorifics and roles " + lang, Path: fmt.Sprintf(TitlesPath, "{honorifics,roles}")}
	seen := map[string]bool{}
	var out []Title
	for _, table := range []string{"honorifics", "roles"} {
		rel := fmt.Sprintf(TitlesPath, table)
		n, err := readTitles(filepath.Join(root, rel), lang, func(w string) {
			if !seen[w] {
				seen[w] = true
				out = append(out, Title{Word: w, Source: table})
			}
		})
		if err != nil {
			return nil, src, fmt.Errorf("%s: %w", rel, err)
		}
		src.TrainDocs += n
	}
	return out, src, nil
}

// readTitles calls add for the last word of each preferred and alternative
// label of lang in a table, when it is a plain word; it returns the
// number of concepts.
func readTitles(path, lang string, add func(string)) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var cols []int
	n := 0
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if cols == nil {
			for i, h := range f {
				if h == lang+"_pref" || h == lang+"_alt" {
					cols = append(cols, i)
				}
			}
			if len(cols) == 0 {
				return 0, fmt.Errorf("no %s_pref column", lang)
			}
			continue
		}
		n++
		for _, i := range cols {
			if i >= len(f) {
				continue
			}
			for _, label := range strings.FieldsFunc(f[i], func(r rune) bool { return r == '|' || r == '/' }) {
				if w := headWord(label); w != "" {
					add(w)
				}
			}
		}
	}
	return n, sc.Err()
}

// headWord returns the lower-cased head of a title: the last word before a
// preposition or relative pronoun ("Voorzitter van het bureau" →
// "voorzitter", "Uitvoerend directeur" → "directeur", "De heer" →
// "heer"), or "" when it is no plain word of three letters or more.
func headWord(label string) string {
	ws := strings.Fields(label)
	end := len(ws)
	for i, w := range ws {
		if i > 0 && isTitleStop(strings.ToLower(w)) {
			end = i
			break
		}
	}
	if end == 0 {
		return ""
	}
	w := strings.ToLower(ws[end-1])
	if !isWord(w) || strings.ContainsAny(w, "-'’") || len([]rune(w)) < 3 {
		return ""
	}
	return w
}

// isTitleStop reports whether a title's head has been read before w.
func isTitleStop(w string) bool {
	switch w {
	case "van", "voor", "ter", "die", "der", "of", "for", "to", "who", "in":
		return true
	}
	return false
}
