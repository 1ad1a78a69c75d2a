package tbx

import (
	"bufio"
	"cmp"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
)

// Writer writes concepts as TBX v3, dialect TBX-Basic, DCA style, one
// conceptEntry at a time (constant memory). The output validates against
// the TBX core structure schema (TBXcoreStructV03.rng). Fields TBX-Basic
// has no data category for travel as notes that Reader reads back:
// "Concept id: ..." (for an id that is not an XML name),
// "Valid from: YYYY-MM-DD", "Valid until: ...", "Usage: ...", "Part of
// speech: ..." (outside the TBX-Basic picklist) and "Status: forbidden"
// (written with administrativeStatus deprecatedTerm-admn-sts).
//
// NewWriterV2 writes the same content as TBX v2 (TBX-Basic, <martif>), for
// the tools that read no later version (OmegaT 3.6, translate-toolkit's
// tbx2po).
type Writer struct {
	w      *bufio.Writer
	err    error
	closed bool
	n      int
	v2     bool
}

// Options configure a Writer.
type Options struct {
	Lang  string // the file's xml:lang, default "en"
	Title string // the header's source description, default "Tolk glossary export"
}

// NewWriter writes the XML declaration and header to w. Call Close to end
// the document; Close does not close w.
func NewWriter(w io.Writer, opts ...Options) *Writer {
	o := options(opts)
	tw := &Writer{w: bufio.NewWriter(w)}
	tw.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	tw.raw(`<tbx type="TBX-Basic" style="dca" xml:lang="`)
	tw.esc(o.Lang)
	tw.raw(`" xmlns="` + Namespace + `">` + "\n")
	tw.raw("  <tbxHeader>\n    <fileDesc>\n      <sourceDesc>\n        <p>")
	tw.esc(o.Title)
	tw.raw("</p>\n      </sourceDesc>\n    </fileDesc>\n  </tbxHeader>\n  <text>\n")
	return tw
}

// NewWriterV2 is NewWriter for TBX v2: a <martif type="TBX-Basic"> document
// that validates against TBXcoreStructV02.dtd, with termEntry, langSet and
// tig elements. TBX v2 cannot hold an empty termbase (its body needs a
// termEntry): Close then returns an EFAILEDPRE error and nothing has been
// written to w.
func NewWriterV2(w io.Writer, opts ...Options) *Writer {
	o := options(opts)
	tw := &Writer{w: bufio.NewWriter(w), v2: true}
	tw.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	tw.raw(`<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">` + "\n")
	tw.raw(`<martif type="TBX-Basic" xml:lang="`)
	tw.esc(o.Lang)
	tw.raw(`">` + "\n")
	tw.raw("  <martifHeader>\n    <fileDesc>\n      <sourceDesc>\n        <p>")
	tw.esc(o.Title)
	tw.raw("</p>\n      </sourceDesc>\n    </fileDesc>\n")
	tw.raw("    <encodingDesc>\n      <p type=\"XCSURI\">TBXBasicXCSV02.xcs</p>\n    </encodingDesc>\n")
	tw.raw("  </martifHeader>\n  <text>\n")
	return tw
}

// options returns the first of opts with defaults filled in.
func options(opts []Options) Options {
	o := Options{Lang: "en", Title: "Tolk glossary export"}
	if len(opts) > 0 {
		o.Lang = cmp.Or(opts[0].Lang, o.Lang)
		o.Title = cmp.Or(opts[0].Title, o.Title)
	}
	return o
}

// names returns the element names of a concept, a language section and a
// term section in the writer's TBX version.
func (w *Writer) names() (entry, lang, term string) {
	if w.v2 {
		return "termEntry", "langSet", "tig"
	}
	return "conceptEntry", "langSec", "termSec"
}

func (w *Writer) raw(s string) {
	if w.err == nil {
		_, w.err = w.w.WriteString(s)
	}
}

func (w *Writer) esc(s string) {
	if w.err == nil {
		w.err = xml.EscapeText(w.w, []byte(s))
	}
}

// elem writes <name attrs>text</name> on its own line.
func (w *Writer) elem(indent, name, typ, text string) {
	w.raw(indent + "<" + name)
	if typ != "" {
		w.raw(` type="` + typ + `"`)
	}
	w.raw(">")
	w.esc(text)
	w.raw("</" + name + ">\n")
}

var basicPOS = map[string]bool{"adjective": true, "noun": true, "other": true, "verb": true, "adverb": true}

var statusValue = map[glossary.Status]string{
	glossary.StatusPreferred:  "preferredTerm-admn-sts",
	glossary.StatusAdmitted:   "admittedTerm-admn-sts",
	glossary.StatusDeprecated: "deprecatedTerm-admn-sts",
	glossary.StatusForbidden:  "deprecatedTerm-admn-sts",
}

// Write writes one concept as a conceptEntry (termEntry in TBX v2). A
// concept without an ID gets a generated one ("c1", "c2", ... in file
// order), since TBX requires it.
func (w *Writer) Write(c glossary.Concept) error {
	if w.err != nil {
		return w.err
	}
	if w.n == 0 {
		w.raw("    <body>\n")
	}
	w.n++
	id := c.ID
	if id == "" {
		id = "c" + strconv.Itoa(w.n)
	}
	entry, lang, term := w.names()
	w.raw(`      <` + entry + ` id="`)
	w.esc(xmlID(id))
	w.raw("\">\n")
	const i1, i2, i3, i4 = "        ", "          ", "            ", "              "
	if c.ID != "" && xmlID(c.ID) != c.ID {
		w.elem(i1, "note", "", notePrefixID+c.ID)
	}
	if c.Subject != "" {
		w.elem(i1, "descrip", "subjectField", c.Subject)
	}
	if c.Definition != "" {
		w.elem(i1, "descrip", "definition", c.Definition)
	}
	if c.Note != "" {
		w.elem(i1, "note", "", c.Note)
	}
	if !c.ValidFrom.IsZero() {
		w.elem(i1, "note", "", notePrefixValidFrom+formatDate(c.ValidFrom))
	}
	if !c.ValidUntil.IsZero() {
		w.elem(i1, "note", "", notePrefixValidUntil+formatDate(c.ValidUntil))
	}
	// Group terms by language, keeping first-seen order.
	var langs []string
	byLang := map[string][]glossary.Term{}
	for _, t := range c.Terms {
		l := glossary.NormLang(t.Lang)
		if _, ok := byLang[l]; !ok {
			langs = append(langs, l)
		}
		byLang[l] = append(byLang[l], t)
	}
	for _, l := range langs {
		w.raw(i1 + `<` + lang + ` xml:lang="`)
		w.esc(l)
		w.raw("\">\n")
		for _, t := range byLang[l] {
			w.raw(i2 + "<" + term + ">\n")
			w.elem(i3, "term", "", t.Text)
			if st, ok := statusValue[t.Status]; ok {
				w.elem(i3, "termNote", "administrativeStatus", st)
			}
			if basicPOS[t.POS] {
				w.elem(i3, "termNote", "partOfSpeech", t.POS)
			}
			if t.Example != "" {
				w.raw(i3 + "<descripGrp>\n")
				w.elem(i4, "descrip", "context", t.Example)
				w.raw(i3 + "</descripGrp>\n")
			}
			if t.Note != "" {
				w.elem(i3, "note", "", t.Note)
			}
			if t.Usage != "" {
				w.elem(i3, "note", "", notePrefixUsage+t.Usage)
			}
			if t.POS != "" && !basicPOS[t.POS] {
				w.elem(i3, "note", "", notePrefixPOS+t.POS)
			}
			if t.Status == glossary.StatusForbidden {
				w.elem(i3, "note", "", noteForbidden)
			}
			w.raw(i2 + "</" + term + ">\n")
		}
		w.raw(i1 + "</" + lang + ">\n")
	}
	w.raw("      </" + entry + ">\n")
	return w.err
}

// Close ends the document and flushes it. A TBX v3 document without
// concepts has no body, which the schema allows.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	if w.n == 0 && w.v2 && w.err == nil {
		w.err = tolk.Errorf(tolk.EFAILEDPRE, "nothing to export: TBX v2 cannot hold an empty termbase (its body needs a termEntry); export TBX v3, or choose filters that match concepts")
		return w.err
	}
	if w.n > 0 {
		w.raw("    </body>\n")
	}
	if w.v2 {
		w.raw("  </text>\n</martif>\n")
	} else {
		w.raw("  </text>\n</tbx>\n")
	}
	if w.err == nil {
		w.err = w.w.Flush()
	}
	return w.err
}

// xmlID makes id a valid xml:id-like token when it is not one (TBX ids are
// xsd:ID: a letter or '_' first, no spaces or colons).
func xmlID(id string) string {
	var b strings.Builder
	for i, r := range id {
		ok := r == '_' || r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r > 0x7F && r != 0xFFFE && r != 0xFFFF
		if i == 0 && (r == '-' || r == '.' || r >= '0' && r <= '9') {
			b.WriteByte('_')
		}
		if ok {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

func formatDate(t time.Time) string { return t.UTC().Format(time.DateOnly) }
