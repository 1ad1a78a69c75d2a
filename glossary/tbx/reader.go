// Package tbx reads and writes TermBase eXchange files.
//
// Reader streams concepts from TBX v3 (ISO 30042:2019: <tbx>,
// conceptEntry/langSec/termSec, data categories in DCA style as
// <descrip type="definition"> or in DCT style as namespaced elements such
// as <basic:definition>) and from TBX v2 (<martif>: termEntry/langSet with
// tig, or ntig/termGrp). For v3 files that declare the TBX-Basic or TBX-Min
// dialect it also checks the dialect's data categories, picklists and
// levels, so invalid files are rejected with a line number and a reason.
//
// Writer writes TBX v3, TBX-Basic dialect, DCA style (NewWriter), or the
// same content as TBX v2 <martif> for older tools (NewWriterV2).
package tbx

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/glossary/internal/textenc"
)

// Namespace is the TBX v3 namespace.
const Namespace = "urn:iso:std:iso:30042:ed-2"

const xmlNS = "http://www.w3.org/XML/1998/namespace"

// Reader streams the concepts of a TBX file.
type Reader struct {
	d       *xml.Decoder
	version int    // 2 or 3
	dialect string // TBX-Basic, TBX-Min, TBX-Core... (v3 tbx@type)
	style   string // dca or dct
	check   *dialectRules
	root    string
	err     error
}

// NewReader reads the start of r up to its root element and returns a
// reader of its entries. It rejects input that is not XML or whose root is
// neither <tbx> nor <martif>. Encodings: a UTF-8 or UTF-16 byte-order
// mark, or the XML declaration's encoding (windows-1254, ISO-8859-1, ...).
func NewReader(r io.Reader) (*Reader, error) {
	in, utf16, err := textenc.BOMReader(r)
	if err != nil {
		return nil, fmt.Errorf("reading TBX: %w", err)
	}
	return newReader(in, textenc.CharsetReaderAfter(utf16))
}

// NewReaderEncoding is NewReader for a file whose character encoding the
// user names: it overrides the byte-order mark and the XML declaration.
// An empty encoding is NewReader.
func NewReaderEncoding(r io.Reader, encoding string) (*Reader, error) {
	if encoding == "" {
		return NewReader(r)
	}
	in, _, err := textenc.Reader(r, encoding)
	if err != nil {
		return nil, err
	}
	return newReader(in, func(_ string, input io.Reader) (io.Reader, error) { return input, nil })
}

func newReader(in io.Reader, charset func(string, io.Reader) (io.Reader, error)) (*Reader, error) {
	d := xml.NewDecoder(in)
	d.CharsetReader = charset
	t := &Reader{d: d}
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, t.wrap(err, "before the root element")
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		t.root = se.Name.Local
		switch se.Name.Local {
		case "tbx":
			t.version = 3
			t.dialect = attr(se, "type")
			t.style = strings.ToLower(attr(se, "style"))
			if se.Name.Space != Namespace && se.Name.Space != "" {
				return nil, t.errorf("root <tbx> is in namespace %q: TBX v3 uses %q", se.Name.Space, Namespace)
			}
			t.check = rulesFor(t.dialect)
		case "martif":
			t.version = 2
		default:
			return nil, t.errorf("root element <%s> is not TBX: want <tbx> (TBX v3) or <martif> (TBX v2)", se.Name.Local)
		}
		return t, nil
	}
}

// Version returns 3 for TBX v3 (<tbx>) and 2 for TBX v2 (<martif>).
func (t *Reader) Version() int { return t.version }

// Dialect returns the v3 dialect the file declares (TBX-Basic, TBX-Min,
// TBX-Core...), or "" for v2.
func (t *Reader) Dialect() string { return t.dialect }

func (t *Reader) pos() string {
	line, _ := t.d.InputPos()
	return "line " + strconv.Itoa(line)
}

func (t *Reader) errorf(format string, args ...any) error {
	return tolk.Invalidf(t.pos(), format, args...)
}

// wrap turns a decoder error into a positioned *tolk.Error.
func (t *Reader) wrap(err error, where string) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return tolk.Invalidf("line "+strconv.Itoa(se.Line), "malformed XML: %s", se.Msg)
	}
	if err == io.EOF {
		return t.errorf("the file ends %s: it is cut short or not TBX", where)
	}
	var te *tolk.Error
	if errors.As(err, &te) {
		return err
	}
	return tolk.Invalidf(t.pos(), "%v", err)
}

// Next returns the next concept entry, or io.EOF after the last one.
// Entries without any term are skipped. After an error every call returns
// the same error.
func (t *Reader) Next() (glossary.Concept, error) {
	if t.err != nil {
		return glossary.Concept{}, t.err
	}
	c, err := t.next()
	if err != nil {
		t.err = err
	}
	return c, err
}

func (t *Reader) next() (glossary.Concept, error) {
	for {
		tok, err := t.d.Token()
		if err != nil {
			return glossary.Concept{}, t.wrap(err, "before the root element is closed")
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "conceptEntry", "termEntry":
				pos := t.pos()
				c, err := t.entry(el)
				if err != nil {
					return glossary.Concept{}, err
				}
				c = glossary.Normalize(c)
				if len(c.Terms) == 0 {
					continue
				}
				if err := glossary.Validate(c, pos); err != nil {
					return glossary.Concept{}, err
				}
				return c, nil
			case "text", "body":
				continue // descend
			default:
				if t.version == 3 && el.Name.Local != "tbxHeader" && el.Name.Local != "back" && el.Name.Local != "martifHeader" {
					return glossary.Concept{}, t.errorf("<%s> may not appear here: <text> holds <body> and <back>, <body> holds <conceptEntry>", el.Name.Local)
				}
				if err := t.d.Skip(); err != nil {
					return glossary.Concept{}, t.wrap(err, "inside <"+el.Name.Local+">")
				}
			}
		case xml.EndElement:
			if el.Name.Local == t.root {
				t.drain()
				return glossary.Concept{}, io.EOF
			}
		}
	}
}

// drain reads to the end so that trailing garbage is still reported.
func (t *Reader) drain() {
	for {
		if _, err := t.d.Token(); err != nil {
			return
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && (a.Name.Space == "" || a.Name.Space == xmlNS && local == "lang") {
			return a.Value
		}
	}
	return ""
}

func langAttr(se xml.StartElement) string {
	for _, a := range se.Attr {
		if a.Name.Local == "lang" && (a.Name.Space == xmlNS || a.Name.Space == "xml" || a.Name.Space == "") {
			return a.Value
		}
	}
	return ""
}

// level names where a data category stands, for the dialect checks.
const (
	levelEntry = "conceptEntry"
	levelLang  = "langSec"
	levelTerm  = "termSec"
)

// entry parses one conceptEntry or termEntry.
func (t *Reader) entry(se xml.StartElement) (glossary.Concept, error) {
	c := glossary.Concept{ID: attr(se, "id")}
	err := t.children(se, func(ch xml.StartElement) error {
		switch ch.Name.Local {
		case "langSec", "langSet":
			return t.lang(ch, &c)
		default:
			return t.category(ch, levelEntry, &c, nil)
		}
	})
	return c, err
}

// children calls f for every child element of se and consumes se's end.
func (t *Reader) children(se xml.StartElement, f func(xml.StartElement) error) error {
	for {
		tok, err := t.d.Token()
		if err != nil {
			return t.wrap(err, "inside <"+se.Name.Local+">")
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if err := f(el); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

func (t *Reader) lang(se xml.StartElement, c *glossary.Concept) error {
	l := langAttr(se)
	if l == "" {
		return t.errorf("<%s> has no xml:lang attribute: say which language its terms are in", se.Name.Local)
	}
	if !glossary.LooksLikeLang(l) {
		return t.errorf("<%s xml:lang=%q>: not a language code such as nl or en-GB", se.Name.Local, l)
	}
	l = glossary.NormLang(l)
	return t.children(se, func(ch xml.StartElement) error {
		switch ch.Name.Local {
		case "termSec", "tig", "ntig":
			return t.term(ch, l, c)
		default:
			return t.category(ch, levelLang, c, nil)
		}
	})
}

// term parses termSec (v3), tig or ntig (v2) into a term of c.
func (t *Reader) term(se xml.StartElement, lang string, c *glossary.Concept) error {
	tm := glossary.Term{Lang: lang}
	nTerms := 0
	first := true
	var visit func(ch xml.StartElement) error
	visit = func(ch xml.StartElement) error {
		isFirst := first
		first = false
		switch ch.Name.Local {
		case "term":
			nTerms++
			if nTerms > 1 {
				return t.errorf("<%s> holds a second <term>: give each term its own <%s>", se.Name.Local, se.Name.Local)
			}
			if t.version == 3 && !isFirst {
				return t.errorf("<term> must be the first child of <termSec>")
			}
			s, err := t.text(ch)
			tm.Text = s
			return err
		case "termGrp":
			first = true
			return t.children(ch, visit)
		default:
			if t.version == 3 && isFirst {
				return t.errorf("<termSec> must start with <term>, not <%s>", ch.Name.Local)
			}
			return t.category(ch, levelTerm, c, &tm)
		}
	}
	if err := t.children(se, visit); err != nil {
		return err
	}
	if nTerms == 0 && t.version == 3 {
		return t.errorf("<termSec> has no <term>")
	}
	c.Terms = append(c.Terms, tm)
	return nil
}

// text returns the character data inside se (inline markup flattened),
// its white space collapsed to single spaces, and consumes its end. Terms,
// picklist values and dates are read this way.
func (t *Reader) text(se xml.StartElement) (string, error) {
	s, err := t.rawText(se)
	return strings.Join(strings.Fields(s), " "), err
}

// prose is text for notes, definitions and examples: it keeps their line
// breaks (the writer escapes a newline as &#xA;), collapsing white space
// within each line and dropping blank lines, so that a pretty-printed
// element reads as its words.
func (t *Reader) prose(se xml.StartElement) (string, error) {
	s, err := t.rawText(se)
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n"), err
}

// rawText returns the character data inside se and consumes its end.
func (t *Reader) rawText(se xml.StartElement) (string, error) {
	var b strings.Builder
	depth := 1
	for depth > 0 {
		tok, err := t.d.Token()
		if err != nil {
			return "", t.wrap(err, "inside <"+se.Name.Local+">")
		}
		switch el := tok.(type) {
		case xml.CharData:
			b.Write(el)
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return b.String(), nil
}

// dcaElements are the TBX elements whose type attribute names the data
// category.
var dcaElements = map[string]bool{
	"descrip": true, "termNote": true, "admin": true, "transac": true, "transacNote": true,
	"xref": true, "ref": true, "descripNote": true, "adminNote": true,
}

// category handles one child element at a level: a data category (DCA
// element with a type, or DCT namespaced element), a note, or a group
// (descripGrp, adminGrp, termNoteGrp, transacGrp...) whose children stand at
// the same level. tm is nil above the term level.
func (t *Reader) category(se xml.StartElement, level string, c *glossary.Concept, tm *glossary.Term) error {
	local := se.Name.Local
	switch {
	case local == "transacGrp":
		return t.children(se, func(ch xml.StartElement) error { return t.transac(ch, level) })
	case strings.HasSuffix(local, "Grp"):
		return t.children(se, func(ch xml.StartElement) error { return t.category(ch, level, c, tm) })
	case local == "note":
		s, err := t.prose(se)
		if err != nil {
			return err
		}
		applyNote(s, c, tm)
		return nil
	}
	var kind, cat string
	switch {
	case dcaElements[local] && (se.Name.Space == "" || se.Name.Space == Namespace):
		kind, cat = local, attr(se, "type")
		if cat == "" {
			if t.version == 2 {
				return t.d.Skip() // v2 exports are lax: ignore an untyped category
			}
			return t.errorf("<%s> has no type attribute: name its data category (for example type=\"definition\")", local)
		}
	case se.Name.Space != "" && se.Name.Space != Namespace:
		kind, cat = "dct", local // DCT style: the element names the category
	default:
		if t.version == 3 {
			return t.errorf("<%s> is not a TBX element allowed in <%s>", local, level)
		}
		return t.d.Skip()
	}
	v, err := t.prose(se)
	if err != nil {
		return err
	}
	if t.check != nil {
		if err := t.check.check(t, kind, cat, v, level); err != nil {
			return err
		}
	}
	apply(cat, v, level, c, tm)
	return nil
}

// transac handles the children of a transacGrp (dates and responsibility).
func (t *Reader) transac(se xml.StartElement, level string) error {
	local := se.Name.Local
	kind, cat := local, attr(se, "type")
	if se.Name.Space != "" && se.Name.Space != Namespace {
		kind, cat = "dct", local
	}
	v, err := t.text(se)
	if err != nil {
		return err
	}
	if local == "date" || t.check == nil {
		return nil
	}
	if kind != "dct" && cat == "" && t.version == 3 {
		return t.errorf("<%s> has no type attribute", local)
	}
	return t.check.check(t, kind, cat, v, level)
}

// Tolk's note conventions for fields TBX-Basic has no data category for;
// Writer writes them and Reader reads them back.
const (
	notePrefixID         = "Concept id: "
	notePrefixValidFrom  = "Valid from: "
	notePrefixValidUntil = "Valid until: "
	notePrefixUsage      = "Usage: "
	notePrefixPOS        = "Part of speech: "
	noteForbidden        = "Status: forbidden"
)

func applyNote(s string, c *glossary.Concept, tm *glossary.Term) {
	if tm == nil {
		switch {
		case strings.HasPrefix(s, notePrefixID):
			c.ID = strings.TrimPrefix(s, notePrefixID)
			return
		case strings.HasPrefix(s, notePrefixValidFrom):
			if d, err := parseDate(strings.TrimPrefix(s, notePrefixValidFrom)); err == nil {
				c.ValidFrom = d
				return
			}
		case strings.HasPrefix(s, notePrefixValidUntil):
			if d, err := parseDate(strings.TrimPrefix(s, notePrefixValidUntil)); err == nil {
				c.ValidUntil = d
				return
			}
		}
		c.Note = join(c.Note, s)
		return
	}
	switch {
	case strings.HasPrefix(s, notePrefixUsage):
		tm.Usage = join(tm.Usage, strings.TrimPrefix(s, notePrefixUsage))
	case strings.HasPrefix(s, notePrefixPOS) && tm.POS == "":
		tm.POS = strings.TrimPrefix(s, notePrefixPOS)
	case s == noteForbidden:
		tm.Status = glossary.StatusForbidden
	default:
		tm.Note = join(tm.Note, s)
	}
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + "\n" + b
}

// apply stores a data category's value where Tolk keeps it.
func apply(cat, v, level string, c *glossary.Concept, tm *glossary.Term) {
	if v == "" {
		return
	}
	switch strings.ToLower(cat) {
	case "subjectfield":
		if c.Subject == "" {
			c.Subject = v
		}
	case "definition":
		if c.Definition == "" {
			c.Definition = v
		}
	case "context":
		if tm != nil && tm.Example == "" {
			tm.Example = v
		}
	case "partofspeech":
		if tm != nil {
			tm.POS = v
		}
	case "administrativestatus", "normativeauthorization", "usagestatus":
		if tm != nil {
			if st, ok := glossary.ParseStatus(v); ok && (tm.Status == "" || st != glossary.StatusAdmitted) {
				tm.Status = st
			}
		}
	case "geographicalusage", "usagenote", "register":
		if tm != nil {
			tm.Usage = join(tm.Usage, v)
		}
	}
}
