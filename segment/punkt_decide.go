package segment

import (
	"unicode"
	"unicode/utf8"
)

// maxTok bounds how far the model looks on each side of a period, in
// bytes, well inside the window the streaming reader keeps.
const maxTok = 48

// breakAfterPeriod decides a position p right after a period, where the
// rules did not break: true when the period ends a sentence. It looks at
// the token before the period and the next one or two words, and does not
// allocate.
//
// A single capital letter ("zaal E.") or a final abbreviation ("e.d.")
// followed by a capitalised word W ends the sentence when W is a sentence
// starter: seen in lower case inside training sentences and, either never
// capitalised there (strong evidence: "Daarover"), or rarely and followed
// here by a lower-case word or a comma, so that it is not the particle of
// a name ("De toegang", not "De Wever"). Collocation evidence about the
// word before a single letter comes first: after a word that introduces
// names ("minister J. Bos", "door J. Zwart") the letter is an initial and
// never ends the sentence; after a common noun ("zaal E. Het Concertgebouw")
// it is a label, and any starter W ends the sentence. Multi-letter and
// hyphenated initials ("J.P.", "W.-A.") are never single letters, so never
// split here.
func (m *PunktModel) breakAfterPeriod(text string, p int) bool {
	if p < 2 || p >= len(text) || text[p-1] != '.' {
		return false
	}
	letter, ok := m.unsureBefore(text, p-1)
	if !ok {
		return false
	}
	kind := collocKind(0)
	if letter > 0 {
		kind = m.colloc[wordBefore(text, letter)]
	}
	if kind == namer {
		return false
	}
	w, rest := nextWord(text, p)
	if w == "" {
		return false
	}
	st, ok := m.starters[w]
	if !ok || st.midLC == 0 || st.midUC*20 > st.midLC {
		return false
	}
	return st.strong() || kind == labelNoun || lowerOrComma(rest)
}

// wordBefore returns the lower-case word (letters and hyphens) that ends
// one space before index i, or "" when there is none.
func wordBefore(text string, i int) string {
	if i < 2 || text[i-1] != ' ' {
		return ""
	}
	end := i - 1
	start := end
	for start > 0 && end-start < maxTok {
		r, n := utf8.DecodeLastRuneInString(text[:start])
		if !unicode.IsLower(r) && r != '-' {
			break
		}
		start -= n
	}
	if start < end && start > 0 {
		if r, _ := utf8.DecodeLastRuneInString(text[:start]); unicode.IsLetter(r) || unicode.IsDigit(r) {
			return "" // a capitalised or mixed word: no collocation
		}
	}
	return text[start:end]
}

// unsureBefore reports whether the token ending at end (the period's
// index) is a single capital letter or a final abbreviation, and for a
// letter, its index (0 for an abbreviation).
func (m *PunktModel) unsureBefore(text string, end int) (int, bool) {
	start := end
	for start > 0 && end-start < maxTok {
		c := text[start-1]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == '[' || c == '"' || c == '\'' {
			break
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeLastRuneInString(text[:start])
			if unicode.IsSpace(r) || r == '„' || r == '“' || r == '‘' || r == '«' {
				break
			}
			start -= n
			continue
		}
		start--
	}
	tok := text[start:end]
	if r, n := utf8.DecodeRuneInString(tok); n == len(tok) && unicode.IsUpper(r) {
		return start, true
	}
	return 0, m.isFinal(tok)
}

// isFinal looks tok up among the final abbreviations, ignoring ASCII case
// ("Inc", "U.S"), without allocating.
func (m *PunktModel) isFinal(tok string) bool {
	var buf [16]byte
	if len(tok) > len(buf) {
		return false
	}
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return m.final[string(buf[:len(tok)])]
}

// nextWord returns the word after the white space at p (letters only) if
// it starts with a capital, and the text after it.
func nextWord(text string, p int) (string, string) {
	i := p
	for i < len(text) && i-p < maxTok && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r') {
		i++
	}
	j := i
	for j < len(text) && j-i < maxTok {
		r, n := utf8.DecodeRuneInString(text[j:])
		if !unicode.IsLetter(r) {
			break
		}
		if j == i && !unicode.IsUpper(r) {
			return "", ""
		}
		j += n
	}
	if j == i || j-i >= maxTok {
		return "", ""
	}
	return text[i:j], text[j:min(len(text), j+maxTok)]
}

// lowerOrComma reports whether rest (the text after a word) goes on with a
// comma, or with a lower-case word not followed by a capitalised one: "De
// toegang is", not "Van der Berg" or "De Wever".
func lowerOrComma(rest string) bool {
	if rest == "" {
		return false
	}
	if rest[0] == ',' {
		return true
	}
	if rest[0] != ' ' {
		return false
	}
	r, n := utf8.DecodeRuneInString(rest[1:])
	if !unicode.IsLower(r) {
		return false
	}
	i := 1 + n
	for i < len(rest) {
		r, n = utf8.DecodeRuneInString(rest[i:])
		if !unicode.IsLetter(r) {
			break
		}
		i += n
	}
	if i+1 < len(rest) && rest[i] == ' ' {
		r, _ = utf8.DecodeRuneInString(rest[i+1:])
		return !unicode.IsUpper(r)
	}
	return true
}
