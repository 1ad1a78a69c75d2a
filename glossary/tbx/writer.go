package tbx

import (
	"bufio"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"time"

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
type Writer struct {
	w      *bufio.Writer
	err    error
	closed bool
	n      int
}

// Options configure a Writer.
type Options struct {
	Lang  string // the file's xml:lang, default "en"
	Title string // the header's source description, default "Tolk glossary export"
}

// NewWriter writes the XML declaration and header to w. Call Close to end
// the document; Close does not close w.
func NewWriter(w io.Writer, opts ...Options) *Writer {
	o := Options{Lang: "en", Title: "Tolk glossary export"}
	if len(opts) > 0 {
		if opts[0].Lang != "" {
			o.Lang = opts[0].Lang
		}
		if opts[0].Title != "" {
			o.Title = opts[0].Title
		}
	}
	tw := &Writer{w: bufio.NewWriter(w)}
	tw.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	tw.raw(`<tbx type="TBX-Basic" style="dca" xml:lang="`)
	tw.esc(o.Lang)
	tw.raw(`" xmlns="` + Namespace + `">` + "\n")
	tw.raw("  <tbxHeader>\n    <fileDesc>\n      <sourceDesc>\n        <p>")
	tw.esc(o.Title)
	tw.raw("</p>\n      </sourceDesc>\n    </fileDesc>\n  </tbxHeader>\n  <text>\n    <body>\n")
	return tw
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

// Write writes one concept as a conceptEntry. A concept without an ID gets
// a generated one ("c1", "c2", ... in file order), since TBX requires it.
func (w *Writer) Write(c glossary.Concept) error {
	if w.err != nil {
		return w.err
	}
	w.n++
	id := c.ID
	if id == "" {
		id = "c" + strconv.Itoa(w.n)
	}
	w.raw(`      <conceptEntry id="`)
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
		w.raw(i1 + `<langSec xml:lang="`)
		w.esc(l)
		w.raw("\">\n")
		for _, t := range byLang[l] {
			w.raw(i2 + "<termSec>\n")
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
			w.raw(i2 + "</termSec>\n")
		}
		w.raw(i1 + "</langSec>\n")
	}
	w.raw("      </conceptEntry>\n")
	return w.err
}

// Close ends the document and flushes it.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	w.raw("    </body>\n  </text>\n</tbx>\n")
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
