// Package segment splits Dutch and English text into sentences with UTF-8
// byte offsets, and holds Tolk's one tokenizer and normaliser (token.go).
package segment

import (
	"unicode"
	"unicode/utf8"
)

// Segment is one sentence of a text: Text == input[Start:End], offsets in
// UTF-8 bytes, half-open, with surrounding whitespace left outside.
type Segment struct {
	Start, End int
	Text       string
}

// Split splits Dutch text into sentences with the built-in rules. The
// segments, with the whitespace between them, reproduce text exactly.
//
// This first splitter breaks at a blank line and after '.', '!' or '?'
// followed by space and an upper-case letter; the SRX engine replaces it.
func Split(text string) []Segment {
	var out []Segment
	start := -1
	emit := func(end int) {
		if start < 0 {
			return
		}
		e := end
		for e > start {
			r, n := utf8.DecodeLastRuneInString(text[:e])
			if !unicode.IsSpace(r) {
				break
			}
			e -= n
		}
		if e > start {
			out = append(out, Segment{start, e, text[start:e]})
		}
		start = -1
	}
	for i, r := range text {
		if start < 0 {
			if !unicode.IsSpace(r) {
				start = i
			}
			continue
		}
		switch {
		case r == '\n':
			j := i + 1
			for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
				j++
			}
			if j < len(text) && text[j] == '\n' {
				emit(i)
			}
		case r == '.' || r == '!' || r == '?':
			j := i + 1
			if j < len(text) && text[j] == ' ' {
				for j < len(text) && text[j] == ' ' {
					j++
				}
				if r2, _ := utf8.DecodeRuneInString(text[j:]); unicode.IsUpper(r2) {
					emit(i + 1)
				}
			}
		}
	}
	emit(len(text))
	return out
}
