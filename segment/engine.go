package segment

import (
	"encoding/binary"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2"
)

// window is how far (in bytes; characters for regexp2 rules) a rule's
// pattern may look before and after a candidate break position. It keeps
// every position's work bounded, so no rule set can make segmentation
// quadratic, and it is the overlap Stream keeps between reads. Patterns
// whose matches have a bounded length get a window of exactly that length.
const window = 256

// span returns the window for a pattern of the given maximum match length:
// that length plus one character, so that assertions at the far end of a
// match (\b, $) see the text beyond it.
func span(maxLen int) int {
	if maxLen < 0 || maxLen > window {
		return window
	}
	return maxLen + utf8.UTFMax
}

// r2Timeout bounds one regexp2 match, so a pathological user rule cannot
// hang segmentation (a timed-out rule counts as not matching).
const r2Timeout = 50 * time.Millisecond

// maxTimeouts is how many timed-out matches a regexp2 group may have in one
// call (one Split, or one Stream read) before it counts as not matching for
// the rest of that call: a pathological user rule costs at most
// maxTimeouts × r2Timeout per call, not r2Timeout per position.
const maxTimeouts = 3

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
	if _, err := regexp2.Compile(`(?<=`+r2+`)`, regexp2.RE2); err != nil {
		return nil, err
	}
	return &pattern{src: p, r2: r2}, nil
}

// maxChunkProg is the program size up to which before-break patterns are
// combined into one regexp (Go's backtracker takes programs up to 500
// instructions, and is much faster than its NFA on short inputs).
const maxChunkProg = 400

// progSize returns the size of re's compiled program.
func progSize(re *syntax.Regexp) int {
	p, err := syntax.Compile(re.Simplify())
	if err != nil {
		return maxChunkProg
	}
	return len(p.Inst)
}

// group is a set of rules of one run that the segmenter tests together:
// either Go-regexp rules sharing one after-break pattern, or all the
// regexp2 rules of the run.
type group struct {
	afterCtx *regexp.Regexp // ^(?s:.)(?:A) on the text from the rune before p
	aWin     int            // how far the after-break pattern can reach
	// The before-break patterns, reversed: those with a literal prefix are
	// found through the trie, the others are packed into always.
	trie   *trie
	pats   []beforePat
	always []beforePat
	r2     *regexp2.Regexp
	prev   byteSet // bytes that may end the before part
	next   byteSet // bytes that may start the after part
}

// beforePat is a reversed before-break pattern, ^(?s:.)(?:rev(B)), matched
// on the reversed text from the rune after p (its context for \b and
// anchors); win is how far it can reach.
type beforePat struct {
	re  *regexp.Regexp
	win int
	sig []byteSet // see signature
}

func (b *beforePat) match(in *input, p int) bool {
	rp := len(in.text) - p
	if !fits(b.sig, in.rev[rp:]) {
		return false
	}
	_, k := utf8.DecodeRuneInString(in.text[p:])
	return b.re.MatchString(in.rev[rp-k : min(len(in.text), rp+b.win)])
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
// test (at most 50 ms each; a rule that times out counts as not matching).
// Only positions whose neighbouring bytes can start and end some break
// rule's patterns are tried; before-break patterns with a literal start
// ("bijv\.") are found through a trie of those literals. A pattern whose
// matches are unbounded ("\s+") sees at most 256 bytes (regexp2: 256
// characters) on its side of a position; that bound keeps every position's
// work constant, so segmentation is linear in the text whatever the rules.
type Segmenter struct {
	runs      []run
	cand      *[256 * 256 / 64]uint64 // (byte before, byte after) pairs some break group accepts
	needRunes bool
	punkt     *PunktModel // nil: the rules alone decide
}

func (s *Segmenter) isCandidate(prev, next byte) bool {
	i := int(key(prev))<<8 | int(key(next))
	return s.cand[i>>6]&(1<<(i&63)) != 0
}

// compileRules builds a Segmenter from rules in priority order.
func compileRules(rules []Rule) (*Segmenter, error) {
	s := &Segmenter{cand: new([256 * 256 / 64]uint64)}
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
				for pk := 0; pk < 256; pk++ {
					if !g.prev.has(byte(pk)) {
						continue
					}
					for nk := 0; nk < 256; nk++ {
						if g.next.has(byte(nk)) {
							i := pk<<8 | nk
							s.cand[i>>6] |= 1 << (i & 63)
						}
					}
				}
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
		after *syntax.Regexp
		alts  []*syntax.Regexp // reversed before-break patterns
	}
	var order []string
	byAfter := map[string]*goGroup{}
	var r2alts []string
	var r2prev, r2next byteSet
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
			g.alts = append(g.alts, expand(reverseSyntax(b.syn), 1024)...)
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
		// Filter sets from a Go-parsable widening of the patterns.
		prev, next := allBytes(), allBytes()
		if g, ok := javaToGo(approxForSets(rl.Before)); ok {
			if re, err := syntax.Parse(g, syntax.Perl); err == nil {
				if set, nullable := firstBytes(reverseSyntax(re)); !nullable {
					prev = set
				}
			}
		}
		if g, ok := javaToGo(approxForSets(rl.After)); ok {
			if re, err := syntax.Parse(g, syntax.Perl); err == nil {
				if set, nullable := firstBytes(re); !nullable {
					next = set
				}
			}
		}
		r2prev.union(prev)
		r2next.union(next)
	}
	for _, k := range order {
		gg := byAfter[k]
		g, err := compileGroup(gg.after, gg.alts)
		if err != nil {
			return r, err
		}
		r.groups = append(r.groups, g)
	}
	if len(r2alts) > 0 {
		re, err := regexp2.Compile(`\G(?:`+strings.Join(r2alts, "|")+`)`, regexp2.RE2)
		if err != nil {
			return r, err
		}
		re.MatchTimeout = r2Timeout
		r.groups = append(r.groups, group{r2: re, prev: r2prev, next: r2next})
	}
	return r, nil
}

// compileGroup compiles the Go-regexp rules of a run that share the
// after-break pattern after; alts are their reversed before-break patterns.
func compileGroup(after *syntax.Regexp, alts []*syntax.Regexp) (group, error) {
	var g group
	var err error
	if g.afterCtx, err = regexp.Compile(`^(?s:.)(?:` + after.String() + `)`); err != nil {
		return g, err
	}
	g.aWin = span(maxBytes(after))
	next, nullable := firstBytes(after)
	if nullable {
		next = allBytes()
	}
	g.next = next
	type alt struct {
		src  string
		max  int // -1: unbounded
		size int
		sig  []byteSet
	}
	var rest []alt
	for _, re := range alts {
		set, nullable := firstBytes(re)
		if nullable {
			set = allBytes()
		}
		g.prev.union(set)
		a := alt{src: re.String(), max: maxBytes(re)}
		if p, _ := lits(re); hasPrefix(p) {
			if g.trie == nil {
				g.trie = newTrie()
			}
			bp, err := compileBefore(a.src, a.max)
			if err != nil {
				return g, err
			}
			bp.sig = signature(re)
			id := int32(len(g.pats))
			g.pats = append(g.pats, bp)
			for _, s := range p {
				g.trie.add(s, id)
			}
			continue
		}
		a.size = progSize(re)
		a.sig = signature(re)
		rest = append(rest, a)
	}
	// Pack the patterns without a literal prefix into programs small
	// enough for Go's backtracker, bounded ones apart from unbounded ones
	// so that they get a short window. Branch order does not matter;
	// sorted branches share prefixes.
	slices.SortFunc(rest, func(x, y alt) int {
		if (x.max < 0) != (y.max < 0) {
			if x.max < 0 {
				return 1
			}
			return -1
		}
		return strings.Compare(x.src, y.src)
	})
	for i := 0; i < len(rest); {
		j, size, m := i, 0, 0
		var srcs []string
		var sig []byteSet // the position-wise union of the members' signatures
		for j < len(rest) && (j == i || size+rest[j].size <= maxChunkProg && (rest[j].max < 0) == (rest[i].max < 0)) {
			srcs = append(srcs, rest[j].src)
			if j == i {
				sig = slices.Clone(rest[j].sig)
			} else {
				sig = sig[:min(len(sig), len(rest[j].sig))]
				for k := range sig {
					sig[k].union(rest[j].sig[k])
				}
			}
			size += rest[j].size
			if rest[j].max < 0 || m < 0 {
				m = -1
			} else {
				m = max(m, rest[j].max)
			}
			j++
		}
		bp, err := compileBefore(strings.Join(srcs, "|"), m)
		if err != nil {
			return g, err
		}
		bp.sig = sig
		g.always = append(g.always, bp)
		i = j
	}
	return g, nil
}

func compileBefore(src string, maxLen int) (beforePat, error) {
	re, err := regexp.Compile(`^(?s:.)(?:` + src + `)`)
	// One rune of context, then the pattern.
	return beforePat{re: re, win: span(maxLen)}, err
}

// text is the input as the matcher sees it: the text, its rune-wise
// reversal, and (only for regexp2 rules) its runes with a cursor mapping
// byte offsets to rune indexes.
type input struct {
	text, rev string
	runes     []rune
	curByte   int
	curRune   int
	timeouts  map[*regexp2.Regexp]int // regexp2 matches that timed out, per group
}

func newInput(s *Segmenter, text string) *input {
	in := &input{text: text, rev: reverseRunes(text)}
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
		// Eight ASCII bytes at a time.
		if i+8 <= len(s) && j >= 8 {
			w := binary.LittleEndian.Uint64([]byte(s[i : i+8]))
			if w&0x8080808080808080 == 0 {
				j -= 8
				binary.BigEndian.PutUint64(b[j:], w)
				i += 8
				continue
			}
		}
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
	var lastA *regexp.Regexp // consecutive groups often share an after-break pattern
	lastOK := false
	var buf [16]int32
	for ri := range s.runs {
		r := &s.runs[ri]
		for gi := range r.groups {
			g := &r.groups[gi]
			if !g.prev.has(pk) || !g.next.has(nk) {
				continue
			}
			if g.r2 != nil {
				if g.matchR2(in, p) {
					return r.brk
				}
				continue
			}
			// Literal prefixes first: the cheapest test.
			cands := buf[:0]
			overflow := false
			if g.trie != nil {
				g.trie.walk(in.rev[len(text)-p:], func(id int32) bool {
					if len(cands) == cap(cands) {
						overflow = true
						return true
					}
					cands = append(cands, id)
					return false
				})
			}
			// Then the before-break patterns the trie found (short
			// programs), then the after-break pattern, then the rest.
			bOK := false
			if overflow {
				cands = cands[:0]
				for i := range g.pats {
					if g.pats[i].match(in, p) {
						bOK = true
						break
					}
				}
			}
			for _, id := range cands {
				if g.pats[id].match(in, p) {
					bOK = true
					break
				}
			}
			if !bOK && len(g.always) == 0 {
				continue
			}
			if g.afterCtx != lastA {
				lastA, lastOK = g.afterCtx, g.matchAfter(in, p)
			}
			if !lastOK {
				continue
			}
			if bOK {
				return r.brk
			}
			for i := range g.always {
				if g.always[i].match(in, p) {
					return r.brk
				}
			}
		}
	}
	return false
}

func (g *group) matchR2(in *input, p int) bool {
	if in.timeouts[g.r2] >= maxTimeouts {
		return false
	}
	ri := in.runeIndex(p)
	lo, hi := max(0, ri-window), min(len(in.runes), ri+window)
	m, err := g.r2.FindRunesMatchStartingAt(in.runes[lo:hi], ri-lo)
	if err != nil {
		if in.timeouts == nil {
			in.timeouts = map[*regexp2.Regexp]int{}
		}
		in.timeouts[g.r2]++
	}
	return err == nil && m != nil
}

// matchAfter reports whether the after-break pattern matches at p (p > 0),
// with the rune before p as context for \b and anchors.
func (g *group) matchAfter(in *input, p int) bool {
	text := in.text
	_, k := utf8.DecodeLastRuneInString(text[:p])
	return g.afterCtx.MatchString(text[p-k : min(len(text), p+g.aWin)])
}

// scan calls emit for every break position p in [from, to), in order.
func (s *Segmenter) scan(in *input, from, to int, emit func(p int)) {
	text := in.text
	from = max(from, 1)
	to = min(to, len(text))
	for p := from; p < to; p++ {
		c := text[p]
		if !s.isCandidate(text[p-1], c) || !utf8.RuneStart(c) {
			continue
		}
		if s.isBreak(in, p) || s.punkt != nil && c <= ' ' && s.punkt.breakAfterPeriod(text, p) {
			emit(p)
		}
	}
}

// Split splits text into segments. The segments, with the whitespace
// between them, reproduce text exactly; segments hold no leading or
// trailing whitespace and are never empty.
func (s *Segmenter) Split(text string) []Segment {
	in := newInput(s, text)
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
	start, end = trim(text, start, end)
	if start == end {
		return out
	}
	return append(out, Segment{Start: base + start, End: base + end, Text: text[start:end]})
}

// trim returns the bounds of text[start:end] without leading and trailing
// white space and byte order marks (U+FEFF, which a file saved by Windows
// tools starts with).
func trim(text string, start, end int) (int, int) {
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
		if !unicode.IsSpace(r) && r != byteOrderMark {
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
		if !unicode.IsSpace(r) && r != byteOrderMark {
			break
		}
		end -= n
	}
	return start, end
}

const byteOrderMark = '\uFEFF'

var asciiSpace = [256]uint8{'\t': 1, '\n': 1, '\v': 1, '\f': 1, '\r': 1, ' ': 1}
