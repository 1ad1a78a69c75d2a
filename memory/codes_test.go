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
		Source: "\U00100000Rood\U00100001 en \U00100002groen\U00100003.", SourceCodes: []Code{b, e, i1, i2},
		Target: "\U00100000Green\U00100001 and \U00100002red\U00100003.", TargetCodes: []Code{i1, i2, b, e},
	}
	q, up := prepare("\U00100000Rood\U00100001 en \U00100002blauw\U00100003.", false), prepare(u.Source, false)
	_, _, pairs := align(q, up)
	got, pl := placeCodes(q, up, pairs, &u, u.Target)
	if want := "\U00100002Green\U00100003 and \U00100000red\U00100001."; got != want || pl.Moved != nil || pl.Dropped != nil || pl.Unplaced != nil {
		t.Errorf("draft %q %+v, want %q and nothing reported", got, pl, want)
	}
}

// TestLegacyCodeRunes: a unit stored by codec version 1, whose codes stood
// as U+E000+n, reads back with the plane-16 code runes, and its code
// tokens hash as they did, so the index records written then stay valid.
func TestLegacyCodeRunes(t *testing.T) {
	u := Unit{Source: "\uE000Rood\uE001 is \uE002.", Target: "\uE000Red\uE001 is \uE002.", PrevSource: "Vorige\uE000",
		SourceCodes: []Code{{Kind: "bpt", I: "1"}, {Kind: "ept", I: "1"}, {Kind: "ph"}}, TargetCodes: []Code{{Kind: "bpt", I: "1"}, {Kind: "ept", I: "1"}, {Kind: "ph"}}}
	b := encodeUnit(nil, &u)
	b[0] = unitCodecVersionV1
	var got Unit
	if err := decodeUnit(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Source != "\U00100000Rood\U00100001 is \U00100002." || got.Target != "\U00100000Red\U00100001 is \U00100002." || got.PrevSource != "Vorige\U00100000" {
		t.Errorf("decoded %q → %q (prev %q)", got.Source, got.Target, got.PrevSource)
	}
	if src, err := peekSource(b); err != nil || src != got.Source {
		t.Errorf("peekSource = %q, %v; want %q", src, err, got.Source)
	}
	if foldHash("\U00100002") != foldHash("\uE002") {
		t.Error("a code token hashes otherwise than in version 1")
	}
	if prepare("\uF0B7", false).toks[0].kind != kPunct {
		t.Error("U+F0B7 is a code token; want punctuation (text)")
	}
}
