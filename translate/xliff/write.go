package xliff

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/segment"
)

// Write writes d to w as an XLIFF 2.1 document that validates against the
// OASIS core and module schemas: translation candidates in the Translation
// Candidates module (mtc:matches, each referring to an <mrk type="mtc:match">
// around its segment's source), glossary hits in the Glossary module
// (gls:glossary, each entry referring to an <mrk type="term"> around the
// term in the source, which refers back to the entry), notes in <notes>.
// Inline-code placeholder runes become <ph/> elements and characters that
// XML 1.0 cannot carry become <cp/>. Empty ids, languages and states get
// defaults (see Document); Write does not change d.
//
// Write checks d before writing anything and returns an EINVALID
// *tolk.Error naming the offending field when an id is not an XML NMTOKEN or
// not unique, a state or match type is unknown, a similarity is outside
// 0–100, or a term's offsets do not fall on characters of its source. It
// streams the output through a buffer and returns the first write error.
func Write(w io.Writer, d Document) error {
	plan, err := check(&d)
	if err != nil {
		return err
	}
	x := &xw{w: bufio.NewWriterSize(w, 32<<10)}
	x.str(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.str(`<xliff xmlns="` + nsCore20 + `" xmlns:mtc="` + nsMtc + `" xmlns:gls="` + nsGls +
		`" xmlns:tolk="` + nsTolk + `" version="2.1"`)
	x.attr("srcLang", cmp.Or(d.SrcLang, "nl"))
	x.attr("trgLang", cmp.Or(d.TrgLang, "en"))
	x.str(">\n")
	for fi := range d.Files {
		f := &d.Files[fi]
		x.str(` <file`)
		x.attr("id", plan.files[fi])
		if f.Original != "" {
			x.attr("original", f.Original)
		}
		x.str(` xml:space="preserve">` + "\n")
		for ui := range f.Units {
			x.unit(&f.Units[ui], plan.units[fi][ui], plan.segs[fi][ui])
			if x.err != nil {
				return fmt.Errorf("writing XLIFF: %w", x.err)
			}
		}
		x.str(" </file>\n")
	}
	x.str("</xliff>\n")
	if x.err == nil {
		x.err = x.w.Flush()
	}
	if x.err != nil {
		return fmt.Errorf("writing XLIFF: %w", x.err)
	}
	return nil
}

// ids holds the ids Write uses, with the defaults filled in.
type ids struct {
	files []string
	units [][]string
	segs  [][][]string
}

// check validates d and chooses the ids to write.
func check(d *Document) (ids, error) {
	var p ids
	for _, l := range []struct{ name, v string }{{"SrcLang", d.SrcLang}, {"TrgLang", d.TrgLang}} {
		if l.v != "" && !isLangTag(l.v) {
			return p, tolk.Invalidf(l.name, "%q is not a BCP 47 language tag such as nl or en-GB", l.v)
		}
	}
	if len(d.Files) == 0 {
		return p, tolk.Invalidf("Files", "an XLIFF document needs at least one file")
	}
	var err error
	p.files, err = pickIDs(len(d.Files), func(i int) string { return d.Files[i].ID }, "f",
		func(i int) string { return fmt.Sprintf("Files[%d].ID", i) })
	if err != nil {
		return p, err
	}
	p.units = make([][]string, len(d.Files))
	p.segs = make([][][]string, len(d.Files))
	for fi, f := range d.Files {
		if len(f.Units) == 0 {
			return p, tolk.Invalidf(fmt.Sprintf("Files[%d].Units", fi), "an XLIFF file needs at least one unit")
		}
		p.units[fi], err = pickIDs(len(f.Units), func(i int) string { return f.Units[i].ID }, "u",
			func(i int) string { return fmt.Sprintf("Files[%d].Units[%d].ID", fi, i) })
		if err != nil {
			return p, err
		}
		p.segs[fi] = make([][]string, len(f.Units))
		for ui, u := range f.Units {
			upath := func() string { return fmt.Sprintf("Files[%d].Units[%d]", fi, ui) }
			if len(u.Segments) == 0 {
				return p, tolk.Invalidf(upath()+".Segments", "an XLIFF unit needs at least one segment")
			}
			segIDs, err := pickIDs(len(u.Segments), func(i int) string { return u.Segments[i].ID }, "s",
				func(i int) string { return fmt.Sprintf("%s.Segments[%d].ID", upath(), i) })
			if err != nil {
				return p, err
			}
			for si := range u.Segments {
				if err := checkSegment(&u.Segments[si], func() string { return fmt.Sprintf("%s.Segments[%d]", upath(), si) }); err != nil {
					return p, err
				}
			}
			// The ids Write derives from segment ids (s1-m, s1-t0, s1-c0…)
			// clash only with segment ids that extend another with a dash.
			if len(segIDs) > 1 {
				for _, id := range segIDs {
					for _, other := range segIDs {
						if len(other) > len(id)+1 && other[:len(id)] == id && other[len(id)] == '-' {
							return p, tolk.Invalidf(upath()+".Segments", "segment id %q starts with segment id %q and a dash, which Write uses for its own ids", other, id)
						}
					}
				}
			}
			p.segs[fi][ui] = segIDs
		}
	}
	return p, nil
}

// pickIDs checks the n ids given by id and numbers the empty ones
// prefix1, prefix2… (by position) avoiding the given ones.
func pickIDs(n int, id func(int) string, prefix string, field func(int) string) ([]string, error) {
	out := make([]string, n)
	seen := make(map[string]bool, n)
	for i := range n {
		v := id(i)
		if v == "" {
			continue
		}
		if !isASCIIToken(v) {
			return nil, tolk.Invalidf(field(i), "id %q is not an XML NMTOKEN: use letters, digits, '.', '-', '_' or ':' only", v)
		}
		if seen[v] {
			return nil, tolk.Invalidf(field(i), "id %q is used twice", v)
		}
		seen[v] = true
		out[i] = v
	}
	for i := range n {
		if out[i] != "" {
			continue
		}
		v := prefix + strconv.Itoa(i+1)
		for seen[v] {
			v += "_"
		}
		seen[v] = true
		out[i] = v
	}
	return out, nil
}

func checkSegment(s *Segment, path func() string) error {
	switch s.State {
	case "", StateInitial, StateTranslated, StateReviewed, StateFinal:
	default:
		return tolk.Invalidf(path()+".State", "state %q is not one of initial, translated, reviewed, final", s.State)
	}
	for i, m := range s.Matches {
		mpath := func() string { return fmt.Sprintf("%s.Matches[%d]", path(), i) }
		if !(m.Similarity >= 0 && m.Similarity <= 100) {
			return tolk.Invalidf(mpath()+".Similarity", "similarity %v is outside 0–100", m.Similarity)
		}
		if !(m.MatchQuality >= 0 && m.MatchQuality <= 100) {
			return tolk.Invalidf(mpath()+".MatchQuality", "match quality %v is outside 0–100", m.MatchQuality)
		}
		switch m.Type {
		case "", MatchAssembled, MatchMT, MatchICE, MatchIdentical, MatchTermbase, MatchTM, MatchOther:
		default:
			return tolk.Invalidf(mpath()+".Type", "match type %q is not one of am, mt, icm, idm, tb, tm, other", m.Type)
		}
	}
	for i, t := range s.Terms {
		if t.Start == t.End {
			continue
		}
		if t.Start < 0 || t.End < t.Start || t.End > len(s.Source) ||
			!boundary(s.Source, t.Start) || !boundary(s.Source, t.End) {
			return tolk.Invalidf(fmt.Sprintf("%s.Terms[%d]", path(), i),
				"offsets %d–%d do not delimit characters of the %d-byte source", t.Start, t.End, len(s.Source))
		}
	}
	return nil
}

func boundary(s string, i int) bool { return i == len(s) || utf8.RuneStart(s[i]) }

// xw writes XML with a sticky error.
type xw struct {
	w   *bufio.Writer
	err error
	buf []byte
}

func (x *xw) str(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

// attr writes ` name="value"` with value escaped for an attribute.
func (x *xw) attr(name, value string) {
	x.str(" " + name + `="`)
	x.text(value, true)
	x.str(`"`)
}

// text writes s escaped as character data (or an attribute value). It
// replaces characters XML 1.0 cannot carry, and invalid UTF-8, by U+FFFD.
func (x *xw) text(s string, inAttr bool) {
	if x.err != nil {
		return
	}
	b := x.buf[:0]
	for _, r := range s {
		b = appendEscaped(b, r, inAttr)
	}
	x.buf = b
	_, x.err = x.w.Write(b)
}

func appendEscaped(b []byte, r rune, inAttr bool) []byte {
	switch r {
	case '&':
		return append(b, "&amp;"...)
	case '<':
		return append(b, "&lt;"...)
	case '>':
		return append(b, "&gt;"...)
	case '"':
		if inAttr {
			return append(b, "&quot;"...)
		}
	case '\r':
		return append(b, "&#xD;"...)
	case '\n':
		if inAttr {
			return append(b, "&#xA;"...)
		}
	case '\t':
		if inAttr {
			return append(b, "&#x9;"...)
		}
	}
	if !isXMLChar(r) {
		r = utf8.RuneError
	}
	return utf8.AppendRune(b, r)
}

// isXMLChar reports whether XML 1.0 allows r in a document.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// span is an <mrk> to open at start and close at end of a content string.
type span struct {
	start, end int
	open       string // the whole start tag
}

// content writes inline content as XLIFF 2.x: text with code placeholders
// as <ph/>, or <sc/> and <ec/> for the halves of a pair that codes names
// (isolated when the other half is not in s), characters XML cannot carry
// as <cp/>, and spans as <mrk> elements. A code with data refers to it as
// <data id="codePrefix-dN"> (see originalData). The spans must nest (check
// and termsPlaced see to it).
func (x *xw) content(s, codePrefix string, codes []Code, spans []span) {
	closes := pairCodes(s, codes)
	id := func(b []byte, attr string, n int) []byte {
		b = append(b, ` `+attr+`="`...)
		b = append(b, codePrefix...)
		b = strconv.AppendInt(b, int64(n), 10)
		return append(b, '"')
	}
	x.inline(s, spans, func(b []byte, n int) []byte {
		if n >= len(codes) {
			return append(id(append(b, `<ph`...), "id", n), `/>`...)
		}
		switch cd := codes[n]; {
		case cd.Kind == CodeOpen:
			b = id(append(b, `<sc`...), "id", n)
			if !closed(closes, n) {
				b = append(b, ` isolated="yes"`...)
			}
		case cd.Kind == CodeClose && closes[n] >= 0:
			b = id(append(b, `<ec`...), "startRef", closes[n])
		case cd.Kind == CodeClose:
			b = append(id(append(b, `<ec`...), "id", n), ` isolated="yes"`...)
		default:
			b = id(append(b, `<ph`...), "id", n)
		}
		if codes[n].Data != "" {
			b = append(b, ` dataRef="`...)
			b = append(b, codePrefix...)
			b = append(b, 'd')
			b = strconv.AppendInt(b, int64(n), 10)
			b = append(b, '"')
		}
		return append(b, `/>`...)
	}, true)
}

// pairCodes returns, for each closing code among the placeholders of s,
// the number of the opening code with the same id that it closes in s, or
// -1 when it closes none there. An opening code is closed in s when it is
// a value of the map (see closed).
func pairCodes(s string, codes []Code) map[int]int {
	var closes map[int]int
	open := map[string][]int{}
	for _, r := range s {
		n := int(r - segment.CodeBase)
		if !segment.IsCodeRune(r) || n >= len(codes) {
			continue
		}
		cd := codes[n]
		switch cd.Kind {
		case CodeOpen:
			if cd.ID != "" {
				open[cd.ID] = append(open[cd.ID], n)
			}
		case CodeClose:
			if closes == nil {
				closes = map[int]int{}
			}
			closes[n] = -1
			if st := open[cd.ID]; len(st) > 0 && cd.ID != "" {
				closes[n] = st[len(st)-1]
				open[cd.ID] = st[:len(st)-1]
			}
		}
	}
	return closes
}

// closed reports whether opening code n is closed according to closes.
func closed(closes map[int]int, n int) bool {
	for _, o := range closes {
		if o == n {
			return true
		}
	}
	return false
}

// originalData writes the <originalData> of a unit: each code with data of
// each segment as <data id="sid-cdN">.
func (x *xw) originalData(u *Unit, segIDs []string) {
	has := false
	for _, s := range u.Segments {
		for _, cd := range s.Codes {
			has = has || cd.Data != ""
		}
	}
	if !has {
		return
	}
	x.str("   <originalData>\n")
	for si, s := range u.Segments {
		for n, cd := range s.Codes {
			if cd.Data == "" {
				continue
			}
			x.str(`    <data`)
			x.attr("id", segIDs[si]+"-cd"+strconv.Itoa(n))
			x.str(">")
			x.inline(cd.Data, nil, func(b []byte, n int) []byte {
				return utf8.AppendRune(b, segment.CodeRune(n)) // data is text: a placeholder rune is itself
			}, true)
			x.str("</data>\n")
		}
	}
	x.str("   </originalData>\n")
}

// inline writes s as inline content: each code placeholder rune as what
// code appends for its number, spans as the start tags they hold closed by
// </mrk>, and characters XML 1.0 cannot carry as <cp/> when cp is set, else
// as U+FFFD. Invalid UTF-8 becomes U+FFFD.
func (x *xw) inline(s string, spans []span, code func(b []byte, n int) []byte, cp bool) {
	if x.err != nil {
		return
	}
	var stack []span
	next := 0
	b := x.buf[:0]
	for i := 0; ; {
		for len(stack) > 0 && stack[len(stack)-1].end <= i {
			b = append(b, "</mrk>"...)
			stack = stack[:len(stack)-1]
		}
		for next < len(spans) && spans[next].start <= i {
			b = append(b, spans[next].open...)
			stack = append(stack, spans[next])
			next++
		}
		if i >= len(s) {
			for range stack { // spans that open at the end, such as one around an empty source
				b = append(b, "</mrk>"...)
			}
			break
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = utf8.AppendRune(b, utf8.RuneError)
		case segment.IsCodeRune(r) && r-segment.CodeBase < segment.MaxCodes:
			b = code(b, int(r-segment.CodeBase))
		case !isXMLChar(r) && cp:
			b = fmt.Appendf(b, `<cp hex="%04X"/>`, r)
		default:
			b = appendEscaped(b, r, false)
		}
		i += n
	}
	x.buf = b
	_, x.err = x.w.Write(b)
}

func (x *xw) unit(u *Unit, id string, segIDs []string) {
	x.str(`  <unit`)
	x.attr("id", id)
	x.str(">\n")
	// Translation candidates of every segment.
	hasMatches := false
	for si := range u.Segments {
		hasMatches = hasMatches || len(u.Segments[si].Matches) > 0
	}
	if hasMatches {
		x.str("   <mtc:matches>\n")
		for si := range u.Segments {
			for _, m := range u.Segments[si].Matches {
				x.str(`    <mtc:match`)
				x.attr("ref", "#"+segIDs[si]+"-m")
				x.str(` similarity="` + decimal(m.Similarity) + `"`)
				if m.MatchQuality > 0 {
					x.str(` matchQuality="` + decimal(m.MatchQuality) + `"`)
				}
				if m.Origin != "" {
					x.attr("origin", m.Origin)
				}
				if m.Type != "" {
					x.attr("type", m.Type)
				}
				if m.Ref != "" {
					x.attr("tolk:ref", m.Ref)
				}
				x.str(">\n     <source>")
				x.content(m.Source, segIDs[si]+"-c", nil, nil)
				x.str("</source>\n     <target>")
				x.content(m.Target, segIDs[si]+"-c", nil, nil)
				x.str("</target>\n    </mtc:match>\n")
			}
		}
		x.str("   </mtc:matches>\n")
	}
	// Glossary hits of every segment.
	placed := make([][]bool, len(u.Segments))
	hasTerms := false
	for si := range u.Segments {
		placed[si] = termsPlaced(u.Segments[si].Terms)
		hasTerms = hasTerms || len(u.Segments[si].Terms) > 0
	}
	if hasTerms {
		x.str("   <gls:glossary>\n")
		for si := range u.Segments {
			for ti, t := range u.Segments[si].Terms {
				x.str(`    <gls:glossEntry`)
				x.attr("id", segIDs[si]+"-g"+strconv.Itoa(ti))
				if placed[si][ti] {
					x.attr("ref", "#"+segIDs[si]+"-t"+strconv.Itoa(ti))
				} else {
					x.attr("ref", "#"+segIDs[si])
				}
				if t.Status != "" {
					x.attr("tolk:status", t.Status)
				}
				x.str(">\n     <gls:term>")
				x.text(t.Source, false)
				x.str("</gls:term>\n")
				if t.Translation != "" || t.Definition == "" {
					x.str("     <gls:translation>")
					x.text(t.Translation, false)
					x.str("</gls:translation>\n")
				}
				if t.Definition != "" {
					x.str("     <gls:definition>")
					x.text(t.Definition, false)
					x.str("</gls:definition>\n")
				}
				x.str("    </gls:glossEntry>\n")
			}
		}
		x.str("   </gls:glossary>\n")
	}
	if len(u.Notes) > 0 {
		x.str("   <notes>\n")
		for _, n := range u.Notes {
			x.str("    <note>")
			x.text(n, false)
			x.str("</note>\n")
		}
		x.str("   </notes>\n")
	}
	x.originalData(u, segIDs)
	for si := range u.Segments {
		s := &u.Segments[si]
		sid := segIDs[si]
		x.str(`   <segment`)
		x.attr("id", sid)
		x.attr("state", cmp.Or(s.State, StateInitial))
		x.str(">\n    <source>")
		var spans []span
		if len(s.Matches) > 0 {
			spans = append(spans, span{0, len(s.Source), `<mrk id="` + sid + `-m" type="mtc:match">`})
		}
		for ti, t := range s.Terms {
			if placed[si][ti] {
				n := strconv.Itoa(ti)
				spans = append(spans, span{t.Start, t.End,
					`<mrk id="` + sid + `-t` + n + `" type="term" ref="#gls=` + sid + `-g` + n + `">`})
			}
		}
		// Outer spans first: by start, longer first; the match mrk (first
		// appended) wins ties because the sort is stable.
		slices.SortStableFunc(spans, func(a, b span) int {
			return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end))
		})
		x.content(s.Source, sid+"-c", s.Codes, spans)
		x.str("</source>\n")
		if s.Target != "" {
			x.str("    <target>")
			x.content(s.Target, sid+"-c", s.Codes, nil)
			x.str("</target>\n")
		}
		x.str("   </segment>\n")
	}
	x.str("  </unit>\n")
}

// termsPlaced reports, per term, whether Write marks its span with an
// <mrk>: it has a span and that span nests with the spans placed before it
// (crossing spans cannot be XML elements).
func termsPlaced(terms []Term) []bool {
	placed := make([]bool, len(terms))
	for i, t := range terms {
		if t.Start == t.End {
			continue
		}
		ok := true
		for j := range i {
			u := terms[j]
			if !placed[j] {
				continue
			}
			disjoint := t.End <= u.Start || u.End <= t.Start
			inside := t.Start >= u.Start && t.End <= u.End && (t.Start != u.Start || t.End != u.End)
			around := u.Start >= t.Start && u.End <= t.End && (t.Start != u.Start || t.End != u.End)
			if !disjoint && !inside && !around {
				ok = false
				break
			}
		}
		placed[i] = ok
	}
	return placed
}

// decimal formats f as an xs:decimal (no exponent).
func decimal(f float64) string {
	if f == math.Trunc(f) {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
