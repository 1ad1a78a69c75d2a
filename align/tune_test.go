package align

import (
	"cmp"
	"flag"
	"github.com/tolkdev/tolk/internal/shareddata"
	"math"
	"path/filepath"
	"slices"
	"testing"
)

var tune = flag.Bool("tune", false, "print diagnostics for tuning the pair model")

func TestTuneDump(t *testing.T) {
	if !*tune {
		t.Skip("run with -tune")
	}
	pairs := paracrawl(t)
	type sp struct {
		c float64
		p labelled
	}
	var v, a []sp
	for _, p := range pairs {
		if p.file != 0 {
			continue // look at the tuning file only
		}
		c := PairConfidence(p.nl, p.en, nil)
		switch p.label {
		case "V":
			v = append(v, sp{c, p})
		case "A", "L":
			a = append(a, sp{c, p})
		}
	}
	slices.SortFunc(v, func(x, y sp) int { return cmp.Compare(x.c, y.c) })
	slices.SortFunc(a, func(x, y sp) int { return cmp.Compare(y.c, x.c) })
	for _, x := range v[:25] {
		t.Logf("V low %.4f %q ||| %q", x.c, x.p.nl, x.p.en)
	}
	for _, x := range a[:25] {
		t.Logf("%s high %.4f %q ||| %q", x.p.label, x.c, x.p.nl, x.p.en)
	}
}

func TestTuneKindRates(t *testing.T) {
	if !*tune {
		t.Skip("run with -tune")
	}
	dir := shareddata.Path(t, "parallel/flores200_devtest")
	nl := readLines(t, filepath.Join(dir, "nld_Latn.devtest"))
	en := readLines(t, filepath.Join(dir, "eng_Latn.devtest"))
	m := defaultModel()
	a := prepare(m, nl, dutch, nil)
	b := prepare(m, en, english, nil)
	for _, shift := range []int{0, 7} {
		var keys, matched [numKinds]int
		var langNL, langEN float64
		for i := range a.f {
			x, y := a.f[i].keys, b.f[(i+shift)%len(b.f)].keys
			langNL += a.f[i].lang
			langEN += b.f[i].lang
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
		for k := 1; k < numKinds; k++ {
			t.Logf("shift %d kind %d: keys %d matched %.3f", shift, k, keys[k], float64(matched[k])/float64(keys[k]))
		}
		t.Logf("lang %v %v", langNL, langEN)
	}
}

func TestTuneComponents(t *testing.T) {
	if !*tune {
		t.Skip("run with -tune")
	}
	m := defaultModel()
	comps := []string{"len", "lex", "lang", "total", "matchnum", "matchname", "matchcog", "missnum", "missname", "misscog", "chars"}
	pos := make([][]float64, len(comps))
	neg := make([][]float64, len(comps))
	for _, p := range paracrawl(t) {
		if p.label != "V" && p.label != "A" && p.label != "L" {
			continue
		}
		a := prepare(m, []string{p.nl}, dutch, nil).f[0]
		b := prepare(m, []string{p.en}, english, nil).f[0]
		var mt, tot [numKinds]float64
		for _, k := range a.keys {
			tot[kindOf(k)]++
			if slices.Contains(b.keys, k) {
				mt[kindOf(k)]++
			}
		}
		for _, k := range b.keys {
			tot[kindOf(k)]++
		}
		v := []float64{m.lengthLLR(a.chars, b.chars), m.lexical(a.keys, b.keys, a.miss, b.miss), -a.lang - b.lang, pairScore(m, p.nl, p.en, nil),
			mt[kindNum], mt[kindName], mt[kindCognate], -(tot[kindNum] - 2*mt[kindNum]), -(tot[kindName] - 2*mt[kindName]), -(tot[kindCognate] - 2*mt[kindCognate]), float64(a.chars)}
		for i := range v {
			if p.label == "V" {
				pos[i] = append(pos[i], v[i])
			} else {
				neg[i] = append(neg[i], v[i])
			}
		}
	}
	for i, c := range comps {
		t.Logf("%-10s AUC %.4f", c, auc(pos[i], neg[i]))
	}
}

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
}
