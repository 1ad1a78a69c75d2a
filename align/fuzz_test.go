package align

import (
	"context"
	"strings"
	"testing"
)

// FuzzAlign feeds arbitrary text to the anchor extraction and the search:
// Align must not fail or panic, must cover both sides in order, and
// confidences must stay in [0, 1].
func FuzzAlign(f *testing.F) {
	f.Add("Het kost 1.250.000,50 euro.\nOp 26 september om 14.30 uur.", "It costs 1,250,000.50 euros.\nOn September 26 at 2.30 p.m.")
	f.Add("‘Zullen’ (of niet)? 12:00 4e. mei", "\"Will\" (or not)? 12:00am 4th. May")
	f.Add("1.2.3,4,5 ,. :: 99:99 p.m.", "1,2,3.4.5 .. a.m. 24:60")
	f.Add("", "x")
	for _, d := range ntrexSeeds(f) {
		f.Add(d[0], d[1])
	}
	f.Fuzz(func(t *testing.T, nl, en string) {
		nls, ens := strings.Split(nl, "\n"), strings.Split(en, "\n")
		beads, err := Align(context.Background(), nls, ens, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkCover(t, beads, len(nls), len(ens))
		if c := PairConfidence(nl, en, nil); !(c >= 0 && c <= 1) {
			t.Fatalf("PairConfidence = %v", c)
		}
	})
}

// ntrexSeeds returns the first few NTREX documents as newline-joined text,
// or nothing when the shared data is missing (the fuzz target must not
// skip for want of seeds).
func ntrexSeeds(f *testing.F) [][2]string {
	if _, ok := sharedRoot(); !ok {
		return nil
	}
	var out [][2]string
	for i, d := range ntrex(f) {
		if i == 5 {
			break
		}
		out = append(out, [2]string{strings.Join(d.nl, "\n"), strings.Join(d.en, "\n")})
	}
	return out
}
