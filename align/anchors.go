package align

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/tolkdev/tolk/segment"
)

// Anchor kinds. A key is kind<<56 | 56 bits of an FNV-1a hash, so that a
// sorted key list groups by kind and two sides can be intersected by merge.
const (
	kindNum     = iota + 1 // a number, time or date, normalised across languages
	kindName               // a capitalised word, folded, without diacritics
	kindCognate            // the first four letters of a longer word
	kindLex                // a Lexicon hit: the folded English term
	kindPunct              // ?, !, a quotation mark, an opening parenthesis
	kindDict               // a word of the built-in word list: its English
	numKinds
)

const kindShift = 56

func keyOf(kind int, s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return uint64(kind)<<kindShift | h&(1<<kindShift-1)
}

func kindOf(k uint64) int { return int(k >> kindShift) }

// lang is a side of the alignment.
type lang uint8

const (
	dutch lang = iota
	english
)

var monthsNL = map[string]int{
	"januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3,
	"april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
	"augustus": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

var monthsEN = map[string]int{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
	"april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
	"august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
	"october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

var weekdaysNL = map[string]int{
	"maandag": 1, "dinsdag": 2, "woensdag": 3, "donderdag": 4, "vrijdag": 5, "zaterdag": 6, "zondag": 7,
}

var weekdaysEN = map[string]int{
	"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
}

// Number words from two to twelve ("een"/"one" double as articles).
var numberWordsNL = map[string]string{
	"twee": "2", "drie": "3", "vier": "4", "vijf": "5", "zes": "6", "zeven": "7",
	"acht": "8", "negen": "9", "tien": "10", "elf": "11", "twaalf": "12",
}

var numberWordsEN = map[string]string{
	"two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
	"eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
}

// cognateStop lists four-letter prefixes shared by frequent Dutch and English
// words that are not translations of each other ("over", "door", "been"...).
var cognateStop = map[string]bool{
	"over": true, "door": true, "want": true, "even": true, "word": true,
	"been": true, "have": true, "stil": true, "dies": true, "meet": true,
	"deze": true, "ware": true, "hebb": true, "heef": true, "hier": true,
}

// foldWord lower-cases w and strips its diacritics, with a fast path for
// ASCII.
func foldWord(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return segment.StripDiacritics(segment.Fold(w))
		}
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; 'A' <= c && c <= 'Z' {
			return strings.ToLower(w)
		}
	}
	return w
}

// sentenceFeatures is what the cost model needs of one sentence.
type sentenceFeatures struct {
	chars int      // length in runes
	keys  []uint64 // sorted anchor keys, one per distinct anchor
	miss  float64  // sum of miss weights of keys
	lang  float64  // wrong-language cost
	ids   []int32  // dense numbers of the keys shared with the other side
}

// word is a token of a sentence, prepared once.
type word struct {
	kind  segment.TokenKind
	raw   string
	fold  string
	upper bool     // starts with an upper-case letter
	info  wordInfo // what the word tables say of a Word
}

// wordInfo gathers what the constant word tables say about one folded word
// in one language, so that extract looks each word up once.
type wordInfo struct {
	month, weekday int8
	num            string   // "2" for "twee"/"two"
	dict           []uint64 // built-in word list keys
	own, other     bool     // a function word of this / the other language
}

// wordTables returns the Dutch and the English word table.
var wordTables = sync.OnceValue(func() [2]map[string]wordInfo {
	var t [2]map[string]wordInfo
	for lg := range t {
		t[lg] = map[string]wordInfo{}
	}
	set := func(lg lang, w string, f func(*wordInfo)) {
		wi := t[lg][w]
		f(&wi)
		t[lg][w] = wi
	}
	for w, v := range monthsNL {
		set(dutch, w, func(wi *wordInfo) { wi.month = int8(v) })
	}
	for w, v := range monthsEN {
		set(english, w, func(wi *wordInfo) { wi.month = int8(v) })
	}
	for w, v := range weekdaysNL {
		set(dutch, w, func(wi *wordInfo) { wi.weekday = int8(v) })
	}
	for w, v := range weekdaysEN {
		set(english, w, func(wi *wordInfo) { wi.weekday = int8(v) })
	}
	for w, v := range numberWordsNL {
		set(dutch, w, func(wi *wordInfo) { wi.num = v })
	}
	for w, v := range numberWordsEN {
		set(english, w, func(wi *wordInfo) { wi.num = v })
	}
	for w := range functionNL {
		set(dutch, w, func(wi *wordInfo) { wi.own = true })
		set(english, w, func(wi *wordInfo) { wi.other = true })
	}
	for w := range functionEN {
		set(english, w, func(wi *wordInfo) { wi.own = true })
		set(dutch, w, func(wi *wordInfo) { wi.other = true })
	}
	d := loadBuiltinDict()
	for w, keys := range d.nl {
		set(dutch, w, func(wi *wordInfo) { wi.dict = keys })
	}
	for w, keys := range d.en {
		set(english, w, func(wi *wordInfo) { wi.dict = keys })
	}
	return t
})

// extract returns the anchor keys of one sentence (unsorted, may repeat).
func extract(dst []uint64, s string, side lang, toks []segment.Token, words []word) ([]uint64, []segment.Token, []word) {
	toks = segment.Tokens(toks[:0], s)
	if cap(words) < len(toks) {
		words = make([]word, 0, len(toks))
	}
	words = words[:0]
	table := wordTables()[side]
	for _, t := range toks {
		raw := s[t.Start:t.End]
		w := word{kind: t.Kind, raw: raw}
		r, _ := utf8.DecodeRuneInString(raw)
		switch t.Kind {
		case segment.Word, segment.Number:
			w.fold = foldWord(raw)
			w.upper = unicode.IsUpper(r)
			if t.Kind == segment.Word {
				w.info = table[w.fold]
			}
		default:
			if fr := segment.FoldRune(r); fr == r {
				w.fold = raw
			} else {
				w.fold = string(fr)
			}
		}
		words = append(words, w)
	}
	monthAt := func(k int) int {
		if k < 0 || k >= len(words) || words[k].kind != segment.Word {
			return 0
		}
		mo := int(words[k].info.month)
		if mo == 5 && side == english && !words[k].upper {
			return 0 // "may" the verb
		}
		return mo
	}
	quote := false
	for k := 0; k < len(words); k++ {
		w := words[k]
		switch w.kind {
		case segment.Punct:
			switch w.fold {
			case "?", "!", "(":
				dst = append(dst, keyOf(kindPunct, w.fold))
			case "\"":
				quote = true
			case "'":
				// An apostrophe closing a word ("Muppets'") is not a quote;
				// one opening a quoted phrase is.
				if k+1 < len(words) && words[k+1].kind != segment.Punct && (k == 0 || words[k-1].kind == segment.Punct) {
					quote = true
				}
			}
		case segment.Word:
			if mo := monthAt(k); mo != 0 {
				// "September 26" (English) as a date.
				if side == english && k+1 < len(words) && words[k+1].kind == segment.Number {
					if d, ok := day(words[k+1].fold); ok {
						dst = append(dst, keyOf(kindNum, "d"+strconv.Itoa(mo)+"-"+d))
						k++
						continue
					}
				}
				dst = append(dst, keyOf(kindNum, "m"+strconv.Itoa(mo)))
				continue
			}
			if wd := w.info.weekday; wd != 0 {
				dst = append(dst, keyOf(kindNum, "w"+strconv.Itoa(int(wd))))
				continue
			}
			if v := w.info.num; v != "" {
				dst = append(dst, keyOf(kindNum, "#"+v))
				continue
			}
			dst = append(dst, w.info.dict...)
			n := utf8.RuneCountInString(w.fold)
			if w.upper && n >= 2 {
				dst = append(dst, keyOf(kindName, w.fold))
			}
			if n >= 4 {
				p := prefix4(w.fold)
				if !cognateStop[p] {
					dst = append(dst, keyOf(kindCognate, p))
				}
			}
		case segment.Number:
			// "26 september" / "26 September" as a date.
			if mo := monthAt(k + 1); mo != 0 {
				if d, ok := day(w.fold); ok {
					dst = append(dst, keyOf(kindNum, "d"+strconv.Itoa(mo)+"-"+d))
					k++
					continue
				}
			}
			if key, skip, ok := timeAt(words, k, side); ok {
				dst = append(dst, keyOf(kindNum, key))
				k += skip
				continue
			}
			if v := normNumber(w.fold, side); v != "" {
				dst = append(dst, keyOf(kindNum, "#"+v))
			}
		}
	}
	if quote {
		dst = append(dst, keyOf(kindPunct, "\""))
	}
	return dst, toks, words
}

func prefix4(s string) string {
	n := 0
	for i := range s {
		if n == 4 {
			return s[:i]
		}
		n++
	}
	return s
}

// day returns the day of month in a number token such as "26", "26e",
// "26th", "1st".
func day(s string) (string, bool) {
	d, suf := splitDigits(s)
	switch suf {
	case "", "e", "ste", "de", "st", "nd", "rd", "th":
	default:
		return "", false
	}
	v, err := strconv.Atoi(d)
	if err != nil || v < 1 || v > 31 {
		return "", false
	}
	return strconv.Itoa(v), true
}

// splitDigits splits a folded number token into its digits and separators,
// and a trailing letter suffix.
func splitDigits(s string) (num, suffix string) {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || s[i] == ',') {
		i++
	}
	return s[:i], s[i:]
}

// timeAt recognises a clock time starting at the number token words[k]:
// Dutch "14.30 uur", "14:30", English "14:30", "2.30 p.m.", "2:30pm", "2pm".
// It returns the key ("t14:30"), how many tokens after k it used, and ok.
func timeAt(words []word, k int, side lang) (string, int, bool) {
	num, suf := splitDigits(words[k].fold)
	h, mnt, skip := -1, 0, 0
	ap := -1 // where "a.m."/"p.m." is, when not right after the time
	if hs, ms, ok := strings.Cut(num, "."); ok && len(ms) == 2 && !strings.ContainsAny(ms, ".,") {
		h, _ = strconv.Atoi(hs)
		mnt, _ = strconv.Atoi(ms)
		if side == english && suf == "" && !ampm(words, k+1) {
			return "", 0, false // "2.30" alone is a decimal in English
		}
	} else if !strings.ContainsAny(num, ".,") && k+2 < len(words) && suf == "" &&
		words[k+1].raw == ":" && words[k+2].kind == segment.Number && len(words[k+2].fold) >= 2 {
		ms, suf2 := splitDigits(words[k+2].fold)
		if len(ms) != 2 {
			return "", 0, false
		}
		h, _ = strconv.Atoi(num)
		mnt, _ = strconv.Atoi(ms)
		suf = suf2
		skip = 2
	} else if side == english && !strings.ContainsAny(num, ".,") && (suf == "am" || suf == "pm" || suf == "" && ampm(words, k+1)) {
		h, _ = strconv.Atoi(num)
	} else if side == english && !strings.ContainsAny(num, ".,") && suf == "" && k+2 < len(words) &&
		words[k+1].fold == "-" && words[k+2].kind == segment.Number {
		// The start of a range: "6-8 p.m." reads 6 as 6 p.m.
		num2, suf2 := splitDigits(words[k+2].fold)
		end := k + 3 // after the range's end
		if suf2 == "" && end+1 < len(words) && words[end].raw == ":" && words[end+1].kind == segment.Number {
			_, suf2 = splitDigits(words[end+1].fold) // "9-11:30am"
			end += 2
		}
		if strings.ContainsAny(num2, ".,") || !(suf2 == "am" || suf2 == "pm" || suf2 == "" && ampm(words, end)) {
			return "", 0, false
		}
		h, _ = strconv.Atoi(num)
		suf, ap = suf2, end
	} else {
		return "", 0, false
	}
	if h < 0 || h > 24 || mnt > 59 || len(num) > 5 {
		return "", 0, false
	}
	if side == english {
		if ap < 0 {
			ap = k + skip + 1
		}
		pm := suf == "pm" || suf == "" && ampmIs(words, ap, "p")
		if pm && h < 12 {
			h += 12
		}
		if !pm && h == 12 && (suf == "am" || ampmIs(words, ap, "a")) {
			h = 0
		}
	}
	return "t" + strconv.Itoa(h) + ":" + strconv.Itoa(mnt), skip, true
}

// ampm reports whether words[k:] starts with "am", "pm", "a.m." or "p.m.".
func ampm(words []word, k int) bool { return ampmIs(words, k, "a") || ampmIs(words, k, "p") }

func ampmIs(words []word, k int, ap string) bool {
	if k >= len(words) || words[k].kind != segment.Word {
		return false
	}
	if words[k].fold == ap+"m" {
		return true
	}
	return words[k].fold == ap && k+2 < len(words) && words[k+1].raw == "." && words[k+2].fold == "m"
}

// normNumber returns the value of a folded number token in a canonical
// form ("1250000.5"), reading "1.250.000,50" as Dutch and "1,250,000.50"
// as English, or "" when it is not a plain number.
func normNumber(s string, side lang) string {
	num, _ := splitDigits(s)
	if num == "" {
		return ""
	}
	dec, thou := ",", "."
	if side == english {
		dec, thou = ".", ","
	}
	var intPart, frac string
	switch {
	case strings.Contains(num, dec):
		i := strings.LastIndex(num, dec)
		intPart, frac = num[:i], num[i+1:]
		if strings.Contains(frac, thou) || strings.Contains(frac, dec) {
			return ""
		}
		intPart = strings.ReplaceAll(intPart, thou, "")
		if strings.Contains(intPart, dec) {
			return ""
		}
	case strings.Contains(num, thou):
		groups := strings.Split(num, thou)
		grouped := true
		for _, g := range groups[1:] {
			if len(g) != 3 {
				grouped = false
			}
		}
		if grouped {
			intPart = strings.Join(groups, "")
		} else if len(groups) == 2 {
			intPart, frac = groups[0], groups[1] // the other convention: "1.5" in Dutch
		} else {
			return ""
		}
	default:
		intPart = num
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		return intPart
	}
	return intPart + "." + frac
}

// sortKeys sorts and deduplicates keys in place.
func sortKeys(keys []uint64) []uint64 {
	slices.Sort(keys)
	return slices.Compact(keys)
}

// Function words that mark a sentence as Dutch or as English; words common
// to both ("in", "is", "over") are left out.
var functionNL = map[string]bool{
	"de": true, "het": true, "een": true, "en": true, "van": true, "op": true, "te": true,
	"dat": true, "die": true, "voor": true, "met": true, "zijn": true, "niet": true, "aan": true,
	"er": true, "om": true, "ook": true, "als": true, "bij": true, "maar": true, "naar": true,
	"uit": true, "dan": true, "wordt": true, "worden": true, "je": true, "wij": true, "ze": true,
	"hij": true, "ik": true, "kan": true, "ons": true, "onze": true, "deze": true, "dit": true,
	"wat": true, "nog": true, "geen": true, "meer": true, "tot": true, "door": true, "hun": true,
	"heeft": true, "hebben": true, "werd": true, "zal": true, "uw": true, "wel": true, "zich": true,
}

var functionEN = map[string]bool{
	"the": true, "a": true, "an": true, "and": true, "of": true, "to": true, "for": true,
	"on": true, "with": true, "that": true, "this": true, "by": true, "from": true, "are": true,
	"be": true, "was": true, "were": true, "it": true, "as": true, "at": true, "you": true,
	"your": true, "our": true, "not": true, "or": true, "have": true, "has": true, "can": true,
	"will": true, "which": true, "their": true, "they": true, "he": true, "she": true,
	"his": true, "her": true, "been": true, "would": true, "there": true, "about": true,
	"into": true, "than": true, "these": true, "its": true, "also": true,
}

// wrongLanguage returns by how many function words the other language
// outnumbers the sentence's own (0 when its own language leads).
func wrongLanguage(words []word) float64 {
	o, x := 0, 0
	for _, w := range words {
		if w.info.own {
			o++
		}
		if w.info.other {
			x++
		}
	}
	return float64(max(0, x-o))
}
