// Package segment splits Dutch and English text into sentences with UTF-8
// byte offsets, and holds Tolk's one tokenizer and normaliser (token.go).
//
// Segmentation follows SRX 2.0 (ParseSRX, SRX.Segmenter): ordered break and
// no-break rules, each a pair of Java regular expressions matched before and
// after a position. The built-in rules (Dutch, English, Builtin; files
// rules/*.srx, embedded) are SRX files too.
//
// The engine is a hybrid. Rules that Go's regexp (RE2) can express after a
// small Java-to-Go translation (\uXXXX, POSIX and java* classes, \h, inline
// flags) run on Go's regexp in linear time: the before-break pattern is
// reversed and matched, anchored, on the reversed text. Rules that need
// look-behind, possessive quantifiers, atomic groups, back-references or
// class intersection ([\p{L}&&[^rwn]]) run on github.com/dlclark/regexp2/v2
// (in its RE2-compatible mode, so \s, \d, \w and \b mean the same on both
// paths, ASCII as in Java) as one anchored look-behind/look-ahead test with
// a time limit. The built-in rules all take the RE2 path. See Segmenter for
// the filters that make it fast and the limits that keep it linear.
package segment

// Segment is one sentence of a text: Text == input[Start:End], offsets in
// UTF-8 bytes, half-open, with surrounding whitespace left outside.
type Segment struct {
	Start, End int
	Text       string
}

// Split splits Dutch text into sentences with the built-in rules (see
// Dutch). The segments, with the whitespace between them, reproduce text
// exactly.
func Split(text string) []Segment {
	return Dutch().Split(text)
}
