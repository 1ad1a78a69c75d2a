package segment

import (
	"regexp/syntax"
	"slices"
	"unicode"
	"unicode/utf8"
)

// Most SRX rules are abbreviation lists: their reversed before-break
// patterns start with a literal ("\.vjib" for "bijv\."). The segmenter
// indexes those literal prefixes in a byte trie, walks the reversed text
// through it once per position, and runs only the patterns whose prefix is
// there. This file finds the prefixes and builds the trie.

// maxLits bounds the prefix strings kept for one pattern.
const maxLits = 256

// lits returns strings one of which every match of re starts with (a
// necessary condition; "" means no condition), and whether re matches
// exactly those strings (so a following pattern's prefixes may be
// appended).
func lits(re *syntax.Regexp) (set []string, exact bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		// Zero-width: the assertion is left to the full pattern.
		return []string{""}, true
	case syntax.OpLiteral:
		out := []string{""}
		for _, r := range re.Rune {
			variants := []rune{r}
			if re.Flags&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					variants = append(variants, f)
				}
			}
			if len(out)*len(variants) > maxLits {
				return out, false
			}
			out = cross(out, runeStrings(variants))
		}
		return out, true
	case syntax.OpCharClass:
		n := 0
		for i := 0; i+1 < len(re.Rune); i += 2 {
			n += int(re.Rune[i+1]-re.Rune[i]) + 1
			if n > 16 {
				return []string{""}, false
			}
		}
		var rs []rune
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				rs = append(rs, r)
			}
		}
		return runeStrings(rs), true
	case syntax.OpCapture:
		return lits(re.Sub[0])
	case syntax.OpQuest:
		s, e := lits(re.Sub[0])
		return dedupe(append([]string{""}, s...)), e
	case syntax.OpPlus:
		s, _ := lits(re.Sub[0])
		return s, false
	case syntax.OpRepeat:
		if re.Min == 0 {
			return []string{""}, false
		}
		s, e := lits(re.Sub[0])
		return s, e && re.Min == 1 && re.Max == 1
	case syntax.OpConcat:
		acc := []string{""}
		for _, sub := range re.Sub {
			s, e := lits(sub)
			if len(acc)*len(s) > maxLits {
				return acc, false
			}
			acc = cross(acc, s)
			if !e {
				return acc, false
			}
		}
		return acc, true
	case syntax.OpAlternate:
		var out []string
		exact := true
		for _, sub := range re.Sub {
			s, e := lits(sub)
			out = append(out, s...)
			exact = exact && e
		}
		out = dedupe(out)
		if len(out) > maxLits {
			return []string{""}, false
		}
		return out, exact
	}
	return []string{""}, false
}

func runeStrings(rs []rune) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		if !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		out[i] = string(r)
	}
	return out
}

func cross(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return dedupe(out)
}

func dedupe(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// hasPrefix reports whether set constrains anything (no "" member).
func hasPrefix(set []string) bool {
	return len(set) > 0 && !slices.Contains(set, "")
}

// expand splits re into alternatives whose union it is, distributing
// alternations of literals over the concatenation around them, up to limit
// alternatives. Each alternative then has its own, longer, literal prefix
// in the trie and a small program.
func expand(re *syntax.Regexp, limit int) []*syntax.Regexp {
	switch re.Op {
	case syntax.OpCapture:
		return expand(re.Sub[0], limit)
	case syntax.OpAlternate:
		var out []*syntax.Regexp
		for _, sub := range re.Sub {
			if !literalish(sub) {
				return []*syntax.Regexp{re}
			}
			out = append(out, expand(sub, limit)...)
			if len(out) > limit {
				return []*syntax.Regexp{re}
			}
		}
		return out
	case syntax.OpConcat:
		for i, sub := range re.Sub {
			inner := sub
			for inner.Op == syntax.OpCapture {
				inner = inner.Sub[0]
			}
			if inner.Op == syntax.OpAlternate {
				parts := expand(inner, limit)
				if len(parts) <= 1 {
					return []*syntax.Regexp{re}
				}
				var out []*syntax.Regexp
				for _, p := range parts {
					c := &syntax.Regexp{Op: syntax.OpConcat, Flags: re.Flags}
					c.Sub = append(append(append([]*syntax.Regexp{}, re.Sub[:i]...), p), re.Sub[i+1:]...)
					out = append(out, expand(c, max(1, limit/len(parts)))...)
					if len(out) > limit {
						return []*syntax.Regexp{re}
					}
				}
				return out
			}
			if !literalish(sub) {
				break
			}
		}
	}
	return []*syntax.Regexp{re}
}

// literalish reports whether re matches a finite set of strings made of
// literals and small classes (so expanding it sharpens literal prefixes).
func literalish(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral, syntax.OpEmptyMatch:
		return true
	case syntax.OpCharClass:
		s, _ := lits(re)
		return hasPrefix(s)
	case syntax.OpCapture, syntax.OpQuest, syntax.OpConcat, syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !literalish(sub) {
				return false
			}
		}
		return true
	}
	return false
}

// trie is a byte trie of literal prefixes; each node lists the patterns
// whose prefix ends there.
type trie struct {
	nodes []trieNode
}

type trieNode struct {
	edges []trieEdge
	ids   []int32
}

type trieEdge struct {
	b  byte
	to int32
}

func newTrie() *trie { return &trie{nodes: make([]trieNode, 1)} }

func (t *trie) add(s string, id int32) {
	n := int32(0)
	for i := 0; i < len(s); i++ {
		n = t.child(n, s[i], true)
	}
	if !slices.Contains(t.nodes[n].ids, id) {
		t.nodes[n].ids = append(t.nodes[n].ids, id)
	}
}

func (t *trie) child(n int32, b byte, create bool) int32 {
	for _, e := range t.nodes[n].edges {
		if e.b == b {
			return e.to
		}
	}
	if !create {
		return -1
	}
	t.nodes = append(t.nodes, trieNode{})
	to := int32(len(t.nodes) - 1)
	t.nodes[n].edges = append(t.nodes[n].edges, trieEdge{b, to})
	return to
}

// walk calls fn with the ids of every prefix of s in the trie, shortest
// first; fn returns true to stop.
func (t *trie) walk(s string, fn func(id int32) bool) bool {
	n := int32(0)
	for i := 0; ; i++ {
		for _, id := range t.nodes[n].ids {
			if fn(id) {
				return true
			}
		}
		if i >= len(s) {
			return false
		}
		if n = t.child(n, s[i], false); n < 0 {
			return false
		}
	}
}

// maxSig is how many leading characters a signature describes.
const maxSig = 6

// signature returns, for the first characters every match of re consumes,
// the set of lead bytes (see byteSet) each may have; it stops at the first
// element that is not a single character in sequence. A position whose
// text does not fit the signature cannot match, which is much cheaper to
// test than running the regexp.
func signature(re *syntax.Regexp) []byteSet {
	var sig []byteSet
	var walk func(re *syntax.Regexp) bool // false: stop
	walk = func(re *syntax.Regexp) bool {
		if len(sig) >= maxSig {
			return false
		}
		switch re.Op {
		case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
			syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
			return true
		case syntax.OpLiteral:
			for _, r := range re.Rune {
				if len(sig) >= maxSig {
					return false
				}
				var b byteSet
				b.addRune(r)
				if re.Flags&syntax.FoldCase != 0 {
					for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
						b.addRune(f)
					}
				}
				sig = append(sig, b)
			}
			return true
		case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			set, _ := firstBytes(re)
			sig = append(sig, set)
			return true
		case syntax.OpCapture:
			return walk(re.Sub[0])
		case syntax.OpPlus:
			// One occurrence is certain; what follows is not.
			walk(re.Sub[0])
			return false
		case syntax.OpRepeat:
			if re.Min >= 1 {
				walk(re.Sub[0])
			}
			return false
		case syntax.OpConcat:
			for i, sub := range re.Sub {
				optional := sub.Op == syntax.OpStar || sub.Op == syntax.OpQuest || sub.Op == syntax.OpRepeat && sub.Min == 0
				if optional && len(sig) < maxSig {
					// The next character starts either another sub or
					// what follows it.
					set, _ := firstBytes(sub.Sub[0])
					rest := &syntax.Regexp{Op: syntax.OpConcat, Sub: re.Sub[i+1:]}
					after, nullable := firstBytes(rest)
					if nullable {
						return false
					}
					set.union(after)
					sig = append(sig, set)
					return false
				}
				if !walk(sub) {
					return false
				}
			}
			return true
		}
		return false
	}
	walk(re)
	return sig
}

// fits reports whether text starts with characters that fit sig.
func fits(sig []byteSet, text string) bool {
	i := 0
	for _, set := range sig {
		if i >= len(text) {
			return false // the pattern needs more characters than there are
		}
		c := text[i]
		if !set.has(key(c)) {
			return false
		}
		if c < utf8.RuneSelf {
			i++
		} else {
			_, n := utf8.DecodeRuneInString(text[i:])
			i += n
		}
	}
	return true
}
