// Package diff computes word-level differences between a segment and the
// source of a translation-memory match, so that a translator sees what to
// change in the match's translation.
package diff

import (
	"github.com/tolkdev/tolk/segment"
)

// Kind says how a piece of text differs.
type Kind int

// The kinds of Op.
const (
	Equal  Kind = iota // in both a and b
	Insert             // in a (the segment), not in b (the matched source)
	Delete             // in b (the matched source), not in a (the segment)
)

// String returns the kind's name.
func (k Kind) String() string {
	switch k {
	case Equal:
		return "equal"
	case Insert:
		return "insert"
	case Delete:
		return "delete"
	}
	return "unknown"
}

// Op is one run of text of one Kind.
type Op struct {
	Kind Kind
	Text string
}

// MaxEdits bounds the work of Words: when a and b differ by more than
// MaxEdits token insertions and deletions (after their common prefix and
// suffix), Words stops searching for the shortest edit script and reports
// the differing middle as one deletion and one insertion. It bounds the
// cost of two unrelated 1,000-token inputs to about 4.6 MB and a few
// milliseconds (BenchmarkWords).
const MaxEdits = 1000

// MaxTokens bounds the input of the search for the shortest edit script:
// when a and b together have more tokens than this outside their common
// prefix and suffix, Words reports that middle as one deletion and one
// insertion without searching (segments are sentences; this guards
// against whole documents).
const MaxTokens = 20000

// piece is a token with the whitespace that follows it.
type piece struct {
	tok, ws string
}

// pieces cuts s into tokens (segment.Tokens) each carrying the whitespace
// after it. Whitespace before the first token is a piece with an empty
// token.
func pieces(s string) []piece {
	toks := segment.Tokens(make([]segment.Token, 0, len(s)/4+1), s)
	ps := make([]piece, 0, len(toks)+1)
	if len(toks) == 0 {
		if s != "" {
			ps = append(ps, piece{"", s})
		}
		return ps
	}
	if toks[0].Start > 0 {
		ps = append(ps, piece{"", s[:toks[0].Start]})
	}
	for i, t := range toks {
		end := len(s)
		if i+1 < len(toks) {
			end = toks[i+1].Start
		}
		ps = append(ps, piece{s[t.Start:t.End], s[t.End:end]})
	}
	return ps
}

// Words returns the word-level difference from a (the segment) to b (the
// matched source), on the tokens of segment.Tokens compared exactly (case
// and accents count). Whitespace goes with the token before it, so the
// texts of the Equal and Insert ops concatenate to a, and those of the
// Equal and Delete ops to b; a token whose following whitespace differs is
// Equal, followed by the whitespace as Insert and Delete. Between two Equal
// runs, Delete comes before Insert. Adjacent ops of one kind are merged.
//
// It is Myers' O(ND) algorithm: time proportional to the number of tokens
// times the number of differing tokens, bounded by MaxEdits.
func Words(a, b string) []Op {
	pa, pb := pieces(a), pieces(b)
	n, m := len(pa), len(pb)
	pre := 0
	for pre < n && pre < m && pa[pre].tok == pb[pre].tok {
		pre++
	}
	suf := 0
	for suf < n-pre && suf < m-pre && pa[n-1-suf].tok == pb[m-1-suf].tok {
		suf++
	}
	var o ops
	for i := range pre {
		o.equal(pa[i], pb[i])
	}
	ma, mb := pa[pre:n-suf], pb[pre:m-suf]
	var script []Kind
	ok := false
	if len(ma)+len(mb) <= MaxTokens {
		script, ok = myers(ma, mb, MaxEdits)
	}
	if !ok {
		for _, p := range mb {
			o.add(Delete, p.tok+p.ws)
		}
		for _, p := range ma {
			o.add(Insert, p.tok+p.ws)
		}
	} else {
		i, j := 0, 0
		for _, e := range script {
			switch e {
			case Equal:
				o.equal(ma[i], mb[j])
				i++
				j++
			case Insert:
				o.add(Insert, ma[i].tok+ma[i].ws)
				i++
			case Delete:
				o.add(Delete, mb[j].tok+mb[j].ws)
				j++
			}
		}
	}
	for i := range suf {
		o.equal(pa[n-suf+i], pb[m-suf+i])
	}
	return o.done()
}

// ops builds the result: merging runs, and putting the deletions of a
// change run before its insertions.
type ops struct {
	out          []Op
	eq, ins, del []byte
}

func (o *ops) add(k Kind, s string) {
	if s == "" {
		return
	}
	switch k {
	case Insert:
		o.flushEqual()
		o.ins = append(o.ins, s...)
	case Delete:
		o.flushEqual()
		o.del = append(o.del, s...)
	default:
		o.flushChange()
		o.eq = append(o.eq, s...)
	}
}

func (o *ops) flushEqual() {
	if len(o.eq) > 0 {
		o.out = append(o.out, Op{Equal, string(o.eq)})
		o.eq = o.eq[:0]
	}
}

func (o *ops) flushChange() {
	if len(o.del) > 0 {
		o.out = append(o.out, Op{Delete, string(o.del)})
		o.del = o.del[:0]
	}
	if len(o.ins) > 0 {
		o.out = append(o.out, Op{Insert, string(o.ins)})
		o.ins = o.ins[:0]
	}
}

// equal adds an equal token; differing whitespace after it is a change.
func (o *ops) equal(pa, pb piece) {
	if pa.ws == pb.ws {
		o.add(Equal, pa.tok+pa.ws)
		return
	}
	o.add(Equal, pa.tok)
	o.add(Insert, pa.ws)
	o.add(Delete, pb.ws)
}

func (o *ops) done() []Op {
	o.flushEqual()
	o.flushChange()
	return o.out
}

// myers returns the shortest edit script from b to a as a sequence of
// Equal (a and b advance), Insert (a advances) and Delete (b advances), or
// false when it needs more than maxD edits.
func myers(a, b []piece, maxD int) ([]Kind, bool) {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		s := make([]Kind, 0, n+m)
		for range n {
			s = append(s, Insert)
		}
		for range m {
			s = append(s, Delete)
		}
		return s, true
	}
	total := n + m
	off := total + 1
	v := make([]int32, 2*total+3)
	// trace[d] holds v[-d..d] as it was before step d; the snapshots are
	// cut from chunks so that a long search allocates little and copies
	// nothing twice.
	trace := make([][]int32, 0, 64)
	var chunk []int32
	for d := 0; d <= total && d <= maxD; d++ {
		size := 2*d + 1
		if cap(chunk)-len(chunk) < size {
			chunk = make([]int32, 0, max(size, min(2*cap(chunk), 1<<16), 64))
		}
		chunk = chunk[:len(chunk)+size]
		snap := chunk[len(chunk)-size:]
		copy(snap, v[off-d:off+d+1])
		trace = append(trace, snap)
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = int(v[off+k+1]) // down: b advances
			} else {
				x = int(v[off+k-1]) + 1 // right: a advances
			}
			y := x - k
			for x < n && y < m && a[x].tok == b[y].tok {
				x++
				y++
			}
			v[off+k] = int32(x)
			if x >= n && y >= m {
				return backtrack(trace, d, n, m), true
			}
		}
	}
	return nil, false
}

// backtrack follows the trace of a search that ended at step last in
// (x, y) back to (0, 0) and returns the edit script.
func backtrack(trace [][]int32, last, x, y int) []Kind {
	s := make([]Kind, 0, x+y)
	for d := last; d >= 0; d-- {
		if d == 0 {
			for x > 0 && y > 0 {
				s = append(s, Equal)
				x--
				y--
			}
			break
		}
		vp := trace[d]
		k := x - y
		var pk int
		if k == -d || k != d && vp[k-1+d] < vp[k+1+d] {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := int(vp[pk+d])
		py := px - pk
		for x > px && y > py {
			s = append(s, Equal)
			x--
			y--
		}
		if x == px {
			s = append(s, Delete)
		} else {
			s = append(s, Insert)
		}
		x, y = px, py
	}
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	return s
}
