package memory

import (
	"context"
	"slices"
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

// TestPlaceables looks up queries that differ from a stored unit in one
// kind of number: each number of the query is in the adapted target, or
// the match lists it as unadapted.
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
		Unit{Source: "De operatie duurde minder dan 24 uur en kostte weinig.", Target: "The operation lasted less than 24 hours and cost little."},
		Unit{Source: "De inflatie steeg met 3,5 procent in het laatste kwartaal.", Target: "Inflation rose by 3.5 percent in the last quarter."},
		Unit{Source: "Er kwamen 12.000 mensen naar de betoging op het plein.", Target: "12,000 people came to the demonstration on the square."},
		Unit{Source: "Het is de 26e verjaardag van het verdrag van de unie.", Target: "It is the 26th anniversary of the treaty of the union."},
		Unit{Source: "Het gesprek met de minister duurde twee uur in totaal.", Target: "The talk with the minister lasted two hours in total."},
	)
	for _, tc := range []struct {
		kind, query, target string
		unadapted           []string
	}{
		{"money", "Het bedrag is 2.300,75 euro.", "The amount is EUR 2,300.75.", nil},
		{"money, whole", "Het bedrag is 7.000.000 euro.", "The amount is EUR 7,000,000.", nil},
		{"time, 12-hour", "De vergadering begint om 9.45 uur.", "The meeting starts at 9.45 a.m.", nil},
		{"time, afternoon", "De vergadering begint om 16.00 uur.", "The meeting starts at 4.00 p.m.", nil},
		{"time, 24-hour", "De trein vertrekt om 17.05 uur.", "The train leaves at 17:05.", nil},
		{"date", "Het verdrag werd op 3 oktober 2024 ondertekend.", "The treaty was signed on 3 October 2024.", nil},
		{"duration in hours", "De operatie duurde minder dan 48 uur en kostte weinig.", "The operation lasted less than 48 hours and cost little.", nil},
		{"percentage", "De inflatie steeg met 4,25 procent in het laatste kwartaal.", "Inflation rose by 4.25 percent in the last quarter.", nil},
		{"thousands", "Er kwamen 15.500 mensen naar de betoging op het plein.", "15,500 people came to the demonstration on the square.", nil},
		{"count written as a word in the target", "Wij hebben 4 katten.", "We have three cats.", []string{"4"}},
		{"ordinal", "Het is de 30e verjaardag van het verdrag van de unie.", "It is the 26th anniversary of the treaty of the union.", []string{"30e"}},
		{"number with no counterpart", "Het gesprek met de minister duurde twee uur in totaal 3.", "The talk with the minister lasted two hours in total.", []string{"3"}},
	} {
		ms, err := s.Lookup(ctx, Query{Text: tc.query, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 {
			t.Fatalf("%s: %q: no match", tc.kind, tc.query)
		}
		if m := ms[0]; m.Target != tc.target || !slices.Equal(m.Unadapted, tc.unadapted) {
			t.Errorf("%s: %q: target %q, unadapted %q (score %d); want %q, unadapted %q", tc.kind, tc.query, m.Target, m.Unadapted, m.Score, tc.target, tc.unadapted)
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
