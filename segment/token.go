package segment

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TokenKind says what a Token is.
type TokenKind uint8

// Token kinds.
const (
	Word   TokenKind = iota + 1 // letters, with digits and inner apostrophes ("auto's", "F16")
	Number                      // digits with inner separators ("1.250.000,50", "14.30", "26e")
	Punct                       // any other visible character, one per token
	Code                        // an inline-code placeholder rune (see CodeRune)
)

// String returns the kind's name.
func (k TokenKind) String() string {
	switch k {
	case Word:
		return "word"
	case Number:
		return "number"
	case Punct:
		return "punct"
	case Code:
		return "code"
	}
	return "unknown"
}

// Token is a span of a string: s[Start:End] in UTF-8 bytes, half-open.
type Token struct {
	Start, End int
	Kind       TokenKind
}

// CodeBase is the first rune of Unicode's Supplementary Private Use
// Area-B (plane 16). Inline codes (TMX bpt/ept/ph..., XLIFF pc/ph...) stand
// in text as the rune CodeBase+n for the code with index n, so that
// matching and tokenizing can see them without parsing markup. Tokens
// reports each such rune as a Code token.
//
// Plane 16 is reserved for them: text read from files never holds its
// characters (readers replace them with U+FFFD, see ReplaceReserved),
// while the Basic Multilingual Plane's private-use characters that
// Word-exported text carries (U+F0B7, U+F8FF) are text like any other.
const CodeBase = '\U00100000'

// MaxCodes bounds the inline codes of one segment or unit: its codes are
// CodeRune(0) … CodeRune(MaxCodes-1). It is also the size of the range
// U+E000–U+F8FF in which version 1 of the memory's unit codec stored them.
const MaxCodes = 6400

// CodeRune returns the placeholder rune for the inline code with index n.
// The caller owes 0 <= n < 65534 (the size of plane 16's private use).
func CodeRune(n int) rune { return CodeBase + rune(n) }

// IsCodeRune reports whether r is an inline-code placeholder: a rune of
// plane 16's private-use area.
func IsCodeRune(r rune) bool { return r >= CodeBase && r <= '\U0010FFFD' }

// ReplaceReserved appends s to b, writing U+FFFD for each rune that
// IsCodeRune reserves for placeholders and for each invalid UTF-8 byte, so
// that text read from a file can never be taken for an inline code.
func ReplaceReserved(b *strings.Builder, s []byte) {
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s)
		if IsCodeRune(r) || (r == utf8.RuneError && n == 1) {
			b.WriteRune(utf8.RuneError)
		} else {
			b.Write(s[:n])
		}
		s = s[n:]
	}
}

// Tokens appends the tokens of s to dst and returns it. Whitespace separates
// tokens and is not returned. It is the one tokenizer of Tolk: the memory's
// matcher and the glossary's recognizer both use it, on Fold-ed or raw text.
func Tokens(dst []Token, s string) []Token {
	i := 0
	for i < len(s) {
		r, n := decode(s, i)
		switch {
		case unicode.IsSpace(r):
			i += n
		case IsCodeRune(r):
			dst = append(dst, Token{i, i + n, Code})
			i += n
		case unicode.IsLetter(r):
			end := scanWord(s, i+n)
			dst = append(dst, Token{i, end, Word})
			i = end
		case unicode.IsDigit(r):
			end := scanNumber(s, i+n)
			dst = append(dst, Token{i, end, Number})
			i = end
		default:
			dst = append(dst, Token{i, i + n, Punct})
			i += n
		}
	}
	return dst
}

func decode(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// scanWord returns the end of the word that continues at i: letters, digits
// and combining marks, plus an apostrophe that stands between two letters.
func scanWord(s string, i int) int {
	for i < len(s) {
		r, n := decode(s, i)
		if isWordRune(r) {
			i += n
			continue
		}
		if r == '\'' || r == '’' {
			if j := i + n; j < len(s) {
				if r2, _ := decode(s, j); unicode.IsLetter(r2) {
					i = j
					continue
				}
			}
		}
		break
	}
	return i
}

// scanNumber returns the end of the number that continues at i: digits,
// '.' or ',' between digits, and a letter suffix such as the ordinal "e".
func scanNumber(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			i++
		case (c == '.' || c == ',') && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			i++
		default:
			r, n := decode(s, i)
			if unicode.IsDigit(r) {
				i += n
				continue
			}
			if unicode.IsLetter(r) {
				return scanWord(s, i)
			}
			return i
		}
	}
	return i
}

// FoldRune maps the typographic variants that should not count as a
// difference onto one form: curly and low quotes to straight ones, dashes and
// minus signs to '-', non-breaking and other spaces to ' ', and letters to
// lower case.
func FoldRune(r rune) rune {
	switch r {
	case '‘', '’', '‚', '‛', '`', '´', '′':
		return '\''
	case '“', '”', '„', '‟', '«', '»', '″':
		return '"'
	case '‐', '‑', '‒', '–', '—', '―', '−':
		return '-'
	}
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	if unicode.IsSpace(r) {
		return ' '
	}
	return unicode.ToLower(r)
}

// Fold returns s normalised for matching: NFC, FoldRune on every rune, runs
// of whitespace collapsed to one space, no leading or trailing space. Two
// strings that differ only in case, typographic quotes, dashes or spacing
// fold to the same string.
func Fold(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		r = FoldRune(r)
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// StripDiacritics removes combining marks after canonical decomposition
// ("coördinator" → "coordinator", "één" → "een") and recomposes the rest.
func StripDiacritics(s string) string {
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}
