package translate_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/translate"
)

// TestStreamMatchesEach checks that Stream, reading the text in small
// pieces, gives the same segments as Each on the whole text: the same
// offsets, context (neighbours) and matches.
func TestStreamMatchesEach(t *testing.T) {
	units, err := seeds.Units()
	if err != nil {
		t.Fatal(err)
	}
	concepts, err := seeds.Concepts()
	if err != nil {
		t.Fatal(err)
	}
	p := newPipeline(t, units, concepts)
	article := seeds.Article()
	tests := []struct{ name, text string }{
		{"one sentence", "De minister bezocht de ambassade."},
		{"two sentences", "De minister bezocht de ambassade. Het staakt-het-vuren geldt."},
		{"seed article", article},
		{"seed article three times", strings.Repeat(article+"\n\n", 3)},
		{"blank", " \n "},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := collect(t, func(fn func(translate.AlignedSegment) error) error {
				return p.Each(ctx, tt.text, translate.Options{}, fn)
			})
			got := collect(t, func(fn func(translate.AlignedSegment) error) error {
				return p.Stream(ctx, iotest.HalfReader(strings.NewReader(tt.text)), translate.Options{}, fn)
			})
			if len(got) != len(want) {
				t.Fatalf("Stream gave %d segments, Each %d", len(got), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("segment %d:\nStream %+v\nEach   %+v", i, got[i], want[i])
				}
			}
		})
	}
}

func collect(t *testing.T, run func(func(translate.AlignedSegment) error) error) []translate.AlignedSegment {
	t.Helper()
	var out []translate.AlignedSegment
	if err := run(func(a translate.AlignedSegment) error { out = append(out, a); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}
