package segment

import (
	"context"
	"strings"
	"testing"
)

func TestSplitCoversInput(t *testing.T) {
	in := "Titel zonder punt\n\nEen zin. Nog een zin! En nu?  Klaar.\n"
	segs := Split(in)
	want := []string{"Titel zonder punt", "Een zin.", "Nog een zin!", "En nu?", "Klaar."}
	if len(segs) != len(want) {
		t.Fatalf("Split = %+v, want %q", segs, want)
	}
	for i, s := range segs {
		if s.Text != want[i] || in[s.Start:s.End] != s.Text {
			t.Errorf("segment %d = %+v, want %q", i, s, want[i])
		}
	}
}

// TestSplitDropsByteOrderMark: a text that starts with a byte order mark
// (a file saved by Windows tools) splits as the same text without it, with
// offsets into the text as given, in Split and in Stream.
func TestSplitDropsByteOrderMark(t *testing.T) {
	in := "\uFEFFDe minister belt. De president antwoordt.\n"
	segs := Split(in)
	if len(segs) != 2 || segs[0].Text != "De minister belt." || segs[0].Start != 3 || in[segs[0].Start:segs[0].End] != segs[0].Text {
		t.Fatalf("Split = %+v, want the first segment without the mark, at 3", segs)
	}
	var streamed []Segment
	if err := Dutch().Stream(context.Background(), strings.NewReader(in), func(s Segment) error {
		streamed = append(streamed, s)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(streamed) != 2 || streamed[0] != segs[0] {
		t.Errorf("Stream = %+v, want %+v", streamed, segs)
	}
}
