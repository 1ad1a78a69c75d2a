package align

import (
	"math"
	"strings"

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
	// Bead priors (1–1, 1–0 and 0–1, 2–1 and 1–2).
	p11, p10, p21 float64
	// Lexical weights per anchor kind, in nats: a shared anchor adds
	// match[k]; an anchor on one side only costs miss[k].
	match, miss [numKinds]float64
}

func defaultModel() *model {
	m := &model{c: 0.895, s2: 3.0, p11: 0.89, p10: 0.01, p21: 0.045}
	m.match[kindNum], m.miss[kindNum] = 3.0, 1.0
	m.match[kindName], m.miss[kindName] = 1.5, 0
	m.match[kindCognate], m.miss[kindCognate] = 0.8, 0
	m.match[kindLex], m.miss[kindLex] = 2.0, 0.3
	m.match[kindPunct], m.miss[kindPunct] = 0.7, 0.7
	return m
}

// lengthCost is -log P(|δ|) under Gale–Church, where δ is the normalised
// difference between the English length and the expected English length
// of the Dutch side.
func (m *model) lengthCost(nlChars, enChars int) float64 {
	l1, l2 := float64(nlChars), float64(enChars)
	mean := (l1 + l2/m.c) / 2
	if mean < 1 {
		mean = 1
	}
	d := math.Abs(l2-m.c*l1) / math.Sqrt(m.s2*mean)
	p := math.Erfc(d / math.Sqrt2)
	if p < 1e-100 {
		return 230
	}
	return -math.Log(p)
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

// mergeKeys returns the sorted multiset union of two sorted key lists.
func mergeKeys(a, b []uint64) []uint64 {
	out := make([]uint64, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i] <= b[j] {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// side is one language's sentences prepared for the search.
type side struct {
	f []sentenceFeatures
	// pair[i] holds sentences i-1 and i together (pair[0] is unused).
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
		sd.f[i] = sentenceFeatures{chars: runeCount(s), keys: k, miss: m.missMass(k)}
	}
	sd.pair = make([]sentenceFeatures, len(sents))
	for i := 1; i < len(sents); i++ {
		a, b := sd.f[i-1], sd.f[i]
		sd.pair[i] = sentenceFeatures{chars: a.chars + b.chars + 1, keys: mergeKeys(a.keys, b.keys), miss: a.miss + b.miss}
	}
	return sd
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
	type term struct {
		toks []string
		key  uint64
	}
	byFirst := map[string][]term{}
	seen := map[string]bool{}
	nlKeys = make([][]uint64, len(nl))
	for i, s := range nl {
		for _, a := range lex.Translations(s) {
			for _, e := range a.English {
				toks := foldTokens(e)
				if len(toks) == 0 {
					continue
				}
				f := strings.Join(toks, " ")
				key := keyOf(kindLex, f)
				nlKeys[i] = append(nlKeys[i], key)
				if !seen[f] {
					seen[f] = true
					byFirst[toks[0]] = append(byFirst[toks[0]], term{toks, key})
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
				if p+len(tm.toks) <= len(toks) && equalStrings(toks[p:p+len(tm.toks)], tm.toks) {
					enKeys[i] = append(enKeys[i], tm.key)
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

func equalStrings(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
