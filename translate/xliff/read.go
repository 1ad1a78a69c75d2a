package xliff

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/tolkdev/tolk"
)

// maxDepth bounds the nesting of elements Read follows.
const maxDepth = 200

// Read parses an XLIFF 1.0, 1.1, 1.2, 2.0, 2.1 or 2.2 document.
//
// XLIFF 1.x: every <trans-unit> with translate other than "no" becomes a
// Unit; its <seg-source> segments (<mrk mtype="seg">) become Segments, paired
// with the target's segments by mid, and without <seg-source> the unit is
// one Segment whose ID is the unit's. <alt-trans>, <context-group>,
// <bin-unit> and extension elements are skipped. States map onto the 2.x
// ones: new and needs-translation/-l10n/-adaptation to initial, translated
// and needs-review-* to translated, signed-off to reviewed, final (or
// approved="yes") to final; Trados (sdl:seg conf) and memoQ (mq:status)
// statuses count when the target has no state; without any, a non-empty
// target counts as translated. File IDs are empty (1.x files have none).
//
// XLIFF 2.x: every <unit> with segments and translate other than "no"
// (on it, its groups or its file) becomes a Unit (groups are flattened), each <segment> a Segment;
// <ignorable> is skipped. Candidates (mtc:match) and glossary entries
// (gls:glossEntry) are attached to the segment their ref points to, terms
// with their offsets in the source. Read checks the core constraints an
// importer relies on (languages, ids, required elements, states, code and
// marker pairing, data references, candidate refs) and rejects a document
// that breaks them.
//
// Source and Target keep their text exactly, whitespace included; HTML
// entities such as &nbsp; are read although XML does not define them. A UTF-8
// byte order mark, UTF-16 (with a byte order mark, or without one when the
// document starts with "<?") and declared encodings of the WHATWG index
// (windows-1252…) are read. Errors are EINVALID *tolk.Error values whose
// Field is "line N" and whose message names the unit and says what is
// wrong; I/O errors are returned wrapped.
func Read(r io.Reader) (Document, error) {
	in, err := sniff(r)
	if err != nil {
		return Document{}, fmt.Errorf("reading XLIFF: %w", err)
	}
	d := xml.NewDecoder(in)
	d.CharsetReader = charsetReader
	d.Entity = xml.HTMLEntity // hand-edited files use &nbsp; and friends
	p := &parser{d: d}
	if err := p.document(); err != nil {
		return Document{}, err
	}
	fillContext(&p.doc)
	return p.doc, nil
}

// sniff strips a UTF-8 byte order mark and decodes UTF-16 to UTF-8.
func sniff(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(4)
	if err != nil && err != io.EOF {
		return nil, err
	}
	switch {
	case len(head) >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF:
		br.Discard(3)
		return br, nil
	case len(head) >= 2 && (head[0] == 0xFE && head[1] == 0xFF || head[0] == 0xFF && head[1] == 0xFE):
		return xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder().Reader(br), nil
	case len(head) == 4 && head[0] == 0 && head[1] == '<' && head[2] == 0 && head[3] == '?':
		return xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM).NewDecoder().Reader(br), nil
	case len(head) == 4 && head[0] == '<' && head[1] == 0 && head[2] == '?' && head[3] == 0:
		return xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM).NewDecoder().Reader(br), nil
	}
	return br, nil
}

// charsetReader decodes the encodings an XML declaration may name. UTF-16
// has been decoded by sniff already.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	l := strings.ToLower(strings.TrimSpace(label))
	if l == "utf-16" || l == "utf-16le" || l == "utf-16be" || l == "utf8" || l == "utf-8" {
		return in, nil
	}
	enc, err := htmlindex.Get(l)
	if err != nil {
		return nil, tolk.Invalidf("line 1", "the XML declaration names encoding %q, which Tolk cannot read: save the file as UTF-8", label)
	}
	return enc.NewDecoder().Reader(in), nil
}

// parser holds the state of one Read.
type parser struct {
	d      *xml.Decoder
	doc    Document
	v2     bool
	ns     string // the namespace of the root, which core elements share
	unitID string // the unit being read, for error messages
	sawTrg bool   // a 2.x target was seen (trgLang is then required)
	root   xml.StartElement
	space  string // xml:space in scope (2.x)
	// noTranslate is translate="no" in scope (2.x).
	noTranslate bool
}

// errf returns an EINVALID error located at the decoder's position.
func (p *parser) errf(format string, args ...any) error {
	line, _ := p.d.InputPos()
	return p.errAt(line, format, args...)
}

// errAt returns an EINVALID error located at line.
func (p *parser) errAt(line int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if p.unitID != "" {
		msg = fmt.Sprintf("unit %q: %s", p.unitID, msg)
	}
	return tolk.Invalidf("line "+strconv.Itoa(line), "%s", msg)
}

// xmlErr turns decoder errors into *tolk.Error where the input is at fault.
func (p *parser) xmlErr(err error) error {
	var te *tolk.Error
	if errors.As(err, &te) {
		return te
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := se.Msg
		if p.unitID != "" {
			msg = fmt.Sprintf("unit %q: %s", p.unitID, msg)
		}
		return tolk.Invalidf("line "+strconv.Itoa(se.Line), "not well-formed XML: %s", msg)
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return p.errf("the document ends before its elements are closed")
	}
	return fmt.Errorf("reading XLIFF: %w", err)
}

// tok returns the next token.
func (p *parser) tok() (xml.Token, error) {
	t, err := p.d.Token()
	if err != nil {
		return nil, p.xmlErr(err)
	}
	return t, nil
}

// skip consumes the rest of the element just opened.
func (p *parser) skip() error {
	if err := p.d.Skip(); err != nil {
		return p.xmlErr(err)
	}
	return nil
}

// children calls fn for each child element of the element just opened,
// which fn must consume, and returns after the element's end. Text between
// children is passed to text when it is not nil.
func (p *parser) children(fn func(xml.StartElement) error, text func(xml.CharData)) error {
	for {
		t, err := p.tok()
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		case xml.CharData:
			if text != nil {
				text(t)
			}
		}
	}
}

// textOf returns the character data of the element just opened, ignoring
// child elements' markup but keeping their text.
func (p *parser) textOf() (string, error) {
	var b strings.Builder
	depth := 0
	for {
		t, err := p.tok()
		if err != nil {
			return "", err
		}
		switch t := t.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return b.String(), nil
			}
			depth--
		case xml.CharData:
			b.Write(t)
		}
	}
}

// attr returns the value of the unprefixed attribute name.
func attr(se xml.StartElement, name string) string {
	v, _ := attrOK(se, "", name)
	return v
}

func attrOK(se xml.StartElement, space, name string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == name && a.Name.Space == space {
			return a.Value, true
		}
	}
	return "", false
}

// core reports whether se is the core element local.
func (p *parser) core(se xml.StartElement, local string) bool {
	return se.Name.Local == local && p.isCoreNS(se.Name.Space)
}

func (p *parser) isCoreNS(space string) bool {
	if space == p.ns {
		return true
	}
	if p.v2 {
		return space == nsCore20 || space == nsCore22
	}
	return space == "" || strings.HasPrefix(space, "urn:oasis:names:tc:xliff:document:1.")
}

func (p *parser) document() error {
	for {
		t, err := p.d.Token()
		if err == io.EOF {
			return tolk.Invalidf("line 1", "not an XLIFF document: the input holds no XML element")
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return tolk.Invalidf("line "+strconv.Itoa(se.Line), "not an XLIFF document: not well-formed XML: %s", se.Msg)
			}
			return p.xmlErr(err)
		}
		if se, ok := t.(xml.StartElement); ok {
			p.root = se
			break
		}
	}
	root := p.root
	if root.Name.Local != "xliff" {
		return p.errf("not an XLIFF document: the root element is <%s>, not <xliff>", root.Name.Local)
	}
	version := strings.TrimSpace(attr(root, "version"))
	p.ns = root.Name.Space
	switch {
	case p.ns == nsCore20 || p.ns == nsCore22:
		p.v2 = true
		if version != "" && !strings.HasPrefix(version, "2.") {
			return p.errf("version %q does not match the XLIFF 2 namespace %s", version, p.ns)
		}
	case p.ns == "" || strings.HasPrefix(p.ns, "urn:oasis:names:tc:xliff:document:1."):
		if version != "" && !strings.HasPrefix(version, "1.") {
			return p.errf("version %q needs the namespace urn:oasis:names:tc:xliff:document:%s, not %q", version, version, p.ns)
		}
	default:
		return p.errf("unknown XLIFF namespace %q (version %q): Tolk reads XLIFF 1.0–1.2 and 2.0–2.2", p.ns, version)
	}
	if p.v2 {
		return p.document2()
	}
	return p.document1()
}

// fillContext sets PrevSource and NextSource of every segment from its
// neighbours in the same file.
func fillContext(d *Document) {
	for fi := range d.Files {
		var prev *Segment
		for ui := range d.Files[fi].Units {
			u := &d.Files[fi].Units[ui]
			for si := range u.Segments {
				s := &u.Segments[si]
				s.PrevSource, s.NextSource = "", ""
				if prev != nil {
					s.PrevSource = prev.Source
					prev.NextSource = s.Source
				}
				prev = s
			}
		}
	}
}

// IsXLIFF reports whether head, the first bytes of a file, begins an XLIFF
// document: its root element is xliff, with or without a namespace prefix
// (<x:xliff>), in UTF-8 or UTF-16. Comments and the prolog before the root
// are passed over, so a TMX file that mentions <xliff> in a comment is not
// XLIFF. head should hold the whole prolog (2 KiB is plenty for real
// files); a head that ends before the root element is not XLIFF.
func IsXLIFF(head []byte) bool {
	in, err := sniff(bytes.NewReader(head))
	if err != nil {
		return false
	}
	d := xml.NewDecoder(in)
	d.CharsetReader = charsetReader
	d.Strict = false
	for {
		t, err := d.RawToken()
		if err != nil {
			return false
		}
		if se, ok := t.(xml.StartElement); ok {
			return se.Name.Local == "xliff"
		}
	}
}
