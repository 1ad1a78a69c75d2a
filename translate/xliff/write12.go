package xliff

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/tolkdev/tolk"
)

// nsCore12 is the namespace of XLIFF 1.2 documents.
const nsCore12 = "urn:oasis:names:tc:xliff:document:1.2"

// noteFromGlossary is the from of the notes in which Write12 lists a
// segment's glossary hits; Read skips them.
const noteFromGlossary = "tolk-glossary"

// Write12 writes d to w as an XLIFF 1.2 document that validates against the
// OASIS XLIFF 1.2 strict schema, for the tools that read no later version
// (OmegaT 3.6, translate-toolkit's xliff2po, older CAT tools).
//
// Each unit becomes a <group> holding one <trans-unit> per segment, whose
// id is the segment's id (segment ids must therefore be unique in their
// file, as translate.XLIFF makes them); the unit's notes go with its first
// segment, since tools show the notes of trans-units. Read gives back one
// unit per trans-unit. Translation candidates become <alt-trans> elements
// with match-quality (the similarity) and origin; glossary hits are marked
// in the source with <mrk mtype="term"> and listed, with their translation
// and status, in <note from="tolk-glossary"> elements, which every tool
// shows and Read skips. States map
// onto 1.2's: initial → new, translated → translated, reviewed →
// signed-off, final → final, so Read gives back the states written; a
// reviewed or final translation is also approved="yes".
// A segment's StateQualifier becomes its target's state-qualifier; a
// candidate's Tool its alt-trans tool-id, each tool declared once as a
// <tool> in the file's <header>, as the schema's keyref needs. Read gives
// back both and the candidates. Inline-code placeholder runes become <x/>
// elements. A candidate's Ref has no place in 1.2 (the strict schema
// refuses foreign attributes) and is not written.
//
// Write12 checks d as Write does, and also that the segment ids of each
// file are unique, before writing anything.
func Write12(w io.Writer, d Document) error {
	plan, err := check(&d)
	if err != nil {
		return err
	}
	if err := uniqueSegmentIDs(plan); err != nil {
		return err
	}
	x := &xw{w: bufio.NewWriterSize(w, 32<<10)}
	x.str(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.str(`<xliff xmlns="` + nsCore12 + `" version="1.2">` + "\n")
	for fi := range d.Files {
		f := &d.Files[fi]
		x.str(` <file`)
		x.attr("original", cmp.Or(f.Original, plan.files[fi]))
		x.attr("source-language", cmp.Or(d.SrcLang, "nl"))
		x.attr("target-language", cmp.Or(d.TrgLang, "en"))
		x.str(` datatype="plaintext">` + "\n")
		x.header12(f)
		x.str("  <body>\n")
		for ui := range f.Units {
			x.unit12(&f.Units[ui], plan.units[fi][ui], plan.segs[fi][ui], cmp.Or(d.TrgLang, "en"))
			if x.err != nil {
				return fmt.Errorf("writing XLIFF 1.2: %w", x.err)
			}
		}
		x.str("  </body>\n </file>\n")
	}
	x.str("</xliff>\n")
	if x.err == nil {
		x.err = x.w.Flush()
	}
	if x.err != nil {
		return fmt.Errorf("writing XLIFF 1.2: %w", x.err)
	}
	return nil
}

// uniqueSegmentIDs returns an EINVALID error when two segments of one file
// share an id: in XLIFF 1.2 they become trans-units, whose ids the schema
// keys per file.
func uniqueSegmentIDs(p ids) error {
	for fi, units := range p.segs {
		seen := make(map[string]bool)
		for ui, segs := range units {
			for si, id := range segs {
				if seen[id] {
					return tolk.Invalidf(fmt.Sprintf("Files[%d].Units[%d].Segments[%d].ID", fi, ui, si),
						"%q is the id of another segment of the file; XLIFF 1.2 needs segment ids unique in their file", id)
				}
				seen[id] = true
			}
		}
	}
	return nil
}

// state12 maps a segment state onto XLIFF 1.2's target states.
func state12(s string) string {
	switch s {
	case StateTranslated:
		return "translated"
	case StateReviewed:
		return "signed-off"
	case StateFinal:
		return "final"
	}
	return "new"
}

func (x *xw) unit12(u *Unit, id string, segIDs []string, trgLang string) {
	x.str(`   <group`)
	x.attr("id", id)
	x.str(">\n")
	for si := range u.Segments {
		var notes []string
		if si == 0 {
			notes = u.Notes
		}
		x.segment12(&u.Segments[si], segIDs[si], trgLang, notes)
	}
	x.str("   </group>\n")
}

func (x *xw) segment12(s *Segment, sid, trgLang string, notes []string) {
	x.str(`    <trans-unit`)
	x.attr("id", sid)
	if s.Target != "" && (s.State == StateReviewed || s.State == StateFinal) {
		x.str(` approved="yes"`)
	}
	x.str(` xml:space="preserve">` + "\n     <source>")
	placed := termsPlaced(s.Terms)
	var spans []span
	for ti, t := range s.Terms {
		if placed[ti] {
			spans = append(spans, span{t.Start, t.End, `<mrk mtype="term" mid="` + sid + `-t` + strconv.Itoa(ti) + `">`})
		}
	}
	slices.SortStableFunc(spans, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end))
	})
	x.content12(s.Source, s.Codes, spans)
	x.str("</source>\n")
	if s.Target != "" {
		x.str(`     <target`)
		x.attr("state", state12(s.State))
		if s.StateQualifier != "" {
			x.attr("state-qualifier", s.StateQualifier)
		}
		x.str(">")
		x.content12(s.Target, s.Codes, nil)
		x.str("</target>\n")
	}
	for _, n := range notes {
		x.str("     <note>")
		x.text(n, false)
		x.str("</note>\n")
	}
	for _, t := range s.Terms {
		x.str(`     <note from="` + noteFromGlossary + `" annotates="source">`)
		x.text(termNote(t), false)
		x.str("</note>\n")
	}
	for _, m := range s.Matches {
		x.str(`     <alt-trans`)
		x.attr("match-quality", decimal(m.Similarity))
		if m.Origin != "" {
			x.attr("origin", m.Origin)
		}
		if m.Tool != "" {
			x.attr("tool-id", m.Tool)
		}
		x.str(">\n      <source>")
		x.content12(m.Source, nil, nil)
		x.str("</source>\n      <target")
		x.attr("xml:lang", trgLang)
		x.str(">")
		x.content12(m.Target, nil, nil)
		x.str("</target>\n     </alt-trans>\n")
	}
	x.str("    </trans-unit>\n")
}

// header12 writes the <header> of a file whose candidates name tools: a
// <tool> for each tool id, in order of first use, as the schema's keyref
// from alt-trans tool-id requires.
func (x *xw) header12(f *File) {
	var tools []string
	for _, u := range f.Units {
		for _, s := range u.Segments {
			for _, m := range s.Matches {
				if m.Tool != "" && !slices.Contains(tools, m.Tool) {
					tools = append(tools, m.Tool)
				}
			}
		}
	}
	if len(tools) == 0 {
		return
	}
	x.str("  <header>\n")
	for _, t := range tools {
		x.str("   <tool")
		x.attr("tool-id", t)
		name := t
		if t == ToolTolk {
			name = "Tolk"
		}
		x.attr("tool-name", name)
		x.str("/>\n")
	}
	x.str("  </header>\n")
}

// termNote is the note that lists a glossary hit: "term → translation
// (status)", with the definition after a dash when there is one.
func termNote(t Term) string {
	var b strings.Builder
	b.WriteString(t.Source)
	if t.Translation != "" {
		b.WriteString(" → " + t.Translation)
	}
	if t.Status != "" {
		b.WriteString(" (" + t.Status + ")")
	}
	if t.Definition != "" {
		b.WriteString(" — " + t.Definition)
	}
	return b.String()
}

// content12 writes inline content as XLIFF 1.2, spans as <mrk>. A code
// placeholder that codes names becomes an element holding the code's data
// as native code: <ph> for a standalone code, <bpt> and <ept> for the
// halves of a pair in s, <it> for a half whose other half is not in s; one
// that codes does not name becomes <x/>. Characters XML 1.0 cannot carry,
// which 1.2 has no element for, become U+FFFD.
func (x *xw) content12(s string, codes []Code, spans []span) {
	closes := pairCodes(s, codes)
	x.inline(s, spans, func(b []byte, n int) []byte {
		if n >= len(codes) {
			return fmt.Appendf(b, `<x id="%d"/>`, n)
		}
		var elem string
		switch cd := codes[n]; {
		case cd.Kind == CodeOpen && closed(closes, n):
			b, elem = fmt.Appendf(b, `<bpt id="%d">`, n), "bpt"
		case cd.Kind == CodeOpen:
			b, elem = fmt.Appendf(b, `<it id="%d" pos="open">`, n), "it"
		case cd.Kind == CodeClose && closes[n] >= 0:
			b, elem = fmt.Appendf(b, `<ept id="%d">`, closes[n]), "ept"
		case cd.Kind == CodeClose:
			b, elem = fmt.Appendf(b, `<it id="%d" pos="close">`, n), "it"
		default:
			b, elem = fmt.Appendf(b, `<ph id="%d">`, n), "ph"
		}
		for _, r := range codes[n].Data {
			b = appendEscaped(b, r, false)
		}
		return append(b, "</"+elem+">"...)
	}, false)
}
