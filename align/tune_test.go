package align

import (
	"flag"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tolkdev/tolk/internal/shareddata"
)

var tune = flag.Bool("tune", false, "run the weight search on ParaCrawl v3 (slow)")

// TestAnchorRatesFLORES checks, on FLORES-200 devtest, that every anchor
// kind matches far more often between translations than between unrelated
// sentences (each sentence against the one 7 lines further). These rates
// are where the match and miss weights in defaultModel started.
func TestAnchorRatesFLORES(t *testing.T) {
	dir := shareddata.Path(t, "parallel/flores200_devtest")
	nl := readLines(t, filepath.Join(dir, "nld_Latn.devtest"))
	en := readLines(t, filepath.Join(dir, "eng_Latn.devtest"))
	m := defaultModel()
	a := prepare(m, nl, dutch, nil)
	b := prepare(m, en, english, nil)
	rate := func(shift int) (r [numKinds]float64) {
		var keys, matched [numKinds]int
		for i := range a.f {
			x, y := a.f[i].keys, b.f[(i+shift)%len(b.f)].keys
			for _, k := range x {
				keys[kindOf(k)]++
				if slices.Contains(y, k) {
					matched[kindOf(k)]++
				}
			}
			for _, k := range y {
				keys[kindOf(k)]++
				if slices.Contains(x, k) {
					matched[kindOf(k)]++
				}
			}
		}
		for k := range r {
			r[k] = ratio(matched[k], keys[k])
		}
		return r
	}
	same, other := rate(0), rate(7)
	names := map[int]string{kindNum: "number", kindName: "name", kindCognate: "cognate", kindPunct: "punctuation", kindDict: "word list"}
	for k, name := range names {
		t.Logf("%-11s matched in translations %.3f, in unrelated pairs %.3f", name, same[k], other[k])
		if same[k] < 0.15 || same[k] < 4*other[k] {
			t.Errorf("%s anchors match %.3f of the time in translations and %.3f in unrelated pairs: too weak to be an anchor", name, same[k], other[k])
		}
	}
}

// TestTuneGrid searches the weights that most affect the pair filter by
// coordinate ascent on ParaCrawl v3 (v6, v6.2 and v7 stay held out) and
// checks that defaultModel is within 0.005 ROC AUC of the best found.
func TestTuneGrid(t *testing.T) {
	if !*tune {
		t.Skip("run with -tune")
	}
	pairs := paracrawl(t)
	eval := func(m *model) float64 {
		var pos, neg []float64
		for _, p := range pairs {
			if p.file != 0 {
				continue // tune on v3 only; v6, v6.2 and v7 are held out
			}
			switch p.label {
			case "V":
				pos = append(pos, pairScore(m, p.nl, p.en, nil))
			case "A", "L":
				neg = append(neg, pairScore(m, p.nl, p.en, nil))
			}
		}
		return auc(pos, neg)
	}
	type knob struct {
		name string
		set  func(m *model, v float64)
		vals []float64
	}
	knobs := []knob{
		{"dictMatch", func(m *model, v float64) { m.match[kindDict] = v }, []float64{0.5, 1, 1.5, 2, 3}},
		{"dictMiss", func(m *model, v float64) { m.miss[kindDict] = v }, []float64{0, 0.1, 0.3, 0.5, 0.8}},
		{"cogMiss", func(m *model, v float64) { m.miss[kindCognate] = v }, []float64{0, 0.2, 0.5, 0.8}},
		{"nameMiss", func(m *model, v float64) { m.miss[kindName] = v }, []float64{0, 0.4, 0.8, 1.5}},
		{"numMiss", func(m *model, v float64) { m.miss[kindNum] = v }, []float64{0.5, 1, 2, 3}},
		{"punctMiss", func(m *model, v float64) { m.miss[kindPunct] = v }, []float64{0, 0.6, 1.2, 2}},
		{"wrongLang", func(m *model, v float64) { m.wrongLang = v }, []float64{0, 0.5, 1, 2, 4}},
		{"spread", func(m *model, v float64) { m.randomSpread = v }, []float64{1.5, 3, 5, 10}},
	}
	// Coordinate ascent, two rounds.
	best := make([]float64, len(knobs))
	for i := range best {
		best[i] = math.NaN()
	}
	build := func() *model {
		m := defaultModel()
		for i, k := range knobs {
			if !math.IsNaN(best[i]) {
				k.set(m, best[i])
			}
		}
		return m
	}
	for round := 0; round < 2; round++ {
		for i, k := range knobs {
			bestAUC := -1.0
			for _, v := range k.vals {
				old := best[i]
				best[i] = v
				a := eval(build())
				if a > bestAUC {
					bestAUC = a
					old = v
				}
				best[i] = old
			}
			t.Logf("round %d %-10s = %5.2f AUC(v3) %.4f", round, k.name, best[i], bestAUC)
		}
	}
	found, current := eval(build()), eval(defaultModel())
	t.Logf("AUC(v3): default weights %.4f, best found %.4f", current, found)
	if current < found-0.005 {
		t.Errorf("default weights give AUC %.4f on v3, the search found %.4f: update defaultModel", current, found)
	}
}
