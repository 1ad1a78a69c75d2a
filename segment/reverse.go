package segment

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// reverseSyntax returns a pattern that matches the reverse (rune by rune)
// of every string re matches: concatenations and literals run backwards and
// the line and text anchors swap. Word boundaries are symmetric. The
// segmenter uses it to test "the before-break pattern ends here" as an
// anchored match on the reversed text, which Go's regexp does in linear
// time.
func reverseSyntax(re *syntax.Regexp) *syntax.Regexp {
	out := *re
	switch re.Op {
	case syntax.OpLiteral:
		out.Rune = slices.Clone(re.Rune)
		slices.Reverse(out.Rune)
	case syntax.OpBeginLine:
		out.Op = syntax.OpEndLine
	case syntax.OpEndLine:
		out.Op = syntax.OpBeginLine
	case syntax.OpBeginText:
		out.Op = syntax.OpEndText
		out.Flags &^= syntax.WasDollar
	case syntax.OpEndText:
		out.Op = syntax.OpBeginText
	}
	if len(re.Sub) > 0 {
		out.Sub = make([]*syntax.Regexp, len(re.Sub))
		for i, s := range re.Sub {
			out.Sub[i] = reverseSyntax(s)
		}
		switch re.Op {
		case syntax.OpConcat:
			slices.Reverse(out.Sub)
		case syntax.OpAlternate:
			// Only whether some branch matches counts, not which: sort
			// the branches so that the parser factors common prefixes
			// into a trie when the pattern is compiled again.
			slices.SortStableFunc(out.Sub, func(a, b *syntax.Regexp) int {
				return strings.Compare(a.String(), b.String())
			})
		}
	}
	out.Sub0 = [1]*syntax.Regexp{}
	return &out
}

// byteSet is a set of bytes; every byte ≥ 0x80 stands for "some non-ASCII
// rune", so the segmenter looks up a rune's lead byte, or 0x80 for any
// non-ASCII rune.
type byteSet [4]uint64

func (s *byteSet) add(b byte)      { s[b>>6] |= 1 << (b & 63) }
func (s *byteSet) has(b byte) bool { return s[b>>6]&(1<<(b&63)) != 0 }
func (s *byteSet) union(o byteSet) { s[0] |= o[0]; s[1] |= o[1]; s[2] |= o[2]; s[3] |= o[3] }
func (s *byteSet) addHigh()        { s[2], s[3] = ^uint64(0), ^uint64(0) }
func allBytes() byteSet            { return byteSet{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)} }
func (s *byteSet) addRune(r rune)  { s.addRange(r, r) }
func (s *byteSet) addRange(lo, hi rune) {
	if lo < 0 {
		lo = 0
	}
	for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
		s.add(byte(r))
	}
	if hi >= utf8.RuneSelf {
		s.addHigh()
	}
}

// key returns the byte to look up for the rune starting with lead byte b.
func key(b byte) byte {
	if b >= utf8.RuneSelf {
		return 0x80
	}
	return b
}

// firstBytes returns the set of first bytes (see byteSet) of the non-empty
// strings re matches, and whether re can match the empty string (in which
// case the caller must not filter on the set).
func firstBytes(re *syntax.Regexp) (set byteSet, nullable bool) {
	switch re.Op {
	case syntax.OpNoMatch:
		return set, false
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return set, true
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return set, true
		}
		r := re.Rune[0]
		set.addRune(r)
		if re.Flags&syntax.FoldCase != 0 {
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				set.addRune(f)
			}
		}
		return set, false
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			set.addRange(re.Rune[i], re.Rune[i+1])
		}
		// Invalid UTF-8 bytes match as U+FFFD.
		return set, false
	case syntax.OpAnyCharNotNL:
		set = allBytes()
		set[0] &^= 1 << '\n'
		return set, false
	case syntax.OpAnyChar:
		return allBytes(), false
	case syntax.OpCapture, syntax.OpPlus:
		return firstBytes(re.Sub[0])
	case syntax.OpStar, syntax.OpQuest:
		set, _ = firstBytes(re.Sub[0])
		return set, true
	case syntax.OpRepeat:
		set, nullable = firstBytes(re.Sub[0])
		return set, nullable || re.Min == 0
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			s, n := firstBytes(sub)
			set.union(s)
			if !n {
				return set, false
			}
		}
		return set, true
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			s, n := firstBytes(sub)
			set.union(s)
			nullable = nullable || n
		}
		return set, nullable
	}
	return allBytes(), true
}

// maxBytes returns the longest UTF-8 length of a string re matches, or -1
// if that is unbounded.
func maxBytes(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			n += max(utf8.RuneLen(r), 1)
		}
		return n
	case syntax.OpCharClass:
		if len(re.Rune) == 0 {
			return 0
		}
		return max(utf8.RuneLen(re.Rune[len(re.Rune)-1]), 1)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return maxBytes(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		return -1
	case syntax.OpRepeat:
		if re.Max < 0 {
			return -1
		}
		n := maxBytes(re.Sub[0])
		if n < 0 {
			return -1
		}
		return n * re.Max
	case syntax.OpConcat:
		t := 0
		for _, sub := range re.Sub {
			n := maxBytes(sub)
			if n < 0 {
				return -1
			}
			t += n
		}
		return t
	case syntax.OpAlternate:
		t := 0
		for _, sub := range re.Sub {
			n := maxBytes(sub)
			if n < 0 {
				return -1
			}
			t = max(t, n)
		}
		return t
	}
	return 0
}
