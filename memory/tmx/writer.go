package tmx

import (
	"bufio"
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/segment"
)

// Writer writes units as a TMX 1.4b document.
type Writer struct {
	w       *bufio.Writer
	h       Header
	n       int
	closed  bool
	scratch strings.Builder
}

const dateLayout = "20060102T150405Z"

// NewWriter writes the XML declaration, the TMX 1.4 doctype and the header
// to w. Empty required header attributes get defaults: creationtool
// "Tolk", segtype "sentence", o-tmf "Tolk", adminlang "en", datatype
// "plaintext", srclang "nl", TargetLang "en". The caller owes a Close, and
// closes w itself.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&h.CreationTool, "Tolk")
	def(&h.CreationToolVersion, "1")
	def(&h.SegType, "sentence")
	def(&h.OTMF, "Tolk")
	def(&h.AdminLang, "en")
	def(&h.SrcLang, "nl")
	def(&h.TargetLang, "en")
	def(&h.DataType, "plaintext")
	switch h.SegType {
	case "block", "paragraph", "sentence", "phrase":
	default:
		return nil, tolk.Invalidf("segtype", "segtype %q is not block, paragraph, sentence or phrase", h.SegType)
	}
	tw := &Writer{w: bufio.NewWriterSize(w, 64<<10), h: h}
	b := tw.w
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n<tmx version=\"1.4\">\n<header")
	tw.attr("creationtool", h.CreationTool)
	tw.attr("creationtoolversion", h.CreationToolVersion)
	tw.attr("segtype", h.SegType)
	tw.attr("o-tmf", h.OTMF)
	tw.attr("adminlang", h.AdminLang)
	tw.attr("srclang", h.SrcLang)
	tw.attr("datatype", h.DataType)
	tw.attr("o-encoding", h.OEncoding)
	tw.date("creationdate", h.CreationDate)
	tw.attr("creationid", h.CreationID)
	tw.date("changedate", h.ChangeDate)
	tw.attr("changeid", h.ChangeID)
	if len(h.Props) == 0 && len(h.Notes) == 0 {
		b.WriteString("/>\n")
	} else {
		b.WriteString(">\n")
		tw.notesProps("  ", h.Notes, h.Props)
		b.WriteString("</header>\n")
	}
	b.WriteString("<body>\n")
	return tw, tw.flushErr()
}

func (w *Writer) flushErr() error {
	if w.w.Buffered() > 32<<10 {
		return w.w.Flush()
	}
	return nil
}

func (w *Writer) attr(name, v string) {
	if v == "" {
		return
	}
	w.w.WriteByte(' ')
	w.w.WriteString(name)
	w.w.WriteString(`="`)
	escapeAttr(w.w, v)
	w.w.WriteByte('"')
}

func (w *Writer) date(name string, t time.Time) {
	if !t.IsZero() {
		w.attr(name, t.UTC().Format(dateLayout))
	}
}

// escapeAttr escapes s for an attribute value (or text) in double quotes,
// keeping tabs and newlines as character references.
func escapeAttr(b *bufio.Writer, s string) {
	xml.EscapeText(b, []byte(s))
}

func (w *Writer) notesProps(indent string, notes []string, props []memory.Prop) {
	for _, n := range notes {
		w.w.WriteString(indent + "<note>")
		xml.EscapeText(w.w, []byte(n))
		w.w.WriteString("</note>\n")
	}
	for _, p := range props {
		w.prop(indent, p.Type, p.Value)
	}
}

func (w *Writer) prop(indent, typ, v string) {
	w.w.WriteString(indent + `<prop type="`) // required, even when empty
	escapeAttr(w.w, typ)
	w.w.WriteString(`">`)
	xml.EscapeText(w.w, []byte(v))
	w.w.WriteString("</prop>\n")
}

// Write writes one unit as a <tu> with a source and a target <tuv>. Fields
// TMX has no attribute for (Origin, Penalty, PrevSource, NextSource) are
// written as x-tolk-* properties. It returns EINVALID for a code rune
// without its code or a code of unknown kind.
func (w *Writer) Write(u memory.Unit) error {
	if w.closed {
		return fmt.Errorf("tmx: write after Close")
	}
	w.n++
	b := w.w
	b.WriteString("<tu")
	w.attr("tuid", u.TUID)
	w.date("creationdate", u.Created)
	w.attr("creationid", u.CreatedBy)
	w.date("changedate", u.Changed)
	w.attr("changeid", u.ChangedBy)
	if u.UsageCount > 0 {
		w.attr("usagecount", strconv.Itoa(u.UsageCount))
	}
	w.date("lastusagedate", u.LastUsed)
	b.WriteString(">\n")
	w.notesProps("  ", u.Notes, u.Props)
	if u.Origin != "" {
		w.prop("  ", PropOrigin, u.Origin)
	}
	if u.Penalty != 0 {
		w.prop("  ", PropPenalty, strconv.Itoa(u.Penalty))
	}
	if u.PrevSource != "" {
		w.prop("  ", PropPrev, u.PrevSource)
	}
	if u.NextSource != "" {
		w.prop("  ", PropNext, u.NextSource)
	}
	if err := w.tuv(cmp.Or(u.SourceLang, w.h.SrcLang), u.Source, u.SourceCodes, u.SourceNotes, u.SourceProps, u.ID); err != nil {
		return err
	}
	if err := w.tuv(cmp.Or(u.TargetLang, w.h.TargetLang), u.Target, u.TargetCodes, u.TargetNotes, u.TargetProps, u.ID); err != nil {
		return err
	}
	b.WriteString("</tu>\n")
	return w.flushErr()
}

func (w *Writer) tuv(lang, text string, codes []memory.Code, notes []string, props []memory.Prop, id uint64) error {
	if lang == "*all*" {
		lang = "nl"
	}
	s := &w.scratch
	s.Reset()
	open := 0
	for i := 0; i < len(text); {
		j := i
		for j < len(text) {
			r, n := decodeRune(text, j)
			if segment.IsCodeRune(r) {
				break
			}
			j += n
		}
		if j > i {
			xml.EscapeText(s, []byte(text[i:j]))
		}
		if j == len(text) {
			break
		}
		r, n := decodeRune(text, j)
		k := int(r - segment.CodeBase)
		if k >= len(codes) {
			return tolk.Invalidf("codes", "unit %d: the text refers to inline code %d but has only %d", id, k, len(codes))
		}
		c := codes[k]
		switch c.Kind {
		case "hi":
			if c.Pos == "end" {
				if open == 0 {
					return tolk.Invalidf("codes", "unit %d: code %d closes a <hi> that is not open", id, k)
				}
				open--
				s.WriteString("</hi>")
			} else {
				open++
				s.WriteString("<hi")
				sattr(s, "x", c.X)
				sattr(s, "type", c.Type)
				s.WriteString(">")
			}
		case "bpt", "ept", "it", "ph", "ut":
			s.WriteString("<" + c.Kind)
			switch c.Kind {
			case "bpt":
				sattr(s, "i", orDefault(c.I, strconv.Itoa(k+1)))
				sattr(s, "x", c.X)
				sattr(s, "type", c.Type)
			case "ept":
				sattr(s, "i", orDefault(c.I, strconv.Itoa(k+1)))
			case "it":
				sattr(s, "pos", orDefault(c.Pos, "begin"))
				sattr(s, "x", c.X)
				sattr(s, "type", c.Type)
			case "ph":
				sattr(s, "x", c.X)
				sattr(s, "assoc", c.Assoc)
				sattr(s, "type", c.Type)
			case "ut":
				sattr(s, "x", c.X)
			}
			s.WriteString(">")
			s.WriteString(c.Content)
			s.WriteString("</" + c.Kind + ">")
		default:
			return tolk.Invalidf("codes", "unit %d: inline code %d has unknown kind %q", id, k, c.Kind)
		}
		i = j + n
	}
	for ; open > 0; open-- {
		s.WriteString("</hi>")
	}
	b := w.w
	b.WriteString("  <tuv")
	w.attr("xml:lang", lang)
	b.WriteString(">\n")
	w.notesProps("    ", notes, props)
	b.WriteString("    <seg>")
	b.WriteString(s.String())
	b.WriteString("</seg>\n  </tuv>\n")
	return nil
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

func sattr(s *strings.Builder, name, v string) {
	if v == "" {
		return
	}
	s.WriteString(" " + name + `="`)
	xml.EscapeText(s, []byte(v))
	s.WriteString(`"`)
}

func decodeRune(s string, i int) (rune, int) { return utf8.DecodeRuneInString(s[i:]) }

// Close writes the end of the document and flushes it.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	w.w.WriteString("</body>\n</tmx>\n")
	return w.w.Flush()
}

// Count returns how many units were written.
func (w *Writer) Count() int { return w.n }

// WriteAll writes units as one TMX 1.4b document with header h.
func WriteAll(w io.Writer, h Header, units []memory.Unit) error {
	tw, err := NewWriter(w, h)
	if err != nil {
		return err
	}
	for _, u := range units {
		if err := tw.Write(u); err != nil {
			return err
		}
	}
	return tw.Close()
}
