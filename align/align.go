// Package align aligns the sentences of a Dutch document with those of its
// English version, producing the beads (1–1, 1–2, 2–1, 1–0, 0–1) that become
// translation-memory units.
//
// Segmentation is the caller's job: Align takes two lists of sentences.
// AlignTexts is the convenience that splits two texts with the caller's
// split functions first and returns the pairs as text.
//
// # Model
//
// Each bead has a cost in nats, the negative log of an (unnormalised)
// probability:
//
//	cost = -log P(type) + lengthCost - lexical + wrongLanguage
//
// P(type) is the Gale–Church prior (1–1 0.89; 2–1 and 1–2 0.045 each; 1–0
// and 0–1 0.01 each). lengthCost is Gale–Church on characters:
// -log 2(1-Φ(|δ|)) with δ = (len_en - c·len_nl)/√(s²·mean), c = 0.895 and
// s² = 3 (measured on FLORES-200 devtest, widened). Beads with an empty side
// cost only their prior.
//
// lexical is a naive-Bayes log-likelihood ratio over anchors: an anchor found
// on both sides adds its kind's match weight, one found on one side only
// subtracts its kind's miss weight. The kinds, with (match, miss) in nats:
// numbers, dates and times (4, 3), read in each language's convention
// ("1.250.000,50" = "1,250,000.50", "26 september" = "September 26",
// "14.30 uur" = "2.30 p.m." = "14:30", months, weekdays, number words);
// capitalised words (2.5, 1); four-letter prefixes of longer words, i.e.
// cognates (2, 0.2); a built-in list of about 690 frequent Dutch words and
// their English (3, 0); Lexicon hits, a Dutch term's English found on the
// English side (3, 0.5); and ?, !, quotation marks and parentheses (2, 2).
// The weights started as log ratios of match rates in FLORES translations
// versus unrelated pairs, then were adjusted on ParaCrawl v3 labels (see
// QUALITY.md). wrongLanguage is 4 per function word of the other language
// in excess of the sentence's own ones. Tokens come from segment.Tokens;
// words are folded with segment.Fold and segment.StripDiacritics.
//
// The search is dynamic programming over prefix pairs (i, j) restricted to a
// band of Options.Band sentences around the diagonal j = i·m/n. When the best
// path touches the band's edge, the band is doubled and the search repeated,
// so a band that is too narrow costs time, not quality.
//
// # Confidence
//
// A bead's confidence is its posterior probability under the model: the sum
// of exp(-cost) over all alignments (within the band) that contain the bead,
// divided by the sum over all alignments, computed with the forward–backward
// algorithm. A bead that every plausible alignment agrees on gets a
// confidence near 1; one where a different split or a deletion costs almost
// the same gets about 1/2 or less. On NTREX, beads at 0.8–0.95 are right
// 81–93% of the time and beads at ≥ 0.99 99.8–100% (QUALITY.md).
//
// PairConfidence judges one sentence pair on its own, as an import filter:
// it is the logistic function of the pair's log-odds of being a translation
// rather than two unrelated sentences, at even prior odds — the lexical and
// wrong-language terms above plus a length term (log density ratio of δ
// under translations versus unrelated pairs, whose δ spreads 10 times
// wider) — divided by a temperature of 4, because the anchors are not
// independent and their summed log-odds overstate the evidence.
package align

import (
	"context"
	"fmt"
	"math"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/segment"
)

// Bead is one step of an alignment: up to two consecutive Dutch sentences
// (Source, indexes into the nl slice) and up to two consecutive English
// sentences (Target) that translate each other. One side may be empty when
// a sentence has no counterpart.
type Bead struct {
	Source, Target []int
	// Confidence is the posterior probability of this bead, in [0, 1].
	Confidence float64
}

// Lexicon finds known terms in Dutch text and says how they are written in
// English, so that the aligner can use them as anchors. The glossary is
// adapted to it by the caller. Align calls Translations once per Dutch
// sentence, from its own goroutine; a Lexicon shared by concurrent Align
// calls must be safe for concurrent use.
type Lexicon interface {
	// Translations returns the terms found in one Dutch sentence.
	Translations(nlText string) []Anchor
}

// Anchor is one term found in a Dutch sentence: nlText[Start:End] in UTF-8
// bytes, and the English strings that may translate it. A term counts as
// matched when any of its English strings occurs, as whole folded tokens,
// in the English side of a bead. The aligner does not use the offsets.
type Anchor struct {
	Start, End int
	English    []string
}

// Options tune Align. The zero value is ready to use.
type Options struct {
	// Lexicon, when not nil, supplies glossary anchors.
	Lexicon Lexicon
	// Band is the half-width of the search band in sentences around the
	// diagonal; 0 picks 6 + max(n, m)/40, at most 60. The band doubles on
	// its own while the best alignment runs along its edge.
	Band int
	// MinConfidence is the threshold below which Alignment.Pairs reports a
	// pair as dropped. Align itself returns every bead.
	MinConfidence float64
}

// DefaultMinConfidence is the MinConfidence a caller that does not choose
// one should use.
const DefaultMinConfidence = 0.5

// MaxSentences bounds each side of one Align call. Longer texts should be
// cut at known matching points (chapters, headings) by the caller.
const MaxSentences = 20000

// maxCells bounds the search lattice (about 65 bytes a cell): the band
// stops widening there, and an explicit Options.Band that needs more is
// refused.
const maxCells = 3_000_000

// maxAutoBand caps the automatic band; wider bands come only from the
// widening on a path that touches the edge.
const maxAutoBand = 60

// Bead types: sentences taken from each side.
var beadTypes = [...]struct{ a, b int }{{1, 1}, {1, 0}, {0, 1}, {2, 1}, {1, 2}}

const numTypes = len(beadTypes)

// Align aligns Dutch sentences nl with English sentences en and returns the
// beads in document order. Every sentence of both sides is in exactly one
// bead. Errors: EINVALID for bad options (including a band that needs more
// than a few million lattice cells), ELIMIT for more than MaxSentences on a
// side, and the context's error, wrapped, when it is cancelled. Align is
// safe for concurrent use.
func Align(ctx context.Context, nl, en []string, opt Options) ([]Bead, error) {
	if err := checkOptions(opt); err != nil {
		return nil, err
	}
	if len(nl) > MaxSentences || len(en) > MaxSentences {
		return nil, tolk.Errorf(tolk.ELIMIT, "documents have %d Dutch and %d English sentences; align at most %d per side (split the documents)", len(nl), len(en), MaxSentences)
	}
	if len(nl) == 0 && len(en) == 0 {
		return []Bead{}, nil
	}
	m := defaultModel()
	nlLex, enLex := lexiconKeys(opt.Lexicon, nl, en)
	a, b, w := prepareBoth(m, nl, en, nlLex, enLex)
	s := &search{m: m, nl: a, en: b, n: len(nl), nm: len(en), weight: w, markOne: make([]int32, len(w)), markTwo: make([]int32, len(w))}
	return s.run(ctx, opt.Band)
}

func checkOptions(opt Options) error {
	if opt.Band < 0 {
		return tolk.Invalidf("band", "band is %d; use 0 for automatic or a positive number of sentences", opt.Band)
	}
	if !(opt.MinConfidence >= 0 && opt.MinConfidence <= 1) {
		return tolk.Invalidf("min_confidence", "min confidence is %v; use a value between 0 and 1", opt.MinConfidence)
	}
	return nil
}

// PairConfidence returns the confidence, in [0, 1], that one Dutch sentence
// and one English sentence translate each other (see the package comment).
// It is the pair filter for sentence pairs aligned elsewhere; lex may be
// nil. On ParaCrawl's human labels it separates valid pairs from
// misaligned and wrong-language ones with ROC AUC 0.80.
func PairConfidence(nl, en string, lex Lexicon) float64 {
	return pairConfidence(defaultModel(), nl, en, lex)
}

func pairConfidence(m *model, nl, en string, lex Lexicon) float64 {
	return sigmoid(pairScore(m, nl, en, lex) / m.temperature)
}

// pairScore returns the log-odds that nl and en translate each other
// against being unrelated, with even prior odds.
func pairScore(m *model, nl, en string, lex Lexicon) float64 {
	nlLex, enLex := lexiconKeys(lex, []string{nl}, []string{en})
	x, y, _ := prepareBoth(m, []string{nl}, []string{en}, nlLex, enLex)
	a, b := x.f[0], y.f[0]
	return m.lengthLLR(a.chars, b.chars) + m.lexical(a.keys, b.keys, a.miss, b.miss) - a.lang - b.lang
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// search is one alignment problem on a band.
type search struct {
	m     *model
	nl    side
	en    side
	n, nm int // sentences on each side

	// Band layout: row i holds cells j in [lo[i], hi[i]]; cell (i, j) is
	// at index off[i] + j - lo[i].
	lo, hi, off []int
	cost        []float64 // cost[cell*numTypes+t] of the bead of type t ending at cell
	vit         []float64
	back        []int8
	fwd, bwd    []float64
	widened     int // times the band was doubled

	// Matching by stamps: weight[id] is what a shared key adds; markOne[id]
	// is i when the key is in Dutch sentence i-1, markTwo[id] is i when it
	// is in Dutch sentences i-2 and i-1 together.
	weight           []float64
	markOne, markTwo []int32
}

func (s *search) run(ctx context.Context, band int) ([]Bead, error) {
	if band == 0 {
		band = min(6+max(s.n, s.nm)/40, maxAutoBand)
	}
	if s.cells(band) > maxCells {
		return nil, tolk.Invalidf("band", "a band of %d sentences over %d×%d sentences needs %d lattice cells, more than %d; use a narrower band or split the documents", band, s.n, s.nm, s.cells(band), maxCells)
	}
	for {
		s.layout(band)
		if err := s.fill(ctx); err != nil {
			return nil, err
		}
		path, edge := s.viterbi()
		if (path == nil || edge) && !s.full() && s.cells(band*2) <= maxCells {
			band *= 2 // the band was too narrow: widen it and search again
			s.widened++
			continue
		}
		if path == nil {
			return nil, tolk.Errorf(tolk.EINTERNAL, "align: no path through a lattice of %d cells", len(s.vit))
		}
		if err := s.forwardBackward(ctx); err != nil {
			return nil, err
		}
		return s.beads(path), nil
	}
}

func (s *search) rowRange(i, band int) (int, int) {
	if s.n == 0 {
		return 0, s.nm
	}
	c := float64(i) * float64(s.nm) / float64(s.n)
	lo := max(0, int(math.Floor(c))-band)
	hi := min(s.nm, int(math.Ceil(c))+band)
	return lo, hi
}

func (s *search) cells(band int) int {
	total := 0
	for i := 0; i <= s.n; i++ {
		lo, hi := s.rowRange(i, band)
		total += hi - lo + 1
	}
	return total
}

func (s *search) layout(band int) {
	s.lo = resize(s.lo, s.n+1)
	s.hi = resize(s.hi, s.n+1)
	s.off = resize(s.off, s.n+2)
	total := 0
	for i := 0; i <= s.n; i++ {
		s.lo[i], s.hi[i] = s.rowRange(i, band)
		s.off[i] = total
		total += s.hi[i] - s.lo[i] + 1
	}
	s.off[s.n+1] = total
	s.cost = resize(s.cost, total*numTypes)
	s.vit = resize(s.vit, total)
	s.back = resize(s.back, total)
	s.fwd = resize(s.fwd, total)
	s.bwd = resize(s.bwd, total)
}

func resize[T any](x []T, n int) []T {
	if cap(x) < n {
		return make([]T, n)
	}
	return x[:n]
}

func (s *search) full() bool {
	for i := 0; i <= s.n; i++ {
		if s.lo[i] > 0 || s.hi[i] < s.nm {
			return false
		}
	}
	return true
}

// cell returns the index of (i, j), or -1 when it is outside the band.
func (s *search) cell(i, j int) int {
	if i < 0 || i > s.n || j < s.lo[i] || j > s.hi[i] {
		return -1
	}
	return s.off[i] + j - s.lo[i]
}

// beadCost is the cost of the bead taking Dutch sentences [i-a, i) and
// English sentences [j-b, j).
func (s *search) beadCost(i, j, a, b int) float64 {
	m := s.m
	switch {
	case a == 1 && b == 0 || a == 0 && b == 1:
		return m.cost10
	}
	x, mark := &s.nl.f[i-1], s.markOne
	if a == 2 {
		x, mark = &s.nl.pair[i-1], s.markTwo
	}
	y := &s.en.f[j-1]
	if b == 2 {
		y = &s.en.pair[j-1]
	}
	prior := m.cost11
	if a+b == 3 {
		prior = m.cost21
	}
	lex := -x.miss - y.miss
	stamp := int32(i)
	for _, id := range y.ids {
		if mark[id] == stamp {
			lex += s.weight[id]
		}
	}
	return prior + m.lengthCost(x.chars, y.chars) - lex + x.lang + y.lang
}

// fill computes the cost of every bead that ends inside the band and
// starts inside it (+Inf otherwise).
func (s *search) fill(ctx context.Context) error {
	inf := math.Inf(1)
	clear(s.markOne)
	clear(s.markTwo)
	for i := 0; i <= s.n; i++ {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("aligning: %w", err)
			}
		}
		if i >= 1 {
			for _, id := range s.nl.f[i-1].ids {
				s.markOne[id] = int32(i)
			}
		}
		if i >= 2 {
			for _, id := range s.nl.pair[i-1].ids {
				s.markTwo[id] = int32(i)
			}
		}
		for j := s.lo[i]; j <= s.hi[i]; j++ {
			c := s.cell(i, j)
			for t, bt := range beadTypes {
				if s.cell(i-bt.a, j-bt.b) < 0 || j-bt.b < 0 {
					s.cost[c*numTypes+t] = inf
					continue
				}
				s.cost[c*numTypes+t] = s.beadCost(i, j, bt.a, bt.b)
			}
		}
	}
	return nil
}

// viterbi finds the cheapest path and reports whether it touches the edge
// of the band. The path is the list of end cells with their bead types,
// from the end of the documents backwards.
func (s *search) viterbi() (path [][3]int, edge bool) {
	inf := math.Inf(1)
	for i := 0; i <= s.n; i++ {
		for j := s.lo[i]; j <= s.hi[i]; j++ {
			c := s.cell(i, j)
			best, bt := inf, int8(-1)
			if i == 0 && j == 0 {
				best = 0
			}
			for t, b := range beadTypes {
				k := s.cost[c*numTypes+t]
				if math.IsInf(k, 1) {
					continue
				}
				p := s.cell(i-b.a, j-b.b)
				if v := s.vit[p] + k; v < best {
					best, bt = v, int8(t)
				}
			}
			s.vit[c], s.back[c] = best, bt
		}
	}
	end := s.cell(s.n, s.nm)
	if end < 0 || math.IsInf(s.vit[end], 1) {
		return nil, true
	}
	i, j := s.n, s.nm
	for i > 0 || j > 0 {
		c := s.cell(i, j)
		t := s.back[c]
		if (j == s.lo[i] && s.lo[i] > 0) || (j == s.hi[i] && s.hi[i] < s.nm) {
			edge = true
		}
		path = append(path, [3]int{i, j, int(t)})
		i -= beadTypes[t].a
		j -= beadTypes[t].b
	}
	return path, edge
}

// logSumExp returns log Σ exp(x) over v.
func logSumExp(v []float64) float64 {
	mx := math.Inf(-1)
	for _, x := range v {
		mx = max(mx, x)
	}
	if math.IsInf(mx, -1) {
		return mx
	}
	var sum float64
	for _, x := range v {
		if d := x - mx; d > -40 {
			sum += math.Exp(d)
		}
	}
	return mx + math.Log(sum)
}

// forwardBackward computes log-sums of exp(-cost) over all paths from the
// start to each cell (fwd) and from each cell to the end (bwd).
func (s *search) forwardBackward(ctx context.Context) error {
	var terms [numTypes]float64
	for i := 0; i <= s.n; i++ {
		for j := s.lo[i]; j <= s.hi[i]; j++ {
			c := s.cell(i, j)
			n := 0
			if i == 0 && j == 0 {
				terms[n] = 0
				n++
			}
			for t, b := range beadTypes {
				k := s.cost[c*numTypes+t]
				if math.IsInf(k, 1) {
					continue
				}
				terms[n] = s.fwd[s.cell(i-b.a, j-b.b)] - k
				n++
			}
			s.fwd[c] = logSumExp(terms[:n])
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("aligning: %w", err)
	}
	for i := s.n; i >= 0; i-- {
		for j := s.hi[i]; j >= s.lo[i]; j-- {
			c := s.cell(i, j)
			n := 0
			if i == s.n && j == s.nm {
				terms[n] = 0
				n++
			}
			for t, b := range beadTypes {
				nc := s.cell(i+b.a, j+b.b)
				if nc < 0 {
					continue
				}
				k := s.cost[nc*numTypes+t]
				if math.IsInf(k, 1) {
					continue
				}
				terms[n] = s.bwd[nc] - k
				n++
			}
			s.bwd[c] = logSumExp(terms[:n])
		}
	}
	return nil
}

func (s *search) beads(path [][3]int) []Bead {
	z := s.fwd[s.cell(s.n, s.nm)]
	out := make([]Bead, len(path))
	for k, p := range path {
		i, j, t := p[0], p[1], p[2]
		b := beadTypes[t]
		start := s.cell(i-b.a, j-b.b)
		post := math.Exp(s.fwd[start] - s.cost[s.cell(i, j)*numTypes+t] + s.bwd[s.cell(i, j)] - z)
		bead := Bead{Confidence: min(1, max(0, post))}
		for x := i - b.a; x < i; x++ {
			bead.Source = append(bead.Source, x)
		}
		for y := j - b.b; y < j; y++ {
			bead.Target = append(bead.Target, y)
		}
		out[len(path)-1-k] = bead
	}
	return out
}

// SplitFunc splits a text into sentences with offsets, like segment.Split.
type SplitFunc func(text string) []segment.Segment

// Alignment is the result of AlignTexts: both texts' sentences and the
// beads that align them.
type Alignment struct {
	NL, EN        []segment.Segment
	Beads         []Bead
	MinConfidence float64
	nlText        string
	enText        string
}

// Pair is a bead resolved to text: the Dutch and English spans of the
// original texts (from the first sentence's start to the last one's end,
// so the original spacing between two joined sentences is kept).
type Pair struct {
	NL, EN     string
	Bead       Bead
	Confidence float64
}

// AlignTexts splits nl with splitNL and en with splitEN, and aligns the
// sentences. Errors are those of Align.
func AlignTexts(ctx context.Context, nl, en string, splitNL, splitEN SplitFunc, opt Options) (*Alignment, error) {
	if splitNL == nil || splitEN == nil {
		return nil, tolk.Invalidf("split", "both split functions are required")
	}
	a := &Alignment{NL: splitNL(nl), EN: splitEN(en), MinConfidence: opt.MinConfidence, nlText: nl, enText: en}
	beads, err := Align(ctx, texts(a.NL), texts(a.EN), opt)
	if err != nil {
		return nil, err
	}
	a.Beads = beads
	return a, nil
}

func texts(segs []segment.Segment) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = s.Text
	}
	return out
}

// Pairs returns the beads with sentences on both sides as text: kept holds
// those with confidence at least MinConfidence, dropped the rest, both in
// document order. Beads with an empty side are in neither.
func (a *Alignment) Pairs() (kept, dropped []Pair) {
	for _, b := range a.Beads {
		if len(b.Source) == 0 || len(b.Target) == 0 {
			continue
		}
		p := Pair{
			NL:         span(a.nlText, a.NL, b.Source),
			EN:         span(a.enText, a.EN, b.Target),
			Bead:       b,
			Confidence: b.Confidence,
		}
		if b.Confidence >= a.MinConfidence {
			kept = append(kept, p)
		} else {
			dropped = append(dropped, p)
		}
	}
	return kept, dropped
}

func span(text string, segs []segment.Segment, idx []int) string {
	first, last := segs[idx[0]], segs[idx[len(idx)-1]]
	if text == "" || last.End > len(text) || first.Start > last.End {
		return first.Text
	}
	return text[first.Start:last.End]
}
