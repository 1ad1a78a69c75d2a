package translate

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/memory/tmx"
	"github.com/tolkdev/tolk/segment"
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

// XLIFF12 is XLIFF for XLIFF 1.2 (xliff.Write12), ready for OmegaT 3.6 as
// it is: each segment's target is a copy of its source in state initial
// (1.2 "new") marked with the state-qualifier xliff.QualifierSourceCopy,
// and Tolk's draft is the first translation candidate (<alt-trans>,
// tool-id "tolk") with the alternatives after it. OmegaT 3.6's XLIFF filter
// translates the text of each <target> and keeps <source> intact
// (filters3/xml/xliff/XLIFFDialect), so a unit without a target yields no
// segment and a target holding an English draft would be taken for the
// text to translate. OmegaT writes the translation into the target and
// leaves every attribute as it was; Translated tells the translator's work
// from the copies and drafts. translate-toolkit reads the copy as a fuzzy
// translation.
func XLIFF12(name, text string, segs []AlignedSegment) xliff.Document {
	d := XLIFF(name, text, segs)
	for fi := range d.Files {
		for ui := range d.Files[fi].Units {
			for si := range d.Files[fi].Units[ui].Segments {
				s := &d.Files[fi].Units[ui].Segments[si]
				s.Target, s.State, s.StateQualifier = s.Source, xliff.StateInitial, xliff.QualifierSourceCopy
				for mi := range s.Matches {
					s.Matches[mi].Tool = xliff.ToolTolk
				}
			}
		}
	}
	return d
}

// Translated reports whether segment s of a translated XLIFF file (1.x or
// 2.x) holds a translation to confirm, by this rule:
//   - a segment without text besides codes in its source or target holds
//     none;
//   - a target in state translated, reviewed or final (XLIFF 1.2
//     translated, needs-review-*, signed-off, final, approved="yes") is
//     the translator's: the tool said so;
//   - a target in state initial (1.2 new, needs-translation, needs-l10n,
//     needs-adaptation) is a draft, except when its text differs from its
//     source and either acceptInitial is set (the caller's tool never sets
//     a state) or the target is one of Tolk's source copies
//     (xliff.QualifierSourceCopy, as XLIFF12 writes them) whose text also
//     differs from each of Tolk's own candidates (tool-id "tolk"): a tool
//     that writes only the target's text, as OmegaT 3.6 does, replaced
//     the copy with a translation of its own.
//
// A source copy still equal to its source is untranslated, and one equal
// to Tolk's draft (filled in from Tolk's TMX or the OmegaT plugin and
// never edited) is still Tolk's draft; acceptInitial takes the latter.
func Translated(s xliff.Segment, acceptInitial bool) bool {
	switch {
	case !hasText(s.Target) || !hasText(s.Source):
		return false
	case s.State != xliff.StateInitial:
		return true
	case strings.TrimSpace(s.Target) == strings.TrimSpace(s.Source):
		return false
	case acceptInitial:
		return true
	case s.StateQualifier != xliff.QualifierSourceCopy:
		return false
	}
	for _, m := range s.Matches {
		if m.Tool == xliff.ToolTolk && strings.TrimSpace(m.Target) == strings.TrimSpace(s.Target) {
			return false
		}
	}
	return true
}

// ConfirmedSegments returns the segments of a translated XLIFF document
// that Translated(s, acceptInitial) takes, in order, and how many it
// skipped. It is an EINVALID error when the document is not from Dutch into
// English (tolk tm import turns English→Dutch files round; confirm stores
// what Tolk drafted), or when a taken segment's target holds an inline code
// its source has not, or lacks one of its source's: the error names the
// file, unit and segment, and no segment is returned.
func ConfirmedSegments(d xliff.Document, acceptInitial bool) (segs []xliff.Segment, skipped int, err error) {
	src, trg := memoryLang(d.SrcLang), memoryLang(d.TrgLang)
	if (src != "" && src != "nl") || (trg != "" && trg != "en") {
		return nil, 0, tolk.Invalidf("SrcLang", "the XLIFF document translates %s into %s; confirm takes Dutch→English files as Tolk writes them (tolk tm import also turns English→Dutch files round)", d.SrcLang, d.TrgLang)
	}
	for fi, f := range d.Files {
		for ui, u := range f.Units {
			for si, s := range u.Segments {
				if !Translated(s, acceptInitial) {
					skipped++
					continue
				}
				if msg := codeMismatch(s); msg != "" {
					return nil, 0, tolk.Invalidf(fmt.Sprintf("Files[%d].Units[%d].Segments[%d]", fi, ui, si), "file %q, unit %q, segment %q: %s; fix the target in the CAT tool so it has the same codes as its source, or leave the segment untranslated",
						f.Original, u.ID, s.ID, msg)
				}
				segs = append(segs, s)
			}
		}
	}
	return segs, skipped, nil
}

// codeMismatch describes how the inline codes of s's target differ from its
// source's (each code once in both); "" when they match.
func codeMismatch(s xliff.Segment) string {
	count := func(text string) map[rune]int {
		n := map[rune]int{}
		for _, r := range text {
			if segment.IsCodeRune(r) {
				n[r]++
			}
		}
		return n
	}
	src, trg := count(s.Source), count(s.Target)
	data := func(r rune) string {
		if i := int(r - segment.CodeRune(0)); i < len(s.Codes) {
			return s.Codes[i].Data
		}
		return "?"
	}
	var seen []rune
	for r := range src {
		seen = append(seen, r)
	}
	for r := range trg {
		if src[r] == 0 {
			seen = append(seen, r)
		}
	}
	slices.Sort(seen)
	for _, r := range seen {
		switch {
		case trg[r] > src[r] && src[r] == 0:
			return fmt.Sprintf("the target has the inline code %s, which its source has not", data(r))
		case trg[r] < src[r]:
			return fmt.Sprintf("the target lacks the source's inline code %s", data(r))
		case trg[r] > src[r]:
			return fmt.Sprintf("the target has the inline code %s %d times, its source %d", data(r), trg[r], src[r])
		}
	}
	return ""
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
// units with their neighbours as context and their inline codes: every
// segment Translated(s, false) takes. A document from
// English into Dutch is turned round (the Dutch target becomes the unit's
// source), as TMX in that direction is; one between other languages is an
// EINVALID error. skipped counts the segments left out: drafts and
// segments without a target or without text besides codes.
// The caller sets Origin and the users.
func UnitsFromXLIFF(d xliff.Document) (units []memory.Unit, skipped int, err error) {
	flip, err := direction(d)
	if err != nil {
		return nil, 0, err
	}
	for _, f := range d.Files {
		for _, u := range f.Units {
			for _, s := range u.Segments {
				if !Translated(s, false) {
					skipped++
					continue
				}
				codes := memoryCodes(s.Codes)
				unit := memory.Unit{
					Source: s.Source, Target: s.Target, SourceCodes: codes, TargetCodes: codes,
					PrevSource: s.PrevSource, NextSource: s.NextSource,
					Props: []memory.Prop{{Type: "x-file", Value: f.Original}},
				}
				unit.SourceLang, unit.TargetLang = d.SrcLang, d.TrgLang
				if flip {
					// The neighbours are English: no Dutch context is known.
					unit.Source, unit.Target = s.Target, s.Source
					unit.SourceLang, unit.TargetLang = d.TrgLang, d.SrcLang
					unit.PrevSource, unit.NextSource = "", ""
				}
				units = append(units, unit)
			}
		}
	}
	return units, skipped, nil
}

// direction reports whether an XLIFF document runs from English into Dutch
// (and must be turned round), or returns an EINVALID error when it is not
// between Dutch and English. An empty language is taken as Tolk's.
func direction(d xliff.Document) (flip bool, err error) {
	src, trg := memoryLang(d.SrcLang), memoryLang(d.TrgLang)
	switch {
	case (src == "" || src == "nl") && (trg == "" || trg == "en"):
		return false, nil
	case src == "en" && trg == "nl":
		return true, nil
	}
	return false, tolk.Invalidf("chunk", "the XLIFF document translates %s into %s; Tolk's memories are Dutch to English (or English to Dutch, turned round)", d.SrcLang, d.TrgLang)
}

// memoryLang is the primary language subtag of tag in lower case.
func memoryLang(tag string) string {
	primary, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	return strings.ToLower(primary)
}

// hasText reports whether s holds something besides white space and
// inline-code placeholders.
func hasText(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !segment.IsCodeRune(r) {
			return true
		}
	}
	return false
}

// memoryCodes converts XLIFF inline codes to the memory's (TMX) codes: a
// standalone code is a <ph>, the halves of a pair <bpt> and <ept> sharing
// an i, each holding the code's original data as native code.
func memoryCodes(codes []xliff.Code) []memory.Code {
	if len(codes) == 0 {
		return nil
	}
	out := make([]memory.Code, len(codes))
	pairs := map[string]int{}
	for n, c := range codes {
		var b strings.Builder
		xml.EscapeText(&b, []byte(c.Data))
		mc := memory.Code{Content: b.String()}
		switch c.Kind {
		case xliff.CodeOpen, xliff.CodeClose:
			mc.Kind = "bpt"
			if c.Kind == xliff.CodeClose {
				mc.Kind = "ept"
			}
			key := c.ID
			if key == "" {
				key = "#" + strconv.Itoa(n) // no id: a pair of its own
			}
			i, ok := pairs[key]
			if !ok {
				i = len(pairs) + 1
				pairs[key] = i
			}
			mc.I = strconv.Itoa(i)
		default:
			mc.Kind = "ph"
		}
		out[n] = mc
	}
	return out
}

// IsXLIFFFile reports whether head, the first bytes of an uploaded memory
// file, begins an XLIFF document, plain or gzip-compressed (.xlf.gz); any
// other file is taken for TMX.
func IsXLIFFFile(head []byte) bool {
	if isGzip(head) {
		z, err := gzip.NewReader(bytes.NewReader(head))
		if err != nil {
			return false
		}
		plain := make([]byte, 4096)
		n, _ := io.ReadFull(z, plain) // a cut stream still gives its start
		head = plain[:n]
	}
	return xliff.IsXLIFF(head)
}

func isGzip(head []byte) bool { return len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b }

// ReadXLIFFUnits reads an XLIFF document, plain or gzip-compressed, of at
// most limit bytes (decompressed) and returns its translated segments as
// units of origin "confirmed" (see UnitsFromXLIFF). A larger document is
// an ELIMIT error.
func ReadXLIFFUnits(r io.Reader, limit int64) (units []memory.Unit, skipped int, err error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(2)
	var in io.Reader = br
	if isGzip(head) {
		z, err := gzip.NewReader(br)
		if err != nil {
			return nil, 0, tolk.Invalidf("chunk", "the gzip stream is damaged: %v", err)
		}
		defer z.Close()
		in = z
	}
	lr := &io.LimitedReader{R: in, N: limit + 1}
	doc, err := xliff.Read(lr)
	if lr.N <= 0 {
		return nil, 0, tolk.Errorf(tolk.ELIMIT, "the XLIFF document is over %d bytes, the limit for one file; split it", limit)
	}
	if err != nil {
		return nil, 0, err
	}
	units, skipped, err = UnitsFromXLIFF(doc)
	for i := range units {
		units[i].Origin = "confirmed"
	}
	return units, skipped, err
}
