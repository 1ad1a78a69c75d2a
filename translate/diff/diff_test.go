package diff

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want []Op
	}{
		{"both empty", "", "", nil},
		{"a empty", "", "De kat.", []Op{{Delete, "De kat."}}},
		{"b empty", "De kat.", "", []Op{{Insert, "De kat."}}},
		{"equal", "De kat slaapt.", "De kat slaapt.", []Op{{Equal, "De kat slaapt."}}},
		{"one word replaced", "De kat slaapt.", "De hond slaapt.",
			[]Op{{Equal, "De "}, {Delete, "hond "}, {Insert, "kat "}, {Equal, "slaapt."}}},
		{"word inserted", "De zwarte kat slaapt.", "De kat slaapt.",
			[]Op{{Equal, "De "}, {Insert, "zwarte "}, {Equal, "kat slaapt."}}},
		{"word deleted at end", "De kat", "De kat slaapt",
			[]Op{{Equal, "De kat"}, {Delete, " slaapt"}}},
		{"punctuation is a token", "Ja, nee.", "Ja nee.",
			[]Op{{Equal, "Ja"}, {Delete, " "}, {Insert, ", "}, {Equal, "nee."}}},
		{"numbers are tokens", "Het kost 1.250,50 euro.", "Het kost 99 euro.",
			[]Op{{Equal, "Het kost "}, {Delete, "99 "}, {Insert, "1.250,50 "}, {Equal, "euro."}}},
		{"case counts", "de Kat", "de kat", []Op{{Equal, "de "}, {Delete, "kat"}, {Insert, "Kat"}}},
		{"whitespace differs only", "De  kat", "De kat",
			[]Op{{Equal, "De"}, {Delete, " "}, {Insert, "  "}, {Equal, "kat"}}},
		{"trailing space", "De kat ", "De kat", []Op{{Equal, "De kat"}, {Insert, " "}}},
		{"leading space", "  De kat", "De kat", []Op{{Insert, "  "}, {Equal, "De kat"}}},
		{"code placeholders", "Klik \U00100000hier\U00100001.", "Klik hier.",
			[]Op{{Equal, "Klik "}, {Insert, "\U00100000"}, {Equal, "hier"}, {Insert, "\U00100001"}, {Equal, "."}}},
		{"all different", "aap noot", "mies wim",
			[]Op{{Delete, "mies wim"}, {Insert, "aap noot"}}},
		{"moved word", "b c a", "a b c",
			[]Op{{Delete, "a "}, {Equal, "b c"}, {Insert, " a"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Words(tt.a, tt.b)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Words(%q, %q)\n got %q\nwant %q", tt.a, tt.b, got, tt.want)
			}
			checkOps(t, tt.a, tt.b, got)
		})
	}
}

// checkOps checks the ops rebuild a and b, are merged, and have no empty
// text.
func checkOps(t *testing.T, a, b string, ops []Op) {
	t.Helper()
	var ra, rb strings.Builder
	for i, op := range ops {
		if op.Text == "" {
			t.Errorf("op %d (%v) is empty", i, op.Kind)
		}
		if i > 0 && ops[i-1].Kind == op.Kind {
			t.Errorf("ops %d and %d are both %v: not merged", i-1, i, op.Kind)
		}
		switch op.Kind {
		case Equal:
			ra.WriteString(op.Text)
			rb.WriteString(op.Text)
		case Insert:
			ra.WriteString(op.Text)
		case Delete:
			rb.WriteString(op.Text)
		default:
			t.Errorf("op %d has kind %d", i, op.Kind)
		}
	}
	if ra.String() != a {
		t.Errorf("Equal+Insert = %q, want a = %q", ra.String(), a)
	}
	if rb.String() != b {
		t.Errorf("Equal+Delete = %q, want b = %q", rb.String(), b)
	}
}

// lcs returns the length of the longest common subsequence of the tokens
// of a and b, by dynamic programming.
func lcs(a, b []piece) int {
	a, b = realTokens(a), realTokens(b)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i].tok == b[j].tok {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// randomText builds a string from a small vocabulary so that random pairs
// share tokens, with random whitespace between them.
func randomText(r *rand.Rand, n int) string {
	words := []string{"de", "kat", "hond", "slaapt", ".", ",", "1,5", "niet", "De", "\U00100000", "één"}
	spaces := []string{" ", " ", " ", "", "  ", "\n", "\t"}
	var b strings.Builder
	if r.IntN(5) == 0 {
		b.WriteString(" ")
	}
	for range n {
		b.WriteString(words[r.IntN(len(words))])
		b.WriteString(spaces[r.IntN(len(spaces))])
	}
	return b.String()
}

func TestWordsProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		a, b := randomText(r, r.IntN(30)), randomText(r, r.IntN(30))
		if i%3 == 0 { // mostly similar pairs, as fuzzy matches are
			b = mutate(r, a)
		}
		ops := Words(a, b)
		checkOps(t, a, b, ops)
		// Shortest: the Equal ops hold as many tokens as the LCS.
		want := lcs(pieces(a), pieces(b))
		got := countTokens(ops)
		if got != want {
			t.Fatalf("Words(%q, %q): %d equal tokens, LCS has %d\nops %q", a, b, got, want, ops)
		}
		if t.Failed() {
			t.Fatalf("a=%q b=%q ops=%q", a, b, ops)
		}
	}
}

func countTokens(ops []Op) int {
	n := 0
	for _, op := range ops {
		if op.Kind == Equal {
			for _, p := range pieces(op.Text) {
				if p.tok != "" {
					n++
				}
			}
		}
	}
	return n
}

func mutate(r *rand.Rand, s string) string {
	ps := pieces(s)
	var b strings.Builder
	for _, p := range ps {
		switch r.IntN(8) {
		case 0: // drop
		case 1:
			b.WriteString("nieuw ")
			b.WriteString(p.tok + p.ws)
		default:
			b.WriteString(p.tok + p.ws)
		}
	}
	return b.String()
}

func TestWordsLimit(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	// Two unrelated long inputs: more edits than MaxEdits.
	var a, b strings.Builder
	for i := range 1200 {
		a.WriteString("a")
		a.WriteString(strings.Repeat("x", i%7+1))
		a.WriteString(" ")
		b.WriteString("b")
		b.WriteString(strings.Repeat("y", r.IntN(5)+1))
		b.WriteString(" ")
	}
	x := "Begin " + a.String() + "einde."
	y := "Begin " + b.String() + "einde."
	ops := Words(x, y)
	checkOps(t, x, y, ops)
	want := []Kind{Equal, Delete, Insert, Equal}
	if len(ops) != len(want) {
		t.Fatalf("got %d ops, want the coarse %v", len(ops), want)
	}
	for i, k := range want {
		if ops[i].Kind != k {
			t.Errorf("op %d is %v, want %v", i, ops[i].Kind, k)
		}
	}
}

func longPair(n, edits int) (string, string) {
	r := rand.New(rand.NewPCG(5, 6))
	words := strings.Fields("de het een kat hond huis boom water regering minister beleid wet , . 2026 Europese Unie")
	var a []string
	for range n {
		a = append(a, words[r.IntN(len(words))])
	}
	b := append([]string(nil), a...)
	for range edits {
		b[r.IntN(len(b))] = "anders"
	}
	return strings.Join(a, " "), strings.Join(b, " ")
}

func BenchmarkWords(b *testing.B) {
	for _, bc := range []struct {
		name     string
		n, edits int
	}{{"sentence25_2edits", 25, 2}, {"tokens1000_10edits", 1000, 10}, {"tokens1000_200edits", 1000, 200}} {
		x, y := longPair(bc.n, bc.edits)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Words(x, y)
			}
		})
	}
	b.Run("tokens1000_unrelated", func(b *testing.B) {
		x, _ := longPair(1000, 0)
		y := strings.Repeat("zz ", 1000)
		b.ReportAllocs()
		for b.Loop() {
			Words(x, y)
		}
	})
}

func realTokens(ps []piece) []piece {
	var out []piece
	for _, p := range ps {
		if p.tok != "" {
			out = append(out, p)
		}
	}
	return out
}

// FuzzWords checks that the ops rebuild any two strings.
//
//	go test -run XXX -fuzz FuzzWords -fuzztime 60s ./translate/diff
func FuzzWords(f *testing.F) {
	f.Add("De kat slaapt.", "De hond slaapt niet.")
	f.Add("  a\tb ", "a b")
	f.Add("\xff\U00100000", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		checkOps(t, a, b, Words(a, b))
	})
}

func TestWordsMaxTokens(t *testing.T) {
	a := "Begin " + strings.Repeat("a b ", MaxTokens/2) + "einde."
	b := "Begin " + strings.Repeat("b a ", MaxTokens/2) + "einde."
	ops := Words(a, b)
	checkOps(t, a, b, ops)
	if len(ops) != 4 || ops[1].Kind != Delete || ops[2].Kind != Insert {
		t.Errorf("got %d ops, want the coarse equal, delete, insert, equal", len(ops))
	}
}
