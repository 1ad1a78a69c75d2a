package translate

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/memory/tmx"
	"github.com/tolkdev/tolk/translate/xliff"
)

// paragraphs groups segments by paragraph: a blank line in text between two
// segments starts a new paragraph. The caller owes segments of text, in
// order.
func paragraphs(text string, segs []AlignedSegment) [][]AlignedSegment {
	var out [][]AlignedSegment
	for i, s := range segs {
		if i == 0 || isParagraphBreak(text[segs[i-1].End:s.Start]) {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], s)
	}
	return out
}

func isParagraphBreak(between string) bool {
	return strings.Count(strings.ReplaceAll(between, "\r", ""), "\n") >= 2
}

// XLIFF returns the translated text as an XLIFF 2.1 document (nl → en):
// one unit per paragraph, one segment per sentence, the best match and the
// alternatives in the Translation Candidates module and the glossary hits
// in the Glossary module. A segment with a draft is in state "initial", so
// a translator confirms it. name is the original file's name.
func XLIFF(name, text string, segs []AlignedSegment) xliff.Document {
	f := xliff.File{ID: "f1", Original: name}
	for pi, para := range paragraphs(text, segs) {
		u := xliff.Unit{ID: "p" + strconv.Itoa(pi+1)}
		for _, s := range para {
			xs := xliff.Segment{ID: "s" + strconv.Itoa(s.Index+1), Source: s.Text, Target: s.Target, State: xliff.StateInitial}
			if s.Best != nil {
				xs.Matches = append(xs.Matches, xliffMatch(*s.Best))
			}
			for _, m := range s.Alternatives {
				xs.Matches = append(xs.Matches, xliffMatch(m))
			}
			for _, h := range s.Terms {
				t := xliff.Term{Source: h.Term.Text, Status: string(h.Term.Status), Start: h.Start - s.Start, End: h.End - s.Start}
				if len(h.Targets) > 0 {
					t.Translation = h.Targets[0].Text
				}
				xs.Terms = append(xs.Terms, t)
			}
			u.Segments = append(u.Segments, xs)
		}
		f.Units = append(f.Units, u)
	}
	return xliff.Document{SrcLang: "nl", TrgLang: "en", Files: []xliff.File{f}}
}

func xliffMatch(m memory.Match) xliff.Match {
	return xliff.Match{
		Similarity: float64(min(m.Score, 100)),
		Origin:     m.Unit.Memory,
		Type:       xliff.MatchTM,
		Source:     m.Unit.Source,
		Target:     m.Target,
		Ref:        strconv.FormatUint(m.Unit.ID, 10),
	}
}

// WriteTMX writes the drafted pairs (segments with a target) as TMX 1.4b,
// each with its neighbours as context.
func WriteTMX(w io.Writer, segs []AlignedSegment) error {
	var units []memory.Unit
	for i, s := range segs {
		if s.Target == "" {
			continue
		}
		u := memory.Unit{Source: s.Text, Target: s.Target, Origin: "draft"}
		if i > 0 {
			u.PrevSource = segs[i-1].Text
		}
		if i+1 < len(segs) {
			u.NextSource = segs[i+1].Text
		}
		units = append(units, u)
	}
	return tmx.WriteAll(w, tmx.Header{SrcLang: "nl", CreationTool: "tolk"}, units)
}

// UnitsFromXLIFF returns the translated segments of an XLIFF document as
// units with their neighbours as context: every segment with a target
// that is not in state "initial". The caller sets Origin and the users.
func UnitsFromXLIFF(d xliff.Document) []memory.Unit {
	var units []memory.Unit
	for _, f := range d.Files {
		for _, u := range f.Units {
			for _, s := range u.Segments {
				if strings.TrimSpace(s.Target) == "" || strings.TrimSpace(s.Source) == "" || s.State == xliff.StateInitial {
					continue
				}
				units = append(units, memory.Unit{
					Source: s.Source, Target: s.Target,
					PrevSource: s.PrevSource, NextSource: s.NextSource,
					Props: []memory.Prop{{Type: "x-file", Value: f.Original}},
				})
			}
		}
	}
	return units
}

// CheckLanguages returns an error when an XLIFF document is not Dutch to
// English.
func CheckLanguages(d xliff.Document) error {
	src, trg := strings.ToLower(d.SrcLang), strings.ToLower(d.TrgLang)
	if src != "" && !strings.HasPrefix(src, "nl") || trg != "" && !strings.HasPrefix(trg, "en") {
		return fmt.Errorf("the XLIFF document translates %s into %s; Tolk's memories are Dutch to English", d.SrcLang, d.TrgLang)
	}
	return nil
}
