package align

import (
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/tolkdev/tolk/segment"
)

// model holds the constants of the cost function. Costs are in nats:
// -log P(bead type) - log P(length difference) - lexical log-odds.
type model struct {
	// Gale–Church on characters: English characters per Dutch character and
	// the variance of the length difference per character, measured on
	// FLORES-200 devtest (c = 0.895, s² = 2.11; s² is widened for the tails
	// of real documents).
	c, s2 float64
	// Bead priors (1–1, 1–0 and 0–1, 2–1 and 1–2) and their costs.
	p11, p10, p21          float64
	cost11, cost10, cost21 float64
	// Lexical weights per anchor kind, in nats: a shared anchor adds
	// match[k]; an anchor on one side only costs miss[k].
	match, miss [numKinds]float64
	// wrongLang is the cost per function word of the other language in
	// excess of the sentence's own language's function words.
	wrongLang float64
	// temperature divides log-odds before they become probabilities: the
	// anchors are not independent, so their summed log-odds overstate the
	// evidence.
	temperature float64
	// randomSpread is how much wider the length difference of unrelated
	// sentence pairs is than that of translations (in standard deviations).
	randomSpread float64
}

func defaultModel() *model {
	m := &model{c: 0.895, s2: 3.0, p11: 0.89, p10: 0.01, p21: 0.045}
	m.match[kindNum], m.miss[kindNum] = 4.0, 3.0
	m.match[kindName], m.miss[kindName] = 2.5, 1.0
	m.match[kindCognate], m.miss[kindCognate] = 2.0, 0.2
	m.match[kindLex], m.miss[kindLex] = 3.0, 0.5
	m.match[kindPunct], m.miss[kindPunct] = 2.0, 2.0
	m.match[kindDict], m.miss[kindDict] = 3.0, 0
	m.wrongLang = 4.0
	m.temperature = 4
	m.randomSpread = 10
	m.cost11, m.cost10, m.cost21 = -math.Log(m.p11), -math.Log(m.p10), -math.Log(m.p21)
	return m
}

// lengthCost is -log P(|δ|) under Gale–Church, where δ is the normalised
// difference between the English length and the expected English length
// of the Dutch side.
func (m *model) lengthCost(nlChars, enChars int) float64 {
	return tailCost(m.delta(nlChars, enChars))
}

// tailStep is the grid step of tailTable.
const tailStep = 1.0 / 64

// tailTable holds -log 2(1-Φ(d)) for d = 0, tailStep, ... < 8.
var tailTable = sync.OnceValue(func() []float64 {
	t := make([]float64, 8/tailStep+2)
	for i := range t {
		t[i] = -math.Log(math.Erfc(float64(i) * tailStep / math.Sqrt2))
	}
	return t
})

// tailCost returns -log 2(1-Φ(d)) for d ≥ 0: interpolated from a table
// below 8, from the asymptotic expansion above.
func tailCost(d float64) float64 {
	if d >= 8 {
		return d*d/2 + math.Log(d*math.Sqrt(math.Pi/2))
	}
	t := tailTable()
	x := d / tailStep
	i := int(x)
	f := x - float64(i)
	return t[i]*(1-f) + t[i+1]*f
}

// lengthLLR is the log-likelihood ratio of the normalised length
// difference δ between translations (standard normal) and unrelated
// sentences (normal with randomSpread times the deviation).
func (m *model) lengthLLR(nlChars, enChars int) float64 {
	d := m.delta(nlChars, enChars)
	k := m.randomSpread
	return math.Log(k) - d*d/2 + d*d/(2*k*k)
}

func (m *model) delta(nlChars, enChars int) float64 {
	l1, l2 := float64(nlChars), float64(enChars)
	mean := (l1 + l2/m.c) / 2
	if mean < 1 {
		mean = 1
	}
	return math.Abs(l2-m.c*l1) / math.Sqrt(m.s2*mean)
}

// lexical returns the lexical log-odds of pairing the anchors a (Dutch) with
// b (English): match weights for shared keys, minus miss weights for the
// rest. missA and missB are the miss masses of a and b.
func (m *model) lexical(a, b []uint64, missA, missB float64) float64 {
	s := -missA - missB
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			k := kindOf(a[i])
			s += m.match[k] + 2*m.miss[k]
			i++
			j++
		}
	}
	return s
}

func (m *model) missMass(keys []uint64) float64 {
	var s float64
	for _, k := range keys {
		s += m.miss[kindOf(k)]
	}
	return s
}

// side is one language's sentences prepared for the search.
type side struct {
	f []sentenceFeatures
	// pair[i] holds sentences i-1 and i together (pair[0] is unused); its
	// keys are not kept, only its shared ids.
	pair []sentenceFeatures
}

func prepare(m *model, sents []string, lg lang, lex [][]uint64) side {
	sd := side{f: make([]sentenceFeatures, len(sents))}
	var toks []segment.Token
	var words []word
	var keys []uint64
	for i, s := range sents {
		keys, toks, words = extract(keys[:0], s, lg, toks, words)
		if lex != nil {
			keys = append(keys, lex[i]...)
		}
		k := sortKeys(append([]uint64(nil), keys...))
		sd.f[i] = sentenceFeatures{chars: runeCount(s), keys: k, miss: m.missMass(k), lang: m.wrongLang * wrongLanguage(words)}
	}
	return sd
}

// unionIDs returns the sorted union of two sorted id lists.
func unionIDs(a, b []int32) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			out = append(out, a[i])
			i++
		case a[i] > b[j]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

func (sd *side) buildPairs() {
	sd.pair = make([]sentenceFeatures, len(sd.f))
	for i := 1; i < len(sd.f); i++ {
		a, b := sd.f[i-1], sd.f[i]
		sd.pair[i] = sentenceFeatures{chars: a.chars + b.chars + 1, miss: a.miss + b.miss, lang: a.lang + b.lang}
		if a.ids != nil || b.ids != nil {
			sd.pair[i].ids = unionIDs(a.ids, b.ids)
		}
	}
}

// prepareBoth prepares both sides and then drops from every key list the
// keys that never occur on the other side: they cannot match, and their
// miss weights are already in each sentence's miss mass. This keeps the
// lists that the search intersects short.
//
// It also numbers the shared keys densely: ids[k] is the weight a match on
// key k adds (match plus the two misses it saves), and each sentence's ids
// list its shared keys by number, for the search's stamp-array matching.
func prepareBoth(m *model, nl, en []string, nlLex, enLex [][]uint64) (side, side, []float64) {
	a := prepare(m, nl, dutch, nlLex)
	b := prepare(m, en, english, enLex)
	onA := make(map[uint64]bool, 16*len(nl))
	for _, f := range a.f {
		for _, k := range f.keys {
			onA[k] = true
		}
	}
	shared := map[uint64]int32{}
	var weights []float64
	for _, f := range b.f {
		for _, k := range f.keys {
			if _, ok := shared[k]; !ok && onA[k] {
				shared[k] = int32(len(weights))
				weights = append(weights, m.match[kindOf(k)]+2*m.miss[kindOf(k)])
			}
		}
	}
	for _, sd := range []*side{&a, &b} {
		for i := range sd.f {
			keep := sd.f[i].keys[:0]
			ids := []int32{}
			for _, k := range sd.f[i].keys {
				if id, ok := shared[k]; ok {
					keep = append(keep, k)
					ids = append(ids, id)
				}
			}
			slices.Sort(ids)
			sd.f[i].keys, sd.f[i].ids = keep, ids
		}
		sd.buildPairs()
	}
	return a, b, weights
}

func runeCount(s string) int {
	n := 0
	for range strings.TrimSpace(s) {
		n++
	}
	return n
}

// lexiconKeys asks lex about every Dutch sentence and returns, per
// sentence, the anchor keys of its glossary hits on the Dutch side and of
// the English terms found in each English sentence.
func lexiconKeys(lex Lexicon, nl, en []string) (nlKeys, enKeys [][]uint64) {
	if lex == nil {
		return nil, nil
	}
	// A Dutch term's key stands for the set of its English alternatives; an
	// English sentence that holds any alternative gets that key, so a term
	// with three translations matches once and misses once, not thrice.
	type term struct {
		toks   []string
		groups []uint64 // keys of the Dutch terms this English string translates
	}
	terms := map[string]*term{}
	byFirst := map[string][]*term{}
	nlKeys = make([][]uint64, len(nl))
	for i, s := range nl {
		for _, a := range lex.Translations(s) {
			var alts []string
			for _, e := range a.English {
				if toks := foldTokens(e); len(toks) > 0 {
					alts = append(alts, strings.Join(toks, " "))
				}
			}
			if len(alts) == 0 {
				continue
			}
			slices.Sort(alts)
			alts = slices.Compact(alts)
			group := keyOf(kindLex, strings.Join(alts, "|"))
			nlKeys[i] = append(nlKeys[i], group)
			for _, f := range alts {
				tm := terms[f]
				if tm == nil {
					tm = &term{toks: strings.Split(f, " ")}
					terms[f] = tm
					byFirst[tm.toks[0]] = append(byFirst[tm.toks[0]], tm)
				}
				if !slices.Contains(tm.groups, group) {
					tm.groups = append(tm.groups, group)
				}
			}
		}
	}
	enKeys = make([][]uint64, len(en))
	if len(byFirst) == 0 {
		return nlKeys, enKeys
	}
	for i, s := range en {
		toks := foldTokens(s)
		for p, t := range toks {
			for _, tm := range byFirst[t] {
				if p+len(tm.toks) <= len(toks) && slices.Equal(toks[p:p+len(tm.toks)], tm.toks) {
					enKeys[i] = append(enKeys[i], tm.groups...)
				}
			}
		}
	}
	return nlKeys, enKeys
}

func foldTokens(s string) []string {
	f := segment.Fold(s)
	toks := segment.Tokens(nil, f)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = segment.StripDiacritics(f[t.Start:t.End])
	}
	return out
}
