package segment

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2"
)

// window is how far (in bytes) a rule's pattern may look before and after
// a candidate break position. It keeps every position's work bounded, so
// no rule set can make segmentation quadratic, and it is the overlap Stream
// keeps between reads.
const window = 4096

// r2Timeout bounds one regexp2 match, so a pathological user rule cannot
// hang segmentation (a timed-out rule counts as not matching).
const r2Timeout = 50 * time.Millisecond

// pattern is one Java pattern ready for an engine.
type pattern struct {
	src string
	syn *syntax.Regexp // non-nil when Go's regexp can run it
	r2  string         // the regexp2 translation otherwise
}

// compilePattern translates a Java pattern, preferring Go's regexp.
func compilePattern(p string) (*pattern, error) {
	if g, ok := javaToGo(p); ok {
		if re, err := syntax.Parse(g, syntax.Perl); err == nil {
			if _, err := regexp.Compile(g); err == nil {
				return &pattern{src: p, syn: re}, nil
			}
		}
	}
	r2, err := javaToRegexp2(p)
	if err != nil {
		return nil, err
	}
	if _, err := regexp2.Compile(`(?<=` + r2 + `)`); err != nil {
		return nil, err
	}
	return &pattern{src: p, r2: r2}, nil
}

// group is a set of rules of one run that the segmenter tests together:
// either Go-regexp rules sharing one after-break pattern, or all the
// regexp2 rules of the run.
type group struct {
	after, afterCtx   *regexp.Regexp // ^(?:A) and ^(?s:.)(?:A), on the text
	before, beforeCtx *regexp.Regexp // the reversed before-break patterns, on the reversed text
	r2                *regexp2.Regexp
	prev, next        byteSet // bytes that may end the before part / start the after part
}

// run is a maximal sequence of consecutive rules with the same Break value:
// which of them matches first does not change the outcome.
type run struct {
	brk    bool
	groups []group
}

// Segmenter holds compiled segmentation rules for one language. It is safe
// for concurrent use.
//
// At each position between two characters the rules are tried in order; the
// first whose before-break pattern matches the text ending there and whose
// after-break pattern matches the text starting there decides: break or
// not. No matching rule means no break. Rules whose patterns Go's regexp
// (RE2) can run are matched in linear time: the before-break pattern is
// reversed and matched, anchored, against the reversed text. Rules that
// need look-behind, possessive quantifiers, atomic groups or
// back-references run on regexp2 as one anchored look-behind/look-ahead
// test. Only positions whose neighbouring bytes can start and end some
// break rule's patterns are tried, and patterns see at most 4 KiB on each
// side of a position.
type Segmenter struct {
	runs       []run
	prev, next byteSet // candidate filter: union over break groups
	needRunes  bool
}

// compileRules builds a Segmenter from rules in priority order.
func compileRules(rules []Rule) (*Segmenter, error) {
	s := &Segmenter{}
	for i := 0; i < len(rules); {
		j := i
		for j < len(rules) && rules[j].Break == rules[i].Break {
			j++
		}
		r, err := compileRun(rules[i:j])
		if err != nil {
			return nil, err
		}
		if r.brk {
			for _, g := range r.groups {
				s.prev.union(g.prev)
				s.next.union(g.next)
			}
		}
		for _, g := range r.groups {
			if g.r2 != nil {
				s.needRunes = true
			}
		}
		s.runs = append(s.runs, r)
		i = j
	}
	return s, nil
}

func compileRun(rules []Rule) (run, error) {
	r := run{brk: rules[0].Break}
	type goGroup struct {
		after   *syntax.Regexp
		befores []string
		prev    byteSet
	}
	var order []string
	byAfter := map[string]*goGroup{}
	var r2alts []string
	for _, rl := range rules {
		b, err := compilePattern(rl.Before)
		if err != nil {
			return r, fmt.Errorf("line %d: beforebreak %q: %w", rl.Line, rl.Before, err)
		}
		a, err := compilePattern(rl.After)
		if err != nil {
			return r, fmt.Errorf("line %d: afterbreak %q: %w", rl.Line, rl.After, err)
		}
		if b.syn != nil && a.syn != nil {
			k := a.syn.String()
			g := byAfter[k]
			if g == nil {
				g = &goGroup{after: a.syn}
				byAfter[k] = g
				order = append(order, k)
			}
			rev := reverseSyntax(b.syn)
			g.befores = append(g.befores, rev.String())
			set, nullable := firstBytes(rev)
			if nullable {
				set = allBytes()
			}
			g.prev.union(set)
			continue
		}
		// regexp2: translate whichever side Go could have run too.
		bs, as := b.r2, a.r2
		if bs == "" {
			bs, _ = javaToRegexp2(rl.Before)
		}
		if as == "" {
			as, _ = javaToRegexp2(rl.After)
		}
		r2alts = append(r2alts, `(?<=`+bs+`)(?=`+as+`)`)
	}
	for _, k := range order {
		gg := byAfter[k]
		a := gg.after.String()
		b := strings.Join(gg.befores, "|")
		g := group{prev: gg.prev}
		var err error
		if g.after, err = regexp.Compile(`^(?:` + a + `)`); err != nil {
			return r, err
		}
		if g.afterCtx, err = regexp.Compile(`^(?s:.)(?:` + a + `)`); err != nil {
			return r, err
		}
		if g.before, err = regexp.Compile(`^(?:` + b + `)`); err != nil {
			return r, err
		}
		if g.beforeCtx, err = regexp.Compile(`^(?s:.)(?:` + b + `)`); err != nil {
			return r, err
		}
		set, nullable := firstBytes(gg.after)
		if nullable {
			set = allBytes()
		}
		g.next = set
		r.groups = append(r.groups, g)
	}
	if len(r2alts) > 0 {
		re, err := regexp2.Compile(`\G(?:` + strings.Join(r2alts, "|") + `)`)
		if err != nil {
			return r, err
		}
		re.MatchTimeout = r2Timeout
		r.groups = append(r.groups, group{r2: re, prev: allBytes(), next: allBytes()})
	}
	return r, nil
}

// text is the input as the matcher sees it: the text, its rune-wise
// reversal, and (only for regexp2 rules) its runes with a cursor mapping
// byte offsets to rune indexes.
type input struct {
	text, rev string
	runes     []rune
	curByte   int
	curRune   int
	eof       bool // text ends the input (else positions near the end are not decided)
}

func newInput(s *Segmenter, text string, eof bool) *input {
	in := &input{text: text, rev: reverseRunes(text), eof: eof}
	if s.needRunes {
		in.runes = []rune(text)
	}
	return in
}

// reverseRunes reverses s rune by rune, keeping each rune's bytes (an
// invalid byte counts as one rune, as Go's regexp decodes it), so a
// position p of s is position len(s)-p of the result.
func reverseRunes(s string) string {
	b := make([]byte, len(s))
	j := len(s)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			j--
			b[j] = c
			i++
			continue
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		j -= n
		copy(b[j:], s[i:i+n])
		i += n
	}
	return string(b)
}

func (in *input) runeIndex(p int) int {
	if p < in.curByte {
		in.curByte, in.curRune = 0, 0
	}
	in.curRune += utf8.RuneCountInString(in.text[in.curByte:p])
	in.curByte = p
	return in.curRune
}

// isBreak applies the rules at position p (0 < p < len(text), a rune start).
func (s *Segmenter) isBreak(in *input, p int) bool {
	text := in.text
	pk, nk := key(text[p-1]), key(text[p])
	for ri := range s.runs {
		r := &s.runs[ri]
		for gi := range r.groups {
			g := &r.groups[gi]
			if !g.prev.has(pk) || !g.next.has(nk) {
				continue
			}
			if g.match(in, p) {
				return r.brk
			}
		}
	}
	return false
}

func (g *group) match(in *input, p int) bool {
	text := in.text
	if g.r2 != nil {
		ri := in.runeIndex(p)
		lo, hi := max(0, ri-window), min(len(in.runes), ri+window)
		m, err := g.r2.FindRunesMatchStartingAt(in.runes[lo:hi], ri-lo)
		return err == nil && m != nil
	}
	hi := min(len(text), p+window)
	var ok bool
	if p == 0 {
		ok = g.after.MatchString(text[:hi])
	} else {
		_, k := utf8.DecodeLastRuneInString(text[:p])
		ok = g.afterCtx.MatchString(text[p-k : hi])
	}
	if !ok {
		return false
	}
	rp := len(text) - p
	rhi := min(len(text), rp+window)
	if p == len(text) {
		return g.before.MatchString(in.rev[rp:rhi])
	}
	_, k := utf8.DecodeRuneInString(text[p:])
	return g.beforeCtx.MatchString(in.rev[rp-k : rhi])
}

// scan calls emit for every break position p in [from, to), in order.
func (s *Segmenter) scan(in *input, from, to int, emit func(p int)) {
	text := in.text
	from = max(from, 1)
	to = min(to, len(text))
	prev, next := &s.prev, &s.next
	for p := from; p < to; p++ {
		c := text[p]
		if !next.has(key(c)) || !prev.has(key(text[p-1])) || !utf8.RuneStart(c) {
			continue
		}
		if s.isBreak(in, p) {
			emit(p)
		}
	}
}

// Split splits text into segments. The segments, with the whitespace
// between them, reproduce text exactly; segments hold no leading or
// trailing whitespace and are never empty.
func (s *Segmenter) Split(text string) []Segment {
	in := newInput(s, text, true)
	var out []Segment
	start := 0
	s.scan(in, 1, len(text), func(p int) {
		out = appendSegment(out, text, start, p, 0)
		start = p
	})
	return appendSegment(out, text, start, len(text), 0)
}

// appendSegment appends text[start:end] trimmed of white space, if anything
// is left, with offsets shifted by base.
func appendSegment(out []Segment, text string, start, end, base int) []Segment {
	for start < end {
		c := text[start]
		if c < utf8.RuneSelf {
			if asciiSpace[c] == 0 {
				break
			}
			start++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += n
	}
	for end > start {
		c := text[end-1]
		if c < utf8.RuneSelf {
			if asciiSpace[c] == 0 {
				break
			}
			end--
			continue
		}
		r, n := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= n
	}
	if start == end {
		return out
	}
	return append(out, Segment{Start: base + start, End: base + end, Text: text[start:end]})
}

var asciiSpace = [256]uint8{'\t': 1, '\n': 1, '\v': 1, '\f': 1, '\r': 1, ' ': 1}
