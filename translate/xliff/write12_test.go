package xliff

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tolkdev/tolk"
)

// sampleDocument12 is sampleDocument with segment ids unique per file, as
// XLIFF 1.2 needs them.
func sampleDocument12() Document {
	d := sampleDocument()
	d.Files[0].Units[1].Segments[0].ID = "s3"
	return d
}

func write12String(t *testing.T, d Document) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write12(&b, d); err != nil {
		t.Fatalf("Write12: %v", err)
	}
	return b.Bytes()
}

func TestWrite12Golden(t *testing.T) {
	checkGolden(t, "sample12.xlf", write12String(t, sampleDocument12()))
}

func TestWrite12Validates(t *testing.T) {
	xmllintSchema(t, write12String(t, sampleDocument12()), "schemas/xliff-1.2/xliff-core-1.2-strict.xsd")
	// A minimal document: one segment without target, candidates or terms.
	xmllintSchema(t, write12String(t, Document{Files: []File{{Units: []Unit{{Segments: []Segment{{Source: "Ja."}}}}}}}),
		"schemas/xliff-1.2/xliff-core-1.2-strict.xsd")
}

// TestWrite12RoundTrip reads back what Write12 wrote: every segment with
// its id, source, target, state and codes, every unit's notes.
func TestWrite12RoundTrip(t *testing.T) {
	in := sampleDocument12()
	out, err := Read(bytes.NewReader(write12String(t, in)))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if out.SrcLang != in.SrcLang || out.TrgLang != in.TrgLang {
		t.Errorf("languages %s→%s, want %s→%s", out.SrcLang, out.TrgLang, in.SrcLang, in.TrgLang)
	}
	var want, got []Segment
	for _, f := range in.Files {
		for _, u := range f.Units {
			want = append(want, u.Segments...)
		}
	}
	for _, f := range out.Files {
		for _, u := range f.Units {
			got = append(got, u.Segments...)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("read %d segments, wrote %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		// XML cannot carry U+0003: Write12 writes U+FFFD for it.
		wsrc := strings.ReplaceAll(w.Source, "\u0003", "\uFFFD")
		wtrg := strings.ReplaceAll(w.Target, "\u0003", "\uFFFD")
		if g.ID != w.ID || g.Source != wsrc || g.Target != wtrg || g.State != w.State {
			t.Errorf("segment %d: read %q %q %q %s, wrote %q %q %q %s", i, g.ID, g.Source, g.Target, g.State, w.ID, wsrc, wtrg, w.State)
		}
		if len(g.Codes) != len(w.Codes) {
			t.Errorf("segment %d: read %d codes, wrote %d", i, len(g.Codes), len(w.Codes))
			continue
		}
		for n := range w.Codes {
			if g.Codes[n].Kind != w.Codes[n].Kind || g.Codes[n].Data != w.Codes[n].Data {
				t.Errorf("segment %d code %d: read %+v, wrote %+v", i, n, g.Codes[n], w.Codes[n])
			}
		}
	}
}

func TestWrite12RefusesRepeatedSegmentIDs(t *testing.T) {
	var b bytes.Buffer
	err := Write12(&b, sampleDocument()) // s1 twice in file f1
	if tolk.ErrorCode(err) != tolk.EINVALID || tolk.ErrorField(err) != "Files[0].Units[1].Segments[0].ID" {
		t.Fatalf("Write12 = %v (field %q), want EINVALID on Files[0].Units[1].Segments[0].ID", err, tolk.ErrorField(err))
	}
	if b.Len() != 0 {
		t.Errorf("Write12 wrote %d bytes before refusing", b.Len())
	}
}

// TestWrite12ToolsAndQualifier: candidates' tools become a <tool> in the
// file's header and alt-trans tool-id, a target's state-qualifier is
// written; the result validates against the strict schema, and Read gives
// back the qualifier and each candidate with its tool, origin, similarity
// and text.
func TestWrite12ToolsAndQualifier(t *testing.T) {
	seg := Segment{ID: "s1", Source: "Ja.", Target: "Ja.", State: StateInitial, StateQualifier: QualifierSourceCopy,
		Matches: []Match{
			{Similarity: 100, Origin: "seed", Tool: ToolTolk, Source: "Ja.", Target: "Yes."},
			{Similarity: 75.5, Origin: "mt", Tool: "other-mt", Source: "Ja!", Target: "Yes!"},
			{Similarity: 70, Origin: "seed", Tool: ToolTolk, Source: "Ja?", Target: "Yes?"},
		}}
	data := write12String(t, Document{Files: []File{{Units: []Unit{{Segments: []Segment{seg}}}}}})
	xmllintSchema(t, data, "schemas/xliff-1.2/xliff-core-1.2-strict.xsd")
	if n := bytes.Count(data, []byte("<tool ")); n != 2 {
		t.Errorf("wrote %d <tool> elements, want 2 (one per tool):\n%s", n, data)
	}
	d, err := Read(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	got := d.Files[0].Units[0].Segments[0]
	if got.StateQualifier != QualifierSourceCopy || got.State != StateInitial {
		t.Errorf("read state %q qualifier %q, want %q %q", got.State, got.StateQualifier, StateInitial, QualifierSourceCopy)
	}
	if len(got.Matches) != len(seg.Matches) {
		t.Fatalf("read %d candidates, wrote %d", len(got.Matches), len(seg.Matches))
	}
	for i, m := range seg.Matches {
		m.Type = "" // 1.2 has no place for the match type
		if got.Matches[i] != m {
			t.Errorf("candidate %d: read %+v, wrote %+v", i, got.Matches[i], m)
		}
	}
}
