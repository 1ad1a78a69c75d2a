package punkttrain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ortho counts how a word type (lower-cased) is written: capitalised or
// lower case at the start of a sentence, and inside one (after a token that
// does not end in a sentence mark, so never where a break could hide).
type Ortho struct{ BegUC, BegLC, MidUC, MidLC int }

// Abbrev counts a type written with a final period ("enz", "e.d", "j"):
// inside a gold sentence (so certainly not a sentence end), at the end of a
// gold sentence, and how often the same word occurs without a period.
type Abbrev struct{ Mid, Final, NoDot int }

// Counts holds what training saw.
type Counts struct {
	Sentences, RawParagraphs, Tokens int
	Ortho                            map[string]*Ortho
	Abbrev                           map[string]*Abbrev
	// Colloc counts the collocation evidence of lower-case words; Titles
	// are the words that introduce names according to a termbase.
	Colloc map[string]*Colloc
	Titles []Title
	// Lang is the language counted; Function counts its frequent function
	// words, to tell a corpus of that language from another.
	Lang     string
	Function int
	function map[string]bool
	det      map[string]bool
	capNext  map[[2]string]int // (word, next capitalised word lower-cased)
	plain    map[string]int    // lower-cased words without trailing punctuation
}

// NewCounts returns empty counts for a language ("nl" or "en").
func NewCounts(lang string) *Counts {
	return &Counts{Lang: lang, function: functionWords(lang), det: determiners(lang), capNext: map[[2]string]int{}, Colloc: map[string]*Colloc{}, Ortho: map[string]*Ortho{}, Abbrev: map[string]*Abbrev{}, plain: map[string]int{}}
}

// tok is one white-space separated token: raw with leading quotes and
// brackets removed, core also without trailing punctuation.
type tok struct{ raw, core string }

const openers = "„\"“‘'«([‚¡¿,"
const closers = ".,;:!?\"”’»)]'…"

func tokens(s string) []tok {
	f := strings.Fields(s)
	out := make([]tok, 0, len(f))
	for _, w := range f {
		raw := strings.TrimLeft(w, openers)
		out = append(out, tok{raw: raw, core: strings.TrimRight(raw, closers)})
	}
	return out
}

// endsSentenceMark reports whether a token could end a sentence.
func endsSentenceMark(raw string) bool {
	t := strings.TrimRight(raw, "\"”’»)]'")
	return strings.HasSuffix(t, ".") || strings.HasSuffix(t, "?") || strings.HasSuffix(t, "!") || strings.HasSuffix(t, ":") || strings.HasSuffix(t, "…")
}

// isWord reports whether s is letters, optionally with inner hyphens or
// apostrophes.
func isWord(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' && r != '’' {
			return false
		}
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

// AbbrevType returns the type of a token written as an abbreviation
// ("e.d." → "e.d", "enz." → "enz", "J." → "j") and whether it is one:
// letters and inner periods, ending in a period.
func AbbrevType(raw string) (string, bool) {
	if len(raw) < 2 || raw[len(raw)-1] != '.' {
		return "", false
	}
	body := raw[:len(raw)-1]
	if body == "" || strings.HasPrefix(body, ".") || strings.HasSuffix(body, ".") || strings.Contains(body, "..") {
		return "", false
	}
	for _, r := range body {
		if !unicode.IsLetter(r) && r != '.' {
			return "", false
		}
	}
	return strings.ToLower(body), true
}

// functionWords returns frequent function words of a language, to tell a
// corpus of that language from another (nil for an unknown language).
func functionWords(lang string) map[string]bool {
	var ws []string
	switch lang {
	case "nl":
		ws = strings.Fields("de het een en van is dat niet op te zijn voor met er")
	case "en":
		ws = strings.Fields("the of and to a in is that it was for with on not")
	}
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// AddSentence counts one gold sentence.
func (c *Counts) AddSentence(s string) {
	c.Sentences++
	c.add(tokens(s), true)
}

// AddRaw counts a paragraph whose sentence boundaries are unknown: only its
// first token is known to start a sentence.
func (c *Counts) AddRaw(p string) {
	c.RawParagraphs++
	c.add(tokens(p), false)
}

func (c *Counts) ortho(w string) *Ortho {
	o := c.Ortho[w]
	if o == nil {
		o = &Ortho{}
		c.Ortho[w] = o
	}
	return o
}

func (c *Counts) abbrev(w string) *Abbrev {
	a := c.Abbrev[w]
	if a == nil {
		a = &Abbrev{}
		c.Abbrev[w] = a
	}
	return a
}

func (c *Counts) add(ts []tok, gold bool) {
	for i, t := range ts {
		c.Tokens++
		lower := strings.ToLower(t.core)
		if c.function[lower] {
			c.Function++
		}
		if isWord(t.core) {
			c.countOrtho(ts, i, lower)
			if t.raw == t.core && lower == t.core {
				c.countColloc(ts, i, gold)
			}
		}
		if !gold {
			continue
		}
		if typ, ok := AbbrevType(t.raw); ok {
			if i < len(ts)-1 {
				c.abbrev(typ).Mid++
			} else {
				c.abbrev(typ).Final++
			}
		}
	}
}

func (c *Counts) countOrtho(ts []tok, i int, lower string) {
	r, _ := utf8.DecodeRuneInString(ts[i].core)
	up := unicode.IsUpper(r)
	switch {
	case i == 0 && up:
		c.ortho(lower).BegUC++
	case i == 0:
		c.ortho(lower).BegLC++
	case endsSentenceMark(ts[i-1].raw):
		// Ambiguous: a sentence may start here.
	case up:
		c.ortho(lower).MidUC++
	default:
		c.ortho(lower).MidLC++
	}
	if ts[i].raw == ts[i].core {
		c.plain[lower]++
	}
}
