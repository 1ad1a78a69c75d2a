package memory

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// minCost is the cost of SCORING.md §2 by exhaustive search: the least
// cost over every alignment of q's tokens with u's, token operations and
// whitespace together. diag says the previous step kept or replaced a
// pair. Only for short segments.
func minCost(q, u *prepared, i, j int, diag bool) int {
	if i == len(q.toks) && j == len(u.toks) {
		return 0
	}
	best := 1 << 30
	if i < len(q.toks) && j < len(u.toks) {
		c, _ := subCost(&q.toks[i], &u.toks[j])
		if diag && q.toks[i].space != u.toks[j].space {
			c += costSpace
		}
		best = min(best, c+minCost(q, u, i+1, j+1, true))
	}
	if i < len(q.toks) {
		best = min(best, q.toks[i].kind.weight()+minCost(q, u, i+1, j, false))
	}
	if j < len(u.toks) {
		best = min(best, u.toks[j].kind.weight()+minCost(q, u, i, j+1, false))
	}
	return best
}

// TestAlignCostIsMinimal checks align's cost against the exhaustive
// search on short segments built to have several alignments of equal
// token cost whose whitespace differs: the cost, and so the score, is the
// least over all alignments (SCORING.md §2), not that of whichever
// alignment the traceback happens to pick.
func TestAlignCostIsMinimal(t *testing.T) {
	fixed := [][2]string{
		{",de", "kat kat de kat"}, // tolk-1 traced an alignment costing 31; the least is 30
	}
	parts := []string{"de", "kat", ",", ".", "12", "De"}
	r := rand.New(rand.NewPCG(7, 8))
	gen := func() string {
		var b strings.Builder
		for range 1 + r.IntN(5) {
			if b.Len() > 0 && r.IntN(2) == 0 {
				b.WriteByte(' ')
			}
			b.WriteString(parts[r.IntN(len(parts))])
		}
		return b.String()
	}
	cases := fixed
	for range 3000 {
		cases = append(cases, [2]string{gen(), gen()})
	}
	bad := 0
	for _, c := range cases {
		q, u := prepare(c[0], true), prepare(c[1], false)
		got, bd, _ := align(q, u)
		want := minCost(q, u, 0, 0, false)
		if got != want || bd.Cost != got {
			if bad++; bad <= 5 {
				t.Errorf("align(%q, %q) costs %d (breakdown %d), want the least, %d", c[0], c[1], got, bd.Cost, want)
			}
		}
	}
	if bad > 5 {
		t.Errorf("... %d pairs in all", bad)
	}
}
