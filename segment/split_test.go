package segment

import "testing"

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
