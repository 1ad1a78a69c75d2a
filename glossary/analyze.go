package glossary

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	snowball "github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/dutch"
	"golang.org/x/text/unicode/norm"

	"github.com/tolkdev/tolk/segment"
)

// foldWord appends to dst the matching form of a word token: what
// segment.StripDiacritics(segment.Fold(w)) gives, computed rune by rune so
// that ASCII words (most Dutch words) cost one pass and no allocation.
func foldWord(dst []byte, w string) []byte {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return foldSlow(dst, w[i:])
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

func foldSlow(dst []byte, w string) []byte {
	for _, r := range w {
		dst = appendFoldRune(dst, r)
	}
	return dst
}

// appendFoldRune appends the folded, diacritic-free form of r.
func appendFoldRune(dst []byte, r rune) []byte {
	r = segment.FoldRune(r)
	if r < utf8.RuneSelf {
		return append(dst, byte(r))
	}
	if unicode.Is(unicode.Mn, r) {
		return dst
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if !norm.NFD.IsNormal(buf[:n]) {
		for _, d := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, d) {
				dst = utf8.AppendRune(dst, d)
			}
		}
		return dst
	}
	return append(dst, buf[:n]...)
}

// foldMap folds w like foldWord and also returns, for every byte offset of
// the folded form (and its end), the byte offset in w it came from. Used
// only to place compound parts inside non-ASCII words.
func foldMap(w string) ([]byte, []int) {
	var out []byte
	var pos []int
	for i, r := range w {
		n := len(out)
		out = appendFoldRune(out, r)
		for range len(out) - n {
			pos = append(pos, i)
		}
	}
	pos = append(pos, len(w))
	return out, pos
}

// FoldTerm returns the form of a term used for prefix search and equality:
// folded (case, quotes, dashes, spacing) and without diacritics, that is
// segment.StripDiacritics(segment.Fold(s)), with a fast path for ASCII.
func FoldTerm(s string) string {
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			return segment.StripDiacritics(segment.Fold(s))
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			space = len(b) > 0
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c == '`':
			c = '\''
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = append(b, c)
	}
	return string(b)
}

// The irregular forms (data/irregular.txt) are endings that the stemmer
// cannot relate to their base: each ending is replaced by its base before
// stemming, when at least minStem letters precede it or the word is exactly
// the ending. Compounds inherit the rule (Kamerleden → Kamerlid,
// hoofdsteden → hoofdstad).
const minStem = 3

// applyIrregular rewrites an irregular ending of the folded word w.
func applyIrregular(w string) string {
	for _, ir := range irregularForms() {
		if strings.HasSuffix(w, ir.from) && (len(w) == len(ir.from) || len(w)-len(ir.from) >= minStem) {
			return w[:len(w)-len(ir.from)] + ir.to
		}
	}
	return w
}

// stemmer wraps the Snowball (Porter-style) Dutch stemmer.
func snowballStem(w string) string {
	env := snowball.NewEnv(w)
	dutch.Stem(env)
	return env.Current()
}

// Stem returns the matching key of one folded Dutch word (see FoldTerm):
// irregular forms mapped to their base, the Snowball Dutch stem, and
// refinements applied identically to terms and text: a plural "'s" is
// dropped (auto's), a plural "-s" after a vowel that Snowball keeps is
// removed (sancties ~ sanctie, ambassades ~ ambassade), a word that lost
// only a plural -s is stemmed once more (wapens ~ wapen), a final double
// consonant is undoubled when four letters remain (processen ~ proces), and a
// derivational ending that Snowball strips is kept as a marker so that
// mogelijkheid, mogelijk and mogelijke, or vergadering and vergaderen, stay
// apart while their inflected forms still meet (vergaderingen ~
// vergadering).
func Stem(w string) string {
	a, _ := stemPair(w)
	return a
}

// stemPair returns Stem(w) and the key of w without the plural-s rule
// (equal unless that rule applied), stemming once when they are equal.
func stemPair(w string) (withS, withoutS string) {
	if strings.HasSuffix(w, "'s") && len(w) > 3 {
		w = w[:len(w)-2]
	}
	w = applyIrregular(w)
	if len(w) >= 7 && strings.HasSuffix(w, "enen") {
		w = w[:len(w)-1] // ingezetenen ~ ingezetene (Snowball: ingezeten, ingezet)
	}
	s := snowballStem(w)
	if len(s) == len(w)-1 && w[len(w)-1] == 's' {
		s = snowballStem(s) // wapens → wapen → wap, as wapen
	}
	if n := len(s); n >= 4 && s != w && (s[n-1] == 'z' || s[n-1] == 'v') {
		// grenzen → grenz → grens → gren, as grens; brieven → brief
		c := "s"
		if s[n-1] == 'v' {
			c = "f"
		}
		s = snowballStem(s[:n-1] + c)
	}
	withoutS = finishStem(w, s)
	if s == w && len(w) >= 5 && (w[len(w)-1] == 's' && isVowel(w[len(w)-2]) || strings.HasSuffix(w, "ien")) {
		return finishStem(w, snowballStem(w[:len(w)-1])), withoutS // ministeries, ministeriën ~ ministerie
	}
	return withoutS, withoutS
}

// finishStem undoubles a final double consonant and appends the
// derivation marker of w.
func finishStem(w, s string) string {
	if n := len(s); n >= 5 && !isVowel(s[n-1]) && s[n-2] == s[n-3] && isVowel(s[n-2]) && s[n-2] != 'i' && isVowel(s[n-4]) {
		s = s[:n-2] + s[n-1:] // officieel ~ officiële: Snowball undoubles only after a consonant
	}
	if n := len(s); n >= 5 && s[n-1] == s[n-2] && !isVowel(s[n-1]) && 'a' <= s[n-1] && s[n-1] <= 'z' {
		s = s[:n-1]
	}
	if d := derivation(w); d != "" {
		s += "|" + d
	}
	return s
}

// derivations maps the endings (with their inflected forms) of Dutch
// derivational suffixes that Snowball removes onto the suffix.
var derivations = [...]struct{ end, suffix string }{
	{"heden", "heid"}, {"heids", "heid"}, {"heid", "heid"},
	{"ingen", "ing"}, {"ings", "ing"}, {"ing", "ing"},
	{"enden", "end"}, {"ende", "end"}, {"end", "end"},
	{"lijke", "lijk"}, {"lijk", "lijk"},
	{"bare", "baar"}, {"baar", "baar"},
	{"igen", "ig"}, {"ige", "ig"}, {"ig", "ig"},
	// nouns made of an adjective or participle (ingezetene, gevangene,
	// betrokkene) stay apart from it (ingezet, gevangen, betrokken)
	{"ene", "ene"},
}

// derivation returns the derivational suffix w ends in, or "".
func derivation(w string) string {
	for _, d := range derivations {
		if len(w) >= len(d.end)+3 && strings.HasSuffix(w, d.end) {
			return d.suffix
		}
	}
	return ""
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// verbForms returns the finite forms and participles of a Dutch verb given
// its folded infinitive ("onderhandelen" → onderhandel, onderhandelt,
// onderhandelde, onderhandelden, onderhandeld, geonderhandeld, ...). The
// root is guessed both with and without a doubled vowel (maken → maak,
// ondertekenen → onderteken) and with both past-tense consonants, so the
// list over-generates; it is used only to add keys to that one term.
func verbForms(inf string) []string {
	if len(inf) < 5 || !strings.HasSuffix(inf, "en") {
		return nil
	}
	r := inf[:len(inf)-2]
	if n := len(r); n < 4 || isVowel(r[n-1]) {
		return nil // alleen, tien: not a verb, or too short to guess safely
	}
	if n := len(r); r[n-1] == r[n-2] && !isVowel(r[n-1]) {
		r = r[:n-1] // zetten → zet
	}
	roots := []string{r}
	if n := len(r); n >= 3 && !isVowel(r[n-1]) && isVowel(r[n-2]) && !isVowel(r[n-3]) && r[n-2] != 'i' {
		roots = append(roots, r[:n-1]+r[n-2:]) // maken → maak
	}
	out := make([]string, 0, 24)
	sep := separablePrefix(inf)
	for _, root := range roots {
		switch {
		case strings.HasSuffix(root, "v"):
			root = root[:len(root)-1] + "f"
		case strings.HasSuffix(root, "z"):
			root = root[:len(root)-1] + "s"
		}
		if !strings.HasSuffix(root, "en") {
			// The bare root (ik teken) of a verb in -enen reads as a noun
			// (het teken) and is left out.
			out = append(out, root)
		}
		out = append(out, root+"t", root+"d", root+"de", root+"den", root+"te", root+"ten",
			"ge"+root+"d", "ge"+root+"t")
		if sep != "" && len(root) > len(sep)+2 {
			// Separable verbs put ge- after the prefix: opleggen → opgelegd.
			rest := root[len(sep):]
			out = append(out, sep+"ge"+rest+"d", sep+"ge"+rest+"t", sep+"ge"+rest+"de")
		}
	}
	return out
}

// separablePrefix returns the separable particle inf starts with, or "".
func separablePrefix(inf string) string {
	for _, p := range separablePrefixes() {
		if strings.HasPrefix(inf, p) && len(inf) >= len(p)+5 {
			return p
		}
	}
	return ""
}

// isVerbPOS reports whether a term's part of speech allows verb forms: a
// verb, or unknown.
func isVerbPOS(pos string) bool {
	switch strings.ToLower(strings.TrimSpace(pos)) {
	case "", "verb", "v", "vb", "werkwoord", "ww", "other":
		return true
	}
	return false
}

// properForms returns the folded forms a name or demonym w (folded) takes,
// w first: the adjective -e (Iraans → Iraanse, Indiaas → Indiase, Russisch
// → Russische) and the regular plurals of person nouns (Nederlander →
// Nederlanders, Israëli → Israëli's, Amerikaan → Amerikanen, Irakees →
// Irakezen, Rus → Russen, Palestijn → Palestijnen, Fransman → Fransen,
// Kamerlid → Kamerleden). Names are not stemmed, so that Iran, Iraans and
// Iraanse, or Pakistan and Pakistaan, stay apart.
func properForms(w string) []string {
	out := []string{w}
	n := len(w)
	if n < 2 {
		return out
	}
	last := w[n-1]
	// short is w with a long vowel of its last syllable written single
	// (Amerikaan → Amerikan-, Chinees → Chines-), "" if it has none.
	short := ""
	if n >= 4 && !isVowel(last) && w[n-2] == w[n-3] && isVowel(w[n-2]) && w[n-2] != 'i' && w[n-4] != w[n-2] {
		short = w[:n-2] + w[n-1:]
	}
	out = append(out, w+"e")
	if short != "" {
		out = append(out, short+"e")
	}
	switch {
	case isVowel(last):
		out = append(out, w+"s", w+"'s")
	case strings.HasSuffix(w, "man") && n > 5:
		out = append(out, w[:n-3]+"en", w+"nen") // Fransman → Fransen
	case last == 's' && (!isVowel(w[n-2]) || short != "") || strings.HasSuffix(w, "sch"):
		// an adjective (Iraans, Russisch) or a noun in -ees (Irakees)
		if short != "" && last == 's' {
			out = append(out, short[:len(short)-1]+"zen")
		}
	case short != "":
		s := short
		if last == 'f' {
			s = s[:len(s)-1] + "v"
		}
		out = append(out, s+"en")
	case strings.HasSuffix(w, "er") || strings.HasSuffix(w, "el") || strings.HasSuffix(w, "em") || strings.HasSuffix(w, "en"):
		out = append(out, w+"s")
	case n >= 3 && isVowel(w[n-2]) && !isVowel(w[n-3]) && last != 'w' && last != 'j':
		out = append(out, w+string(last)+"en") // Rus → Russen, Brit → Britten
	default:
		out = append(out, w+"en")
	}
	if !isVowel(last) && last != 's' && short == "" && !strings.HasSuffix(w, "sch") && !slices.Contains(out, w+"s") {
		// genitive of a country (Ruslands); pruneForms drops it where it
		// is another name (Nederlands, Brits, Pools)
		out = append(out, w+"s")
	}
	for _, ir := range irregularForms() {
		if strings.HasSuffix(w, ir.to) && n-len(ir.to) >= minStem {
			out = append(out, w[:n-len(ir.to)]+ir.from) // Kamerlid → Kamerleden
		}
	}
	return out
}

// vowel is the length of the last vowel of a word's stem as the word
// spells it: doubled (long: green, staat), before two consonants (short:
// grens, grenzen) or not shown by the spelling (staten, proces, verbod).
type vowel uint8

const (
	vowelOpen vowel = iota // either length
	vowelLong
	vowelShort
)

// vowelOf returns the vowel length that the folded word w spells at the
// last vowel of the stem s: Snowball undoubles a long vowel (green → gren)
// and strips a plural -s (grens → gren), so two unrelated words can meet
// under one stem; their vowels tell them apart. It returns vowelOpen when
// w does not start with s up to that vowel (irregular forms).
func vowelOf(w, s string) vowel {
	if i := strings.IndexByte(s, '|'); i >= 0 {
		s = s[:i]
	}
	i := len(s) - 1
	for i >= 0 && !isVowel(s[i]) {
		i--
	}
	if i < 0 || len(w) < i+3 || w[:i+1] != s[:i+1] {
		return vowelOpen
	}
	switch a, b := w[i+1], w[i+2]; {
	case a == s[i]:
		return vowelLong
	case isConsonant(a) && isConsonant(b):
		return vowelShort
	}
	return vowelOpen
}

func isConsonant(c byte) bool { return 'a' <= c && c <= 'z' && !isVowel(c) }
