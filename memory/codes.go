package memory

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tolkdev/tolk/segment"
)

// CodePlacement reports how the inline codes of a match's target were made
// the query's (SCORING.md §7). Numbers are the query's code numbers n
// (segment.CodeRune(n) in Query.Text), except Dropped, which indexes
// Unit.TargetCodes.
type CodePlacement struct {
	// Moved are query codes whose place in the unit's source differs from
	// the query's: Target holds them where the text around them maps to,
	// an estimate the translator should check.
	Moved []int
	// Unplaced are query codes the unit's source has no counterpart for:
	// Target lacks them.
	Unplaced []int
	// Dropped are codes of the unit's target whose source code has no
	// counterpart in the query: Target leaves them out.
	Dropped []int
}

// codeTok is an inline code of a prepared segment: its code number and the
// gap it stands in, the number of non-code tokens before it.
type codeTok struct {
	n, gap int
	tok    int // index in prepared.toks
}

// codeToks lists the codes of p with their gaps, and returns the number of
// its non-code tokens.
func codeToks(p *prepared) ([]codeTok, int) {
	var cs []codeTok
	gap := 0
	for i, t := range p.toks {
		if t.kind != kCode {
			gap++
			continue
		}
		r, _ := utf8.DecodeRuneInString(t.text)
		cs = append(cs, codeTok{n: int(r - segment.CodeBase), gap: gap, tok: i})
	}
	return cs, gap
}

// placeCodes rewrites target, whose code runes index u's TargetCodes, so
// that its codes are the query's: each code of the unit's source is paired
// with a code of the query standing in the same gap of the aligned text
// (pairs, from align), the remaining ones in order; a target code takes the
// number of the query code its source code is paired with, and moves when
// that query code stands elsewhere. See SCORING.md §7.
func placeCodes(q, up *prepared, pairs []pair, unit *Unit, target string) (string, CodePlacement) {
	var pl CodePlacement
	qc, _ := codeToks(q)
	sc, nS := codeToks(up)
	tp := prepare(target, false)
	tc, nT := codeToks(tp)
	if len(qc) == 0 && len(tc) == 0 {
		return target, pl
	}
	qGap := queryGapsInSource(q, up, pairs)
	qOf := pairCodes(qc, sc, qGap) // source code index → query code index, or -1
	tgtSrc := codeCorrespondence(unit.SourceCodes, unit.TargetCodes)
	anchors := gapAnchors(up, tp, sc, tc, tgtSrc)

	placed := make([]bool, len(qc))
	var ins []insertion
	keep := make(map[int]rune) // target token index → its new rune, or -1 to drop
	for _, c := range tc {
		si := -1
		if c.n < len(tgtSrc) {
			si = tgtSrc[c.n]
		}
		j, k := -1, slices.IndexFunc(sc, func(s codeTok) bool { return s.n == si })
		if k >= 0 {
			j = qOf[k]
		}
		if j < 0 || placed[j] {
			keep[c.tok] = -1
			pl.Dropped = append(pl.Dropped, c.n)
			continue
		}
		placed[j] = true
		if qGap[qc[j].gap] == sc[k].gap {
			keep[c.tok] = segment.CodeRune(qc[j].n)
			continue
		}
		keep[c.tok] = -1
		pl.Moved = append(pl.Moved, qc[j].n)
		ins = append(ins, insertion{gap: mapGap(anchors, qGap[qc[j].gap], nS, nT), r: segment.CodeRune(qc[j].n), order: j, glueNext: gluedToNext(q, qc[j].tok)})
	}
	for j, ok := range placed {
		if !ok {
			pl.Unplaced = append(pl.Unplaced, qc[j].n)
		}
	}
	return rebuild(tp, keep, ins), pl
}

// queryGapsInSource maps each gap of the query (0..non-code tokens) to the
// gap of the unit's source it corresponds to through the alignment: after
// the source token aligned with the nearest aligned query token to its
// left, or at the start.
func queryGapsInSource(q, up *prepared, pairs []pair) []int {
	qIdx := make([]int, len(q.toks)) // query token → non-code index, or -1
	uIdx := make([]int, len(up.toks))
	nonCode := func(p *prepared, idx []int) int {
		k := 0
		for i, t := range p.toks {
			idx[i] = -1
			if t.kind != kCode {
				idx[i] = k
				k++
			}
		}
		return k
	}
	nq := nonCode(q, qIdx)
	nonCode(up, uIdx)
	toSrc := make([]int, nq) // query non-code token → source non-code token, or -1
	for i := range toSrc {
		toSrc[i] = -1
	}
	for _, p := range pairs {
		if p.q >= 0 && p.u >= 0 && qIdx[p.q] >= 0 && uIdx[p.u] >= 0 {
			toSrc[qIdx[p.q]] = uIdx[p.u]
		}
	}
	gaps := make([]int, nq+1)
	for g := 1; g <= nq; g++ {
		gaps[g] = gaps[g-1]
		for k := g - 1; k >= 0; k-- {
			if toSrc[k] >= 0 {
				gaps[g] = toSrc[k] + 1
				break
			}
		}
	}
	return gaps
}

// pairCodes pairs source codes with query codes: first those in the same
// gap (query gaps mapped by qGap), in order, then the rest in order. It
// returns for each source code the index of its query code, or -1.
func pairCodes(qc, sc []codeTok, qGap []int) []int {
	qOf := make([]int, len(sc))
	taken := make([]bool, len(qc))
	for i := range qOf {
		qOf[i] = -1
		for j, c := range qc {
			if !taken[j] && qGap[c.gap] == sc[i].gap {
				qOf[i], taken[j] = j, true
				break
			}
		}
	}
	j := 0
	for i := range qOf {
		if qOf[i] >= 0 {
			continue
		}
		for j < len(qc) && taken[j] {
			j++
		}
		if j == len(qc) {
			break
		}
		qOf[i], taken[j] = j, true
	}
	return qOf
}

// codeCorrespondence returns, for each target code, the index of the
// source code it is the translation of, or -1: the same list is the same
// code; otherwise the same kind with the same x, else i, else content,
// else the next unpaired code of that kind.
func codeCorrespondence(src, tgt []Code) []int {
	out := make([]int, len(tgt))
	if slices.Equal(src, tgt) {
		for i := range out {
			out[i] = i
		}
		return out
	}
	used := make([]bool, len(src))
	for i := range out {
		out[i] = -1
	}
	keys := []func(Code) string{
		func(c Code) string { return c.X },
		func(c Code) string { return c.I },
		func(c Code) string { return c.Content },
		func(Code) string { return "" },
	}
	for pass, key := range keys {
		for i, t := range tgt {
			if out[i] >= 0 || (pass < 3 && key(t) == "") {
				continue
			}
			for k, s := range src {
				if !used[k] && s.Kind == t.Kind && key(s) == key(t) {
					out[i], used[k] = k, true
					break
				}
			}
		}
	}
	return out
}

// anchor says that gap s of the unit's source corresponds to gap t of its
// target.
type anchor struct{ s, t int }

// gapAnchors returns the gaps known to correspond between the unit's source
// and target, ascending in both: the ends, the places of corresponding
// codes, and the sides of tokens that occur once in each with the same
// folded text (names, numbers, punctuation).
func gapAnchors(up, tp *prepared, sc, tc []codeTok, tgtSrc []int) []anchor {
	_, nS := codeToks(up)
	_, nT := codeToks(tp)
	as := []anchor{{0, 0}, {nS, nT}}
	for _, c := range tc {
		if c.n < len(tgtSrc) {
			if k := slices.IndexFunc(sc, func(s codeTok) bool { return s.n == tgtSrc[c.n] }); k >= 0 {
				as = append(as, anchor{sc[k].gap, c.gap})
			}
		}
	}
	sOnce, tOnce := onceTokens(up), onceTokens(tp)
	for f, s := range sOnce {
		if t, ok := tOnce[f]; ok {
			as = append(as, anchor{s, t}, anchor{s + 1, t + 1})
		}
	}
	slices.SortFunc(as, func(a, b anchor) int {
		if a.s != b.s {
			return a.s - b.s
		}
		return a.t - b.t
	})
	chain := as[:1] // keep the anchors that rise in both
	for _, a := range as[1:] {
		if last := chain[len(chain)-1]; a.s >= last.s && a.t >= last.t && a != last {
			chain = append(chain, a)
		}
	}
	return chain
}

// onceTokens maps the folded text of each non-code token that occurs once
// in p to its non-code index.
func onceTokens(p *prepared) map[uint64]int {
	seen := map[uint64]int{}
	k := 0
	for _, t := range p.toks {
		if t.kind == kCode {
			continue
		}
		if _, dup := seen[t.fold]; dup {
			seen[t.fold] = -1
		} else {
			seen[t.fold] = k
		}
		k++
	}
	maps := map[uint64]int{}
	for f, i := range seen {
		if i >= 0 {
			maps[f] = i
		}
	}
	return maps
}

// mapGap maps gap s of the unit's source to a gap of its target through
// the anchors, interpolating between the nearest ones.
func mapGap(as []anchor, s, nS, nT int) int {
	lo, hi := anchor{0, 0}, anchor{nS, nT}
	for _, a := range as {
		if a.s == s {
			return a.t
		}
		if a.s < s {
			lo = a
		} else if a.s > s {
			hi = a
			break
		}
	}
	if hi.s == lo.s {
		return lo.t
	}
	return lo.t + ((s-lo.s)*(hi.t-lo.t)+(hi.s-lo.s)/2)/(hi.s-lo.s)
}

// gluedToNext reports whether the query's code token i is written against
// the token after it (an opening tag: "<b>word") rather than the one before.
func gluedToNext(q *prepared, i int) bool {
	if i+1 < len(q.toks) && !q.toks[i+1].space {
		return true
	}
	return i == 0
}

// insertion is a code rune to insert in gap gap of the target.
type insertion struct {
	gap, order int
	r          rune
	glueNext   bool
}

// rebuild writes the target text tp with each code token's rune replaced
// as keep says (-1 drops it, with a space it leaves doubled) and the
// insertions made, each in its gap: against the next token when glued to
// it, else after the previous one.
func rebuild(tp *prepared, keep map[int]rune, ins []insertion) string {
	slices.SortStableFunc(ins, func(a, b insertion) int { return a.order - b.order })
	var b strings.Builder
	text := tp.text
	pos, gap := 0, 0
	put := func(glued bool) {
		for _, x := range ins {
			if x.gap == gap && x.glueNext == glued {
				b.WriteRune(x.r)
			}
		}
	}
	put(false) // glued to a previous token that gap 0 lacks
	for i, t := range tp.toks {
		start := pos + strings.Index(text[pos:], t.text)
		b.WriteString(text[pos:start])
		pos = start + len(t.text)
		if t.kind == kCode {
			if r := keep[i]; r >= 0 {
				b.WriteRune(r)
			} else if strings.HasSuffix(b.String(), " ") && strings.HasPrefix(text[pos:], " ") {
				pos++
			}
			continue
		}
		put(true)
		b.WriteString(t.text)
		gap++
		put(false)
	}
	put(true) // glued to a next token that the last gap lacks
	b.WriteString(text[pos:])
	return b.String()
}
