package memory

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/tolkdev/tolk/segment"
	"golang.org/x/text/unicode/norm"
)

// ScoreVersion names the published score computed here; SCORING.md
// documents it. Change it whenever a weight or rule below changes.
const ScoreVersion = "tolk-2"

// Token weights: what inserting or deleting a token costs.
const (
	weightWord   = 10 // words, numbers and Dutch month names
	weightPunct  = 3
	weightCode   = 2
	costCase     = 2 // same word in another case or typography
	costTypo     = 1 // same punctuation in another typography ("„" for '"')
	costNumber   = 2 // a placeable (number, month name) replaced by another
	costPunctSub = 3 // a punctuation mark replaced by another
	costCodeSub  = 2 // an inline code replaced by another
	costSpace    = 1 // whitespace on one side only between two matched tokens
)

type tkind uint8

const (
	kWord tkind = iota + 1
	kNumber
	kMonth // a Dutch month name: a placeable, like a number
	kPunct
	kCode
)

func (k tkind) weight() int {
	switch k {
	case kPunct:
		return weightPunct
	case kCode:
		return weightCode
	}
	return weightWord
}

func (k tkind) placeable() bool { return k == kNumber || k == kMonth }

// stok is a token of a segment prepared for scoring.
type stok struct {
	text  string // the token's text in the NFC segment
	fold  uint64 // hash of the folded text (segment.FoldRune on each rune)
	kind  tkind
	space bool // whitespace precedes the token
}

// prepared is a segment tokenized for scoring and indexing.
type prepared struct {
	text  string // NFC
	toks  []stok
	L     int      // weighted length: the sum of the token weights
	nW    int      // number of kWord tokens
	terms []uint32 // index terms of the kWord tokens: folded word and occurrence number
	key   uint64   // hash of the folded token sequence: equal for sources that differ only in case, typography or spacing
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// foldHash hashes s after segment.FoldRune on every rune.
func foldHash(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			h = (h ^ uint64(c)) * fnvPrime
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		r = segment.FoldRune(r)
		if segment.IsCodeRune(r) && r < segment.CodeBase+segment.MaxCodes {
			// Hashed as the code rune U+E000+n that version 1 of the
			// unit codec stored, so that the index records and keys
			// written then stay valid.
			r = '\uE000' + (r - segment.CodeBase)
		}
		var buf [4]byte
		m := utf8.EncodeRune(buf[:], r)
		for _, b := range buf[:m] {
			h = (h ^ uint64(b)) * fnvPrime
		}
	}
	return h
}

func mix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// term returns the index term of the occ-th (1-based) occurrence of a word
// with fold hash f. Collisions only add candidates, never lose one.
func term(f uint64, occ int) uint32 {
	return uint32(mix64(f + uint64(occ)*0x9E3779B97F4A7C15))
}

// dutchMonth returns the month (1..12) a Dutch month name stands for, or 0.
func dutchMonth(s string) int {
	if len(s) < 3 || len(s) > 9 {
		return 0
	}
	var buf [9]byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return 0
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	switch string(buf[:len(s)]) {
	case "januari":
		return 1
	case "februari":
		return 2
	case "maart":
		return 3
	case "april":
		return 4
	case "mei":
		return 5
	case "juni":
		return 6
	case "juli":
		return 7
	case "augustus":
		return 8
	case "september":
		return 9
	case "oktober":
		return 10
	case "november":
		return 11
	case "december":
		return 12
	}
	return 0
}

var tokenPool = sync.Pool{New: func() any { s := make([]segment.Token, 0, 64); return &s }}

// prepare tokenizes s for scoring. With terms it also computes the index
// terms of its words.
func prepare(s string, terms bool) *prepared {
	p := &prepared{}
	prepareInto(p, s, terms)
	return p
}

func prepareInto(p *prepared, s string, terms bool) {
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	p.text = s
	tp := tokenPool.Get().(*[]segment.Token)
	toks := segment.Tokens((*tp)[:0], s)
	p.toks = p.toks[:0]
	p.terms = p.terms[:0]
	p.L, p.nW = 0, 0
	key := uint64(fnvOffset)
	prevEnd := 0
	for _, t := range toks {
		txt := s[t.Start:t.End]
		st := stok{text: txt, fold: foldHash(txt), space: t.Start > prevEnd}
		prevEnd = t.End
		switch t.Kind {
		case segment.Word:
			st.kind = kWord
			if dutchMonth(txt) != 0 {
				st.kind = kMonth
			}
		case segment.Number:
			st.kind = kNumber
		case segment.Code:
			st.kind = kCode
		default:
			st.kind = kPunct
		}
		p.L += st.kind.weight()
		if st.kind == kWord {
			p.nW++
		}
		key = mix64(key ^ st.fold ^ uint64(st.kind)<<56)
		p.toks = append(p.toks, st)
	}
	*tp = toks
	tokenPool.Put(tp)
	p.key = key
	if terms {
		p.terms = wordTerms(p.terms, p.toks)
	}
}

// wordTerms appends the index terms of the kWord tokens: a word's k-th
// occurrence in the segment gives term(fold, k), so that the number of
// terms two segments share is their multiset word overlap.
func wordTerms(dst []uint32, toks []stok) []uint32 {
	for i, t := range toks {
		if t.kind != kWord {
			continue
		}
		occ := 1
		for j := 0; j < i; j++ {
			if toks[j].kind == kWord && toks[j].fold == t.fold {
				occ++
			}
		}
		dst = append(dst, term(t.fold, occ))
	}
	return dst
}

// distinctTerms appends term(fold, 1) of every distinct kWord token.
func distinctTerms(dst []uint32, toks []stok) []uint32 {
	for i, t := range toks {
		if t.kind != kWord {
			continue
		}
		seen := false
		for j := 0; j < i; j++ {
			if toks[j].kind == kWord && toks[j].fold == t.fold {
				seen = true
				break
			}
		}
		if !seen {
			dst = append(dst, term(t.fold, 1))
		}
	}
	return dst
}

type editKind uint8

const (
	editNone editKind = iota
	editWord
	editCase
	editPunct
	editNumber
	editCode
)

// subCost is the cost of replacing token a by token b.
func subCost(a, b *stok) (int, editKind) {
	if a.kind == b.kind {
		if a.text == b.text {
			return 0, editNone
		}
		if a.fold == b.fold {
			if a.kind == kPunct {
				return costTypo, editPunct
			}
			return costCase, editCase
		}
		switch a.kind {
		case kPunct:
			return costPunctSub, editPunct
		case kCode:
			return costCodeSub, editCode
		}
	}
	if a.kind.placeable() && b.kind.placeable() {
		return costNumber, editNumber
	}
	wa, wb := a.kind.weight(), b.kind.weight()
	if wa < wb {
		wa = wb
	}
	if a.kind == kWord || b.kind == kWord || a.kind.placeable() || b.kind.placeable() {
		return wa, editWord
	}
	if a.kind == kCode && b.kind == kCode {
		return wa, editCode
	}
	return wa, editPunct
}

func indelKind(k tkind) editKind {
	switch k {
	case kPunct:
		return editPunct
	case kCode:
		return editCode
	}
	return editWord
}

type dpBuf struct{ a, b []int32 }

var dpPool = sync.Pool{New: func() any { return &dpBuf{} }}

// distance returns the weighted token edit distance between q and u, not
// counting whitespace, or ok=false as soon as it must exceed limit.
func distance(q, u *prepared, limit int) (int, bool) {
	n, m := len(q.toks), len(u.toks)
	buf := dpPool.Get().(*dpBuf)
	defer dpPool.Put(buf)
	if cap(buf.a) < m+1 {
		buf.a = make([]int32, m+1)
		buf.b = make([]int32, m+1)
	}
	prev, cur := buf.a[:m+1], buf.b[:m+1]
	prev[0] = 0
	for j := 1; j <= m; j++ {
		prev[j] = prev[j-1] + int32(u.toks[j-1].kind.weight())
	}
	for i := 1; i <= n; i++ {
		qt := &q.toks[i-1]
		wq := int32(qt.kind.weight())
		cur[0] = prev[0] + wq
		rowMin := cur[0]
		for j := 1; j <= m; j++ {
			ut := &u.toks[j-1]
			c, _ := subCost(qt, ut)
			best := prev[j-1] + int32(c)
			if d := prev[j] + wq; d < best {
				best = d
			}
			if d := cur[j-1] + int32(ut.kind.weight()); d < best {
				best = d
			}
			cur[j] = best
			if best < rowMin {
				rowMin = best
			}
		}
		if int(rowMin) > limit {
			return 0, false
		}
		prev, cur = cur, prev
	}
	d := int(prev[m])
	return d, d <= limit
}

// pair is an aligned pair of query and unit token indexes (-1 when a token
// is inserted or deleted).
type pair struct{ q, u int }

// align computes the full edit cost between q and u, whitespace included,
// with the breakdown of edits and the alignment. The cost is the least over
// every alignment of its token operations and whitespace edits together
// (SCORING.md §2), so it runs two tables: kept[i,j] is the least cost of
// aligning the first i query and j unit tokens ending with the pair
// (i-1, j-1) kept or replaced, other[i,j] the least ending otherwise. Only
// a pair that follows a kept pair pays for whitespace.
func align(q, u *prepared) (int, Breakdown, []pair) {
	n, m := len(q.toks), len(u.toks)
	w := m + 1
	const inf = 1 << 29
	tables := make([]int32, 2*(n+1)*w)
	kept, other := tables[:(n+1)*w], tables[(n+1)*w:]
	kept[0] = inf
	for j := 1; j <= m; j++ {
		kept[j], other[j] = inf, other[j-1]+int32(u.toks[j-1].kind.weight())
	}
	for i := 1; i <= n; i++ {
		qt := &q.toks[i-1]
		wq := int32(qt.kind.weight())
		r, up := i*w, (i-1)*w
		kept[r], other[r] = inf, other[up]+wq
		for j := 1; j <= m; j++ {
			ut := &u.toks[j-1]
			c, _ := subCost(qt, ut)
			kept[r+j] = int32(c) + min(kept[up+j-1]+spaceCost(qt, ut), other[up+j-1])
			other[r+j] = min(min(kept[up+j], other[up+j])+wq, min(kept[r+j-1], other[r+j-1])+int32(ut.kind.weight()))
		}
	}
	bd := Breakdown{Version: ScoreVersion}
	cost := int(min(kept[n*w+m], other[n*w+m]))
	var pairs []pair
	i, j := n, m
	inKept := kept[n*w+m] <= other[n*w+m]
	for i > 0 || j > 0 {
		at := i*w + j
		if inKept {
			qt, ut := &q.toks[i-1], &u.toks[j-1]
			c, k := subCost(qt, ut)
			count(&bd, k)
			pairs = append(pairs, pair{i - 1, j - 1})
			prev := (i-1)*w + j - 1
			inKept = kept[at] == int32(c)+kept[prev]+spaceCost(qt, ut)
			if inKept && spaceCost(qt, ut) > 0 {
				bd.SpaceEdits++
			}
			i, j = i-1, j-1
			continue
		}
		if i > 0 {
			wq := int32(q.toks[i-1].kind.weight())
			if up := (i-1)*w + j; other[at] == min(kept[up], other[up])+wq {
				count(&bd, indelKind(q.toks[i-1].kind))
				pairs = append(pairs, pair{i - 1, -1})
				inKept = kept[up] <= other[up]
				i--
				continue
			}
		}
		count(&bd, indelKind(u.toks[j-1].kind))
		pairs = append(pairs, pair{-1, j - 1})
		left := i*w + j - 1
		inKept = kept[left] <= other[left]
		j--
	}
	for a, b := 0, len(pairs)-1; a < b; a, b = a+1, b-1 {
		pairs[a], pairs[b] = pairs[b], pairs[a]
	}
	bd.Cost = cost
	return cost, bd, pairs
}

// spaceCost is what a kept or replaced pair costs for whitespace when it
// follows another: costSpace when a space precedes one token only.
func spaceCost(qt, ut *stok) int32 {
	if qt.space != ut.space {
		return costSpace
	}
	return 0
}

func count(bd *Breakdown, k editKind) {
	switch k {
	case editWord:
		bd.WordEdits++
	case editCase:
		bd.CaseEdits++
	case editPunct:
		bd.PunctEdits++
	case editNumber:
		bd.NumberEdits++
	case editCode:
		bd.CodeEdits++
	}
}

// similarity turns a cost into the score before penalties: the share of
// the longer weighted length left after the edits, rounded down, and at
// most 99 unless the sources are identical.
func similarity(q, u *prepared, cost int) int {
	if q.text == u.text {
		return 100
	}
	m := max(q.L, u.L)
	if m == 0 {
		return 0
	}
	s := 100 * (m - cost) / m
	if s < 0 {
		s = 0
	}
	if s > 99 {
		s = 99
	}
	return s
}

// maxCost is the largest cost with which a unit of weighted length lu can
// reach min against query length lq: 100*(M-cost) >= min*M.
func maxCost(lq, lu, min int) int {
	m := max(lq, lu)
	return (100 - min) * m / 100
}

// sameContext reports whether a unit's context equals the query's: both
// sides compared after segment.Fold.
func sameContext(qPrev, qNext, uPrev, uNext string) bool {
	if qPrev == "" && qNext == "" {
		return false
	}
	return foldEq(qPrev, uPrev) && foldEq(qNext, uNext)
}

func foldEq(a, b string) bool {
	if a == b {
		return true
	}
	return segment.Fold(a) == segment.Fold(b)
}

// props helpers

func hasPropType(ps []Prop, typ string) bool {
	for _, p := range ps {
		if strings.EqualFold(p.Type, typ) {
			return true
		}
	}
	return false
}

func hasProp(ps []Prop, want Prop) bool {
	for _, p := range ps {
		if strings.EqualFold(p.Type, want.Type) && p.Value == want.Value {
			return true
		}
	}
	return false
}
