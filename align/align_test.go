package align

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/segment"
)

func TestNormNumber(t *testing.T) {
	tests := []struct {
		in   string
		side lang
		want string
	}{
		{"1.250.000,50", dutch, "1250000.5"},
		{"1,250,000.50", english, "1250000.5"},
		{"1.250", dutch, "1250"},
		{"1,250", english, "1250"},
		{"1,5", dutch, "1.5"},
		{"1.5", english, "1.5"},
		{"1.5", dutch, "1.5"},
		{"2019", english, "2019"},
		{"007", english, "7"},
		{"26e", dutch, "26"},
		{"1990s", english, "1990"},
	}
	for _, tt := range tests {
		if got := normNumber(tt.in, tt.side); got != tt.want {
			t.Errorf("normNumber(%q, %d) = %q, want %q", tt.in, tt.side, got, tt.want)
		}
	}
}

// keysOf returns the number and punctuation anchors of s as readable names.
func keysOf(s string, side lang) []uint64 {
	keys, _, _ := extract(nil, s, side, nil, nil)
	return sortKeys(keys)
}

func TestAnchorsMatchAcrossLanguages(t *testing.T) {
	tests := []struct{ nl, en string }{
		{"Het kost 1.250.000,50 euro.", "It costs 1,250,000.50 euros."},
		{"Op 26 september vergadert de raad.", "The council meets on September 26."},
		{"Op 26 september vergadert de raad.", "The council meets on 26 September."},
		{"De trein vertrekt om 14.30 uur.", "The train leaves at 2.30 p.m."},
		{"De trein vertrekt om 14.30 uur.", "The train leaves at 14:30."},
		{"De trein vertrekt om 14:30.", "The train leaves at 2:30pm."},
		{"Komt hij dinsdag?", "Is he coming on Tuesday?"},
		{"Open van 18.00 tot 20.00 uur.", "Open from 6-8 p.m."},
		{"Open van 9.00 tot 11.30 uur.", "Open from 9-11:30am."},
		{"Er waren drie ministers (uit Wales).", "There were three ministers (from Wales)."},
	}
	for _, tt := range tests {
		a, b := keysOf(tt.nl, dutch), keysOf(tt.en, english)
		for _, k := range a {
			if kindOf(k) == kindNum || kindOf(k) == kindPunct {
				if !slices.Contains(b, k) {
					t.Errorf("%q: number/punctuation anchor %x has no counterpart in %q", tt.nl, k, tt.en)
				}
			}
		}
		for _, k := range b {
			if kindOf(k) == kindNum || kindOf(k) == kindPunct {
				if !slices.Contains(a, k) {
					t.Errorf("%q: number/punctuation anchor %x has no counterpart in %q", tt.en, k, tt.nl)
				}
			}
		}
	}
	// Different numbers and times must not match.
	if a, b := keysOf("om 14.30 uur", dutch), keysOf("at 2.30 a.m.", english); slices.Equal(a, b) {
		t.Errorf("14.30 uur matches 2.30 a.m.")
	}
	if a, b := keysOf("1.250 euro", dutch), keysOf("1.250 euros", english); slices.Equal(a, b) {
		t.Errorf("Dutch 1.250 matches English 1.250")
	}
}

func TestAlignSmall(t *testing.T) {
	nl := []string{
		"De minister bezoekt op 26 september Washington.",
		"Hij spreekt er met de president over de handel.",
		"Dit is een zin zonder vertaling die de vertaler heeft overgeslagen, en hij is vrij lang.",
		"Het akkoord is 1,5 miljard euro waard.",
	}
	en := []string{
		"The minister visits Washington on September 26.",
		"He will talk there with the president about trade.",
		"The agreement is worth 1.5 billion euros.",
	}
	beads, err := Align(context.Background(), nl, en, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkCover(t, beads, len(nl), len(en))
	want := []Bead{{Source: []int{0}, Target: []int{0}}, {Source: []int{1}, Target: []int{1}}, {Source: []int{2}}, {Source: []int{3}, Target: []int{2}}}
	if len(beads) != len(want) {
		t.Fatalf("Align = %+v, want %+v", beads, want)
	}
	for i := range want {
		if !slices.Equal(beads[i].Source, want[i].Source) || !slices.Equal(beads[i].Target, want[i].Target) {
			t.Errorf("bead %d = %+v, want %+v", i, beads[i], want[i])
		}
	}
	for _, b := range []int{0, 1, 3} {
		if beads[b].Confidence < 0.9 {
			t.Errorf("bead %d confidence %.3f, want ≥ 0.9", b, beads[b].Confidence)
		}
	}
}

func TestAlignEdgeCases(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		nl, en []string
		beads  int
	}{
		{"both empty", nil, nil, 0},
		{"no English", []string{"Een.", "Twee."}, nil, 2},
		{"no Dutch", nil, []string{"One."}, 1},
		{"one each", []string{"Hallo."}, []string{"Hello."}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			beads, err := Align(ctx, tt.nl, tt.en, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkCover(t, beads, len(tt.nl), len(tt.en))
			if len(beads) != tt.beads {
				t.Errorf("got %d beads %+v, want %d", len(beads), beads, tt.beads)
			}
		})
	}
}

func TestAlignNarrowBandWidens(t *testing.T) {
	// 30 Dutch sentences missing at the start: the path leaves a band of 1.
	var nl, en []string
	for i := range 60 {
		en = append(en, strings.Repeat("word ", 3+i%7)+"number "+strconv.Itoa(i)+".")
		if i >= 30 {
			nl = append(nl, strings.Repeat("woord ", 3+i%7)+"nummer "+strconv.Itoa(i)+".")
		}
	}
	beads, err := Align(context.Background(), nl, en, Options{Band: 1})
	if err != nil {
		t.Fatal(err)
	}
	checkCover(t, beads, len(nl), len(en))
	for _, b := range beads {
		if len(b.Source) == 1 && (len(b.Target) != 1 || b.Target[0] != b.Source[0]+30) {
			t.Errorf("bead %+v, want Dutch %d with English %d", b, b.Source[0], b.Source[0]+30)
		}
	}
}

func TestAlignErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Align(ctx, nil, nil, Options{Band: -1}); tolk.ErrorCode(err) != tolk.EINVALID || tolk.ErrorField(err) != "band" {
		t.Errorf("Band -1: err = %v, want EINVALID on band", err)
	}
	if _, err := Align(ctx, nil, nil, Options{MinConfidence: 1.5}); tolk.ErrorCode(err) != tolk.EINVALID {
		t.Errorf("MinConfidence 1.5: err = %v, want EINVALID", err)
	}
	if _, err := Align(ctx, make([]string, MaxSentences+1), []string{"x"}, Options{}); tolk.ErrorCode(err) != tolk.ELIMIT {
		t.Errorf("too many sentences: err = %v, want ELIMIT", err)
	}
	many := make([]string, 5000)
	if _, err := Align(ctx, many, many, Options{Band: 5000}); tolk.ErrorCode(err) != tolk.EINVALID || tolk.ErrorField(err) != "band" {
		t.Errorf("huge band: err = %v, want EINVALID on band", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Align(cctx, []string{"a"}, []string{"b"}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
}

type mapLexicon map[string][]string

func (l mapLexicon) Translations(s string) []Anchor {
	var out []Anchor
	for nl, en := range l {
		if i := strings.Index(s, nl); i >= 0 {
			out = append(out, Anchor{Start: i, End: i + len(nl), English: en})
		}
	}
	return out
}

func TestLexiconRaisesConfidence(t *testing.T) {
	nl, en := "De staatssecretaris sprak met de ambassadeur.", "The junior minister spoke to the envoy."
	lex := mapLexicon{"staatssecretaris": {"junior minister", "state secretary"}, "ambassadeur": {"envoy"}}
	without, with := PairConfidence(nl, en, nil), PairConfidence(nl, en, lex)
	if with <= without {
		t.Errorf("PairConfidence with lexicon %.4f, without %.4f: want higher with", with, without)
	}
}

func TestAlignTexts(t *testing.T) {
	nl := "De minister bezoekt Washington. Hij spreekt er met de president.\n\nHet akkoord is 1,5 miljard euro waard."
	en := "The minister visits Washington. He talks with the president there.\n\nThe agreement is worth 1.5 billion euros."
	a, err := AlignTexts(context.Background(), nl, en, segment.Split, segment.Split, Options{MinConfidence: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	kept, dropped := a.Pairs()
	if len(kept) != 3 || len(dropped) != 0 {
		t.Fatalf("Pairs = %+v / %+v, want 3 kept", kept, dropped)
	}
	if kept[2].NL != "Het akkoord is 1,5 miljard euro waard." || kept[2].EN != "The agreement is worth 1.5 billion euros." {
		t.Errorf("pair 2 = %+v", kept[2])
	}
}

func TestTailCost(t *testing.T) {
	for _, d := range []float64{0, 0.3, 1, 1.96, 3.3, 7.99, 8, 12} {
		want := -math.Log(math.Erfc(d / math.Sqrt2))
		if got := tailCost(d); math.Abs(got-want) > 0.01*max(1, want) {
			t.Errorf("tailCost(%v) = %v, want %v", d, got, want)
		}
	}
}

func TestUnionIDs(t *testing.T) {
	got := unionIDs([]int32{1, 3, 5, 9}, []int32{2, 3, 9, 10})
	if want := []int32{1, 2, 3, 5, 9, 10}; !slices.Equal(got, want) {
		t.Errorf("unionIDs = %v, want %v", got, want)
	}
}

func TestLexiconKeys(t *testing.T) {
	lex := mapLexicon{"staatssecretaris": {"junior minister", "State Secretary"}}
	nl := []string{"De staatssecretaris komt.", "Niets."}
	en := []string{"The state secretary is coming.", "The junior minister, the state secretary.", "Nothing."}
	nlKeys, enKeys := lexiconKeys(lex, nl, en)
	if len(nlKeys[0]) != 1 || len(nlKeys[1]) != 0 {
		t.Fatalf("Dutch keys = %v, want one group key for sentence 0", nlKeys)
	}
	if !slices.Contains(enKeys[0], nlKeys[0][0]) || !slices.Contains(enKeys[1], nlKeys[0][0]) || len(enKeys[2]) != 0 {
		t.Errorf("English keys = %v, want the group key in sentences 0 and 1 only", enKeys)
	}
	if nlKeys, enKeys := lexiconKeys(nil, nl, en); nlKeys != nil || enKeys != nil {
		t.Errorf("nil lexicon gave keys")
	}
}

func TestAlignConcurrent(t *testing.T) {
	nl := []string{"De minister bezoekt op 26 september Washington.", "Hij spreekt er met de president.", "Het akkoord is 1,5 miljard euro waard."}
	en := []string{"The minister visits Washington on September 26.", "He talks with the president there.", "The agreement is worth 1.5 billion euros."}
	want, err := Align(context.Background(), nl, en, Options{})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			got, err := Align(context.Background(), nl, en, Options{})
			if err == nil && len(got) != len(want) {
				err = fmt.Errorf("got %d beads, want %d", len(got), len(want))
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
