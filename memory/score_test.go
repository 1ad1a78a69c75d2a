package memory

import (
	"context"
	"testing"

	"github.com/tolkdev/tolk/segment"
)

func TestScore(t *testing.T) {
	const base = "De kat zit op de mat."
	for _, tc := range []struct {
		query string
		score int
		check func(Breakdown) bool
	}{
		{base, 100, func(b Breakdown) bool { return b.Cost == 0 }},
		{"De kat zit op de mat", 95, func(b Breakdown) bool { return b.PunctEdits == 1 }},
		{"de kat zit op de mat.", 96, func(b Breakdown) bool { return b.CaseEdits == 1 }},
		{"De  kat zit op de mat.", 99, func(b Breakdown) bool { return b.Cost == 0 }},       // spacing only: not identical
		{"De kat zit op de mat .", 98, func(b Breakdown) bool { return b.SpaceEdits == 1 }}, // space before '.'
		{"De hond zit op de mat.", 84, func(b Breakdown) bool { return b.WordEdits == 1 }},
		{"De kat zat op de mat.", 84, func(b Breakdown) bool { return b.WordEdits == 1 }},
		{"De kat zit op de mat 2.", 86, func(b Breakdown) bool { return b.WordEdits == 1 }},
		{"De kat zit niet op de mat.", 86, func(b Breakdown) bool { return b.WordEdits == 1 }},
		{"De „kat” zit op de mat.", 91, func(b Breakdown) bool { return b.PunctEdits == 2 }},
		{"De " + string(segment.CodeRune(0)) + "kat zit op de mat.", 96, func(b Breakdown) bool { return b.CodeEdits == 1 }},
		{"Mat.", 17, nil},
	} {
		q, u := prepare(tc.query, true), prepare(base, false)
		cost, bd, _ := align(q, u)
		if got := similarity(q, u, cost); got != tc.score || (tc.check != nil && !tc.check(bd)) {
			t.Errorf("%q: score %d %+v, want %d", tc.query, got, bd, tc.score)
		}
	}
	// Numbers cost less than words.
	n, w := prepare("Het kost 12 euro.", true), prepare("Het kost veel euro.", true)
	u := prepare("Het kost 15 euro.", false)
	cn, _, _ := align(n, u)
	cw, _, _ := align(w, u)
	if sn, sw := similarity(n, u, cn), similarity(w, u, cw); sn <= sw || sn < 90 {
		t.Errorf("number change scores %d, word change %d", sn, sw)
	}
}

func TestPlaceables(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, openDB(t))
	newMemory(t, s, "m")
	add(t, s, "m", Overwrite,
		Unit{Source: "Het bedrag is 1.250.000,50 euro.", Target: "The amount is EUR 1,250,000.50."},
		Unit{Source: "De vergadering begint om 14.30 uur.", Target: "The meeting starts at 2.30 p.m."},
		Unit{Source: "De trein vertrekt om 9.15 uur.", Target: "The train leaves at 09:15."},
		Unit{Source: "Het verdrag werd op 26 september 2023 ondertekend.", Target: "The treaty was signed on 26 September 2023."},
		Unit{Source: "Wij hebben 3 katten.", Target: "We have three cats."},
	)
	for _, tc := range []struct {
		query, target string
		min           int
	}{
		{"Het bedrag is 2.300,75 euro.", "The amount is EUR 2,300.75.", 95},
		{"Het bedrag is 7.000.000 euro.", "The amount is EUR 7,000,000.", 95},
		{"De vergadering begint om 9.45 uur.", "The meeting starts at 9.45 a.m.", 95},
		{"De vergadering begint om 16.00 uur.", "The meeting starts at 4.00 p.m.", 95},
		{"De trein vertrekt om 17.05 uur.", "The train leaves at 17:05.", 95},
		{"Het verdrag werd op 3 oktober 2024 ondertekend.", "The treaty was signed on 3 October 2024.", 90},
		{"Wij hebben 4 katten.", "We have three cats.", 90}, // the number is not in the target: left as is
	} {
		ms, err := s.Lookup(ctx, Query{Text: tc.query, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 {
			t.Fatalf("%q: no match", tc.query)
		}
		if ms[0].Target != tc.target || ms[0].Score < tc.min || ms[0].Breakdown.NumberEdits == 0 {
			t.Errorf("%q: target %q score %d %+v; want %q, score ≥ %d", tc.query, ms[0].Target, ms[0].Score, ms[0].Breakdown, tc.target, tc.min)
		}
	}
}

func TestParseNumber(t *testing.T) {
	for _, tc := range []struct {
		in      string
		th, dec byte
		whole   string
		frac    string
		ok      bool
	}{
		{"1.250.000,50", '.', ',', "1250000", "50", true},
		{"1,250,000.50", ',', '.', "1250000", "50", true},
		{"14.30", '.', ',', "14", "30", true},
		{"1.250", '.', ',', "1250", "", true},
		{"12", '.', ',', "12", "", true},
		{"1,2,3", ',', '.', "", "", false},
		{"26e", '.', ',', "", "", false},
	} {
		n, ok := parseNumber(tc.in, tc.th, tc.dec)
		if ok != tc.ok || (ok && (n.whole != tc.whole || n.frac != tc.frac)) {
			t.Errorf("parseNumber(%q) = %+v %v", tc.in, n, ok)
		}
	}
}
