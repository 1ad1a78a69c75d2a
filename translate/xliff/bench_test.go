package xliff

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/tolkdev/tolk/internal/shareddata"
)

// BenchmarkRead reads the largest real files of the corpus.
//
//	go test -run XXX -bench Read ./translate/xliff
func BenchmarkRead(b *testing.B) {
	for _, rel := range []string{"real_nl/wise-client-messages.nl.xlf.gz", "okapi_xliff12_tests/SF-12-Test01.xlf"} {
		in, err := io.ReadAll(openTB(b, shareddata.Path(b, "xliff/"+rel)))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(rel, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Read(bytes.NewReader(in)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// bigDocument is a 1,000-unit article of 3 segments each, every segment
// with two candidates and two terms.
func bigDocument() Document {
	var units []Unit
	src := "De minister van Buitenlandse Zaken reist volgende week naar Brussel voor overleg."
	for i := range 1000 {
		var ss []Segment
		for j := range 3 {
			ss = append(ss, Segment{
				ID: fmt.Sprintf("s%d", j+1), Source: src, Target: "The Minister of Foreign Affairs travels to Brussels next week for talks.",
				State: StateTranslated,
				Matches: []Match{
					{Similarity: 100, Origin: "memory:nieuws", Type: MatchTM, Source: src, Target: "The Minister of Foreign Affairs travels to Brussels next week for talks."},
					{Similarity: 81.5, Origin: "memory:eu", Type: MatchTM, Source: "De minister reist naar Brussel.", Target: "The minister travels to Brussels."},
				},
				Terms: []Term{
					{Source: "minister van Buitenlandse Zaken", Translation: "Minister of Foreign Affairs", Status: "preferred", Start: 3, End: 34},
					{Source: "Brussel", Translation: "Brussels", Start: 60, End: 67},
				},
			})
		}
		units = append(units, Unit{ID: fmt.Sprintf("p%d", i+1), Segments: ss})
	}
	return Document{Files: []File{{ID: "f1", Units: units}}}
}

// BenchmarkWrite writes bigDocument.
//
//	go test -run XXX -bench Write ./translate/xliff
func BenchmarkWrite(b *testing.B) {
	d := bigDocument()
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}
