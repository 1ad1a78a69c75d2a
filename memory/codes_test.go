package memory

import (
	"slices"
	"testing"
)

// TestCodeCorrespondence: target codes find their source codes by x, i,
// content or order within their kind, whatever their order in the target.
func TestCodeCorrespondence(t *testing.T) {
	b, e := Code{Kind: "bpt", I: "1", Content: "&lt;b&gt;"}, Code{Kind: "ept", I: "1", Content: "&lt;/b&gt;"}
	i1, i2 := Code{Kind: "bpt", I: "2", Content: "&lt;i&gt;"}, Code{Kind: "ept", I: "2", Content: "&lt;/i&gt;"}
	for _, tc := range []struct {
		name     string
		src, tgt []Code
		want     []int
	}{
		{"one list", []Code{b, e}, []Code{b, e}, []int{0, 1}},
		{"pairs swapped by i", []Code{b, e, i1, i2}, []Code{i1, i2, b, e}, []int{2, 3, 0, 1}},
		{"by x", []Code{{Kind: "ph", X: "1"}, {Kind: "ph", X: "2"}}, []Code{{Kind: "ph", X: "2"}, {Kind: "ph", X: "1"}}, []int{1, 0}},
		{"by content", []Code{{Kind: "ph", Content: "a"}, {Kind: "ph", Content: "b"}}, []Code{{Kind: "ph", Content: "b"}, {Kind: "ph", Content: "a"}}, []int{1, 0}},
		{"by order", []Code{{Kind: "ph", Content: "a"}, {Kind: "ph", Content: "b"}}, []Code{{Kind: "ph", Content: "c"}, {Kind: "ph", Content: "d"}}, []int{0, 1}},
		{"target only", []Code{{Kind: "ph"}}, []Code{{Kind: "ph"}, {Kind: "it"}}, []int{0, -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := codeCorrespondence(tc.src, tc.tgt); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestPlaceCodesReordered: a TMX unit whose target has its two pairs in the
// other order; the draft gives each target code the query's number of its
// source code.
func TestPlaceCodesReordered(t *testing.T) {
	b, e := Code{Kind: "bpt", I: "1", Content: "&lt;b&gt;"}, Code{Kind: "ept", I: "1", Content: "&lt;/b&gt;"}
	i1, i2 := Code{Kind: "bpt", I: "2", Content: "&lt;i&gt;"}, Code{Kind: "ept", I: "2", Content: "&lt;/i&gt;"}
	u := Unit{
		Source: "\uE000Rood\uE001 en \uE002groen\uE003.", SourceCodes: []Code{b, e, i1, i2},
		Target: "\uE000Green\uE001 and \uE002red\uE003.", TargetCodes: []Code{i1, i2, b, e},
	}
	q, up := prepare("\uE000Rood\uE001 en \uE002blauw\uE003.", false), prepare(u.Source, false)
	_, _, pairs := align(q, up)
	got, pl := placeCodes(q, up, pairs, &u, u.Target)
	if want := "\uE002Green\uE003 and \uE000red\uE001."; got != want || pl.Moved != nil || pl.Dropped != nil || pl.Unplaced != nil {
		t.Errorf("draft %q %+v, want %q and nothing reported", got, pl, want)
	}
}
