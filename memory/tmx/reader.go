// Package tmx reads and writes Translation Memory eXchange files (TMX 1.1
// and 1.4b) as memory.Unit values: a streaming Reader that copes with the
// encodings, language codes and inline markup real tools write, and a
// Writer of TMX 1.4b that validates against the TMX 1.4 DTD.
package tmx

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/segment"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Header is the TMX <header>: its attributes, properties and notes.
type Header struct {
	Version             string // the <tmx version> read; the Writer always writes "1.4"
	SrcLang             string // srclang; "*all*" allowed
	TargetLang          string // not a TMX header attribute: the Writer's target xml:lang
	AdminLang           string
	CreationTool        string
	CreationToolVersion string
	SegType             string // block, paragraph, sentence or phrase
	OTMF                string // o-tmf
	DataType            string
	OEncoding           string
	CreationDate        time.Time
	CreationID          string
	ChangeDate          time.Time
	ChangeID            string
	Props               []memory.Prop
	Notes               []string
}

// Options says which languages a Reader picks from each unit.
type Options struct {
	// SourceLang and TargetLang are language prefixes, "nl" and "en" when
	// empty. A variant matches when its language equals the prefix or
	// starts with it followed by '-' or '_', ignoring case ("nl" matches
	// "NL-be"; "en-gb" matches "en-GB" only).
	SourceLang, TargetLang string

	// SkipBadUnits leaves out a <tu> that is well-formed XML but whose
	// content is refused (a usagecount, date or penalty property that is
	// not one), with a Warning, instead of stopping. XML that is not
	// well-formed, and a reading limit, stop the reader all the same.
	SkipBadUnits bool

	stdlib          bool  // tokenize with encoding/xml instead of the scanner (tests)
	maxDecompressed int64 // MaxDecompressedBytes when 0 (tests set less)
}

// Properties with these types carry Unit fields that TMX has no attribute
// for; the Writer writes them and the Reader reads them back.
const (
	PropOrigin  = "x-tolk-origin"
	PropPenalty = "x-tolk-penalty"
	PropPrev    = "x-tolk-prev"
	PropNext    = "x-tolk-next"
)

// Reader reads the units of a TMX document one at a time.
type Reader struct {
	d       tokenizer
	opt     Options
	h       Header
	tu      int // 1-based index of the last <tu> started
	stack   []xml.Name
	held    int // bytes read of the current <tu> or the header: see MaxUnitBytes
	skipped int
	warns   []Warning
	// tokFailed is set when token fails: the document, not a unit, is bad.
	tokFailed bool
	queue     []memory.Unit
	err       error
	done      bool
}

// NewReader starts reading a TMX document from r: it detects gzip, a UTF-8
// or UTF-16 byte order mark (or UTF-16 without one) and a declared
// single-byte encoding, then reads up to the <body> so that Header is
// available. The caller closes r after the last Next.
func NewReader(r io.Reader, opt Options) (*Reader, error) {
	if opt.SourceLang == "" {
		opt.SourceLang = "nl"
	}
	if opt.TargetLang == "" {
		opt.TargetLang = "en"
	}
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, tolk.Invalidf("file", "the file looks gzip-compressed but is not: %v", err)
		}
		maxBytes := opt.maxDecompressed
		if maxBytes == 0 {
			maxBytes = MaxDecompressedBytes
		}
		br = bufio.NewReaderSize(&gzipGuard{r: zr, compressed: cr, maxBytes: maxBytes}, 64<<10)
	}
	var in io.Reader = br
	utf16 := false
	head, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(head, []byte{0xef, 0xbb, 0xbf}):
		br.Discard(3)
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}), bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		in = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
		utf16 = true
	case bytes.HasPrefix(head, []byte{'<', 0, '?', 0}):
		in = transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder())
		utf16 = true
	case bytes.HasPrefix(head, []byte{0, '<', 0, '?'}):
		in = transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder())
		utf16 = true
	}
	charset := func(label string, input io.Reader) (io.Reader, error) {
		l := strings.ToLower(strings.TrimSpace(label))
		if strings.HasPrefix(l, "utf-16") || strings.HasPrefix(l, "ucs-2") {
			if utf16 {
				return input, nil
			}
			return nil, fmt.Errorf("the file declares encoding %q but has no UTF-16 byte order mark", label)
		}
		if utf16 {
			return input, nil // already transcoded; the declaration lies but the BOM does not
		}
		enc, err := htmlindex.Get(l)
		if err != nil {
			return nil, fmt.Errorf("unknown encoding %q", label)
		}
		return enc.NewDecoder().Reader(input), nil
	}
	var d tokenizer
	if opt.stdlib {
		dec := xml.NewDecoder(in)
		dec.Strict = true
		dec.CharsetReader = charset
		d = dec
	} else {
		d = newScanner(in, charset)
	}
	rd := &Reader{d: d, opt: opt}
	if err := rd.readHeader(); err != nil {
		return nil, err
	}
	return rd, nil
}

// Header returns the document's header.
func (r *Reader) Header() Header { return r.h }

// Skipped returns how many units (TU variants pairs) were skipped so far
// because a <tu> lacked the source or the target language, or its segment
// was empty.
func (r *Reader) Skipped() int { return r.skipped }

// Warning is a <tu> the reader left out, and where it stands.
type Warning struct {
	Where   string // "line 12, column 3 (unit 4)"
	Message string
}

// Warnings returns the warnings since the last call: one for each <tu>
// that Skipped counts. Call it as you read, so that they do not pile up.
func (r *Reader) Warnings() []Warning {
	w := r.warns
	r.warns = nil
	return w
}

// where describes the reader's position for an error message.
func (r *Reader) where() string {
	line, col := r.d.InputPos()
	if r.tu > 0 {
		return fmt.Sprintf("line %d, column %d (unit %d)", line, col, r.tu)
	}
	return fmt.Sprintf("line %d, column %d", line, col)
}

func (r *Reader) fail(format string, args ...any) error {
	return &tolk.Error{Code: tolk.EINVALID, Field: r.where(), Message: fmt.Sprintf(format, args...)}
}

// token returns the next token, holding the document to MaxDepth and each
// unit to MaxUnitBytes. It records whether it failed, so that readTU can
// tell a broken document from a refused unit.
func (r *Reader) token() (xml.Token, error) {
	t, err := r.rawToken()
	if err != nil {
		r.tokFailed = true
	}
	return t, err
}

func (r *Reader) rawToken() (xml.Token, error) {
	t, err := r.d.RawToken()
	if err != nil {
		if err == io.EOF {
			return nil, r.fail("the file ends before </tmx>")
		}
		var le *limitError
		if errors.As(err, &le) {
			return nil, &tolk.Error{Code: tolk.ELIMIT, Field: r.where(), Message: le.Error()}
		}
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, &tolk.Error{Code: tolk.EINVALID, Field: fmt.Sprintf("line %d", se.Line), Message: "not well-formed XML: " + se.Msg}
		}
		return nil, &tolk.Error{Code: tolk.EINVALID, Field: r.where(), Message: "cannot read the file: " + err.Error()}
	}
	// RawToken does not match end tags with start tags: do it here.
	switch e := t.(type) {
	case xml.CharData:
		err = r.hold(len(e))
	case xml.StartElement:
		if len(r.stack) == MaxDepth {
			return nil, r.limit(fmt.Sprintf("<%s> is nested deeper than the limit MaxDepth of %d elements", qname(e.Name), MaxDepth))
		}
		r.stack = append(r.stack, e.Name)
		n := len(e.Name.Local)
		for _, a := range e.Attr {
			n += len(a.Name.Local) + len(a.Value)
		}
		err = r.hold(n)
	case xml.EndElement:
		if len(r.stack) == 0 || r.stack[len(r.stack)-1] != e.Name {
			open := "nothing"
			if len(r.stack) > 0 {
				open = "<" + qname(r.stack[len(r.stack)-1]) + ">"
			}
			return nil, r.fail("not well-formed XML: </%s> closes %s", qname(e.Name), open)
		}
		r.stack = r.stack[:len(r.stack)-1]
	}
	return t, err
}

// hold counts n more bytes read for the current unit (or the header).
func (r *Reader) hold(n int) error {
	if r.held += n; r.held > MaxUnitBytes {
		what := "the <header>"
		if r.tu > 0 {
			what = fmt.Sprintf("unit %d (<tu>)", r.tu)
		}
		return r.limit(tooLong(what, "MaxUnitBytes", MaxUnitBytes).Error())
	}
	return nil
}

// limit returns an ELIMIT *tolk.Error at the current position.
func (r *Reader) limit(msg string) error {
	return &tolk.Error{Code: tolk.ELIMIT, Field: r.where(), Message: msg}
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// lang returns xml:lang (TMX 1.4) or lang (TMX 1.1).
func lang(e xml.StartElement) string {
	v := ""
	for _, a := range e.Attr {
		if a.Name.Local == "lang" && (a.Name.Space == "xml" || v == "") {
			v = a.Value
		}
	}
	return v
}

func (r *Reader) date(e xml.StartElement, name string) (time.Time, error) {
	v := strings.TrimSpace(attr(e, name))
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"20060102T150405Z", "20060102T150405", time.RFC3339} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, r.fail("%s %q is not a TMX date (YYYYMMDDThhmmssZ)", name, v)
}

func (r *Reader) readHeader() error {
	sawTMX := false
	for {
		t, err := r.token()
		if err != nil {
			return err
		}
		switch e := t.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "tmx":
				sawTMX = true
				r.h.Version = attr(e, "version")
			case "header":
				if !sawTMX {
					return r.fail("<header> outside <tmx>: this is not a TMX file")
				}
				if err := r.readHeaderElem(e); err != nil {
					return err
				}
			case "body":
				if !sawTMX {
					return r.fail("<body> outside <tmx>: this is not a TMX file")
				}
				return nil
			default:
				if !sawTMX {
					return r.fail("the root element is <%s>, not <tmx>: this is not a TMX file", e.Name.Local)
				}
				if err := r.skip(); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if e.Name.Local == "tmx" {
				return r.fail("the file has no <body>")
			}
		}
	}
}

func (r *Reader) readHeaderElem(e xml.StartElement) error {
	h := &r.h
	h.SrcLang = attr(e, "srclang")
	h.AdminLang = attr(e, "adminlang")
	h.CreationTool = attr(e, "creationtool")
	h.CreationToolVersion = attr(e, "creationtoolversion")
	h.SegType = attr(e, "segtype")
	h.OTMF = attr(e, "o-tmf")
	h.DataType = attr(e, "datatype")
	h.OEncoding = attr(e, "o-encoding")
	h.CreationID = attr(e, "creationid")
	h.ChangeID = attr(e, "changeid")
	var err error
	if h.CreationDate, err = r.date(e, "creationdate"); err != nil {
		return err
	}
	if h.ChangeDate, err = r.date(e, "changedate"); err != nil {
		return err
	}
	for {
		t, err := r.token()
		if err != nil {
			return err
		}
		switch c := t.(type) {
		case xml.StartElement:
			ok, err := r.propOrNote(c, &h.Props, &h.Notes)
			if err == nil && !ok {
				err = r.skip()
			}
			if err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// propOrNote reads a <prop> or <note> element just started into props or
// notes; ok is false, and nothing read, for any other element.
func (r *Reader) propOrNote(c xml.StartElement, props *[]memory.Prop, notes *[]string) (ok bool, err error) {
	switch c.Name.Local {
	case "prop":
		v, err := r.text("prop")
		if err != nil {
			return true, err
		}
		*props = append(*props, memory.Prop{Type: attr(c, "type"), Value: v})
	case "note":
		v, err := r.text("note")
		if err != nil {
			return true, err
		}
		*notes = append(*notes, v)
	default:
		return false, nil
	}
	return true, nil
}

// text reads the character content of a simple element up to its end.
func (r *Reader) text(name string) (string, error) {
	var b strings.Builder
	depth := 0
	for {
		t, err := r.token()
		if err != nil {
			return "", err
		}
		switch c := t.(type) {
		case xml.CharData:
			b.Write(c)
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return b.String(), nil
			}
			depth--
		}
	}
}

// tuv is one language variant of a unit.
type tuv struct {
	lang    string
	text    string
	codes   []memory.Code
	props   []memory.Prop
	notes   []string
	created time.Time
	changed time.Time
	cby     string
	chby    string
}

// Next returns the next unit with both languages. A <tu> with several
// target variants gives one unit per variant. It returns io.EOF at the end
// of the body, and an EINVALID *tolk.Error whose Field says where (line,
// column, unit number) for a malformed document.
func (r *Reader) Next() (memory.Unit, error) {
	for len(r.queue) == 0 {
		if r.err != nil {
			return memory.Unit{}, r.err
		}
		if r.done {
			return memory.Unit{}, io.EOF
		}
		if err := r.readTU(); err != nil {
			r.fatal(err)
		}
	}
	u := r.queue[0]
	r.queue = r.queue[1:]
	return u, nil
}

// fatal records err as the Reader's last word and drops what it holds.
func (r *Reader) fatal(err error) {
	r.err, r.queue, r.stack = err, nil, nil
	if s, ok := r.d.(*scanner); ok {
		s.release()
	}
}

func matchLang(l, prefix string) bool {
	if len(l) < len(prefix) || !strings.EqualFold(l[:len(prefix)], prefix) {
		return false
	}
	return len(l) == len(prefix) || l[len(prefix)] == '-' || l[len(prefix)] == '_'
}

// readTU reads up to and including the next </tu> (or </body>) and queues
// its units.
func (r *Reader) readTU() error {
	for {
		t, err := r.token()
		if err != nil {
			return err
		}
		switch e := t.(type) {
		case xml.StartElement:
			if e.Name.Local != "tu" {
				return r.fail("unexpected <%s> in <body>: expected <tu>", e.Name.Local)
			}
			r.tu++
			r.held = 0
			depth := len(r.stack)
			r.tokFailed = false
			err := r.readTUElem(e)
			if err == nil || !r.opt.SkipBadUnits || r.tokFailed {
				return err
			}
			// The XML is sound, the unit is not: leave it out and read on
			// after its </tu>.
			where, msg := r.where(), err.Error()
			var te *tolk.Error
			if errors.As(err, &te) && te.Field != "" {
				where, msg = te.Field, te.Message
			}
			r.warns = append(r.warns, Warning{Where: where, Message: "left out: " + msg})
			r.skipped++
			for len(r.stack) >= depth {
				if _, err := r.token(); err != nil {
					return err
				}
			}
			return nil
		case xml.EndElement:
			if e.Name.Local == "body" {
				r.done = true
				return nil
			}
			return r.fail("unexpected </%s> in <body>", e.Name.Local)
		}
	}
}

func (r *Reader) readTUElem(e xml.StartElement) error {
	var u memory.Unit
	u.TUID = attr(e, "tuid")
	u.CreatedBy = attr(e, "creationid")
	u.ChangedBy = attr(e, "changeid")
	var err error
	if u.Created, err = r.date(e, "creationdate"); err != nil {
		return err
	}
	if u.Changed, err = r.date(e, "changedate"); err != nil {
		return err
	}
	if u.LastUsed, err = r.date(e, "lastusagedate"); err != nil {
		return err
	}
	if v := strings.TrimSpace(attr(e, "usagecount")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return r.fail("usagecount %q is not a count", v)
		}
		u.UsageCount = n
	}
	u.Origin = "imported"
	var tuvs []tuv
	for {
		t, err := r.token()
		if err != nil {
			return err
		}
		switch c := t.(type) {
		case xml.StartElement:
			switch c.Name.Local {
			case "prop":
				v, err := r.text("prop")
				if err != nil {
					return err
				}
				switch typ := attr(c, "type"); typ {
				case PropOrigin:
					u.Origin = v
				case PropPenalty:
					n, err := strconv.Atoi(strings.TrimSpace(v))
					if err != nil || n < 0 || n > 100 {
						return r.fail("property %s %q is not a number of score points from 0 to 100", PropPenalty, v)
					}
					u.Penalty = n
				case PropPrev:
					u.PrevSource = v
				case PropNext:
					u.NextSource = v
				default:
					u.Props = append(u.Props, memory.Prop{Type: typ, Value: v})
				}
			case "note":
				v, err := r.text("note")
				if err != nil {
					return err
				}
				u.Notes = append(u.Notes, v)
			case "tuv":
				v, err := r.readTUV(c)
				if err != nil {
					return err
				}
				tuvs = append(tuvs, v)
			default:
				if err := r.skip(); err != nil {
					return err
				}
			}
		case xml.EndElement:
			r.emit(u, tuvs)
			return nil
		}
	}
}

func (r *Reader) emit(u memory.Unit, tuvs []tuv) {
	var src *tuv
	for i := range tuvs {
		if matchLang(tuvs[i].lang, r.opt.SourceLang) && strings.TrimSpace(tuvs[i].text) != "" {
			src = &tuvs[i]
			break
		}
	}
	n := 0
	for i := range tuvs {
		tg := &tuvs[i]
		if !matchLang(tg.lang, r.opt.TargetLang) || strings.TrimSpace(tg.text) == "" || src == nil {
			continue
		}
		v := u
		v.Source, v.SourceCodes, v.SourceProps, v.SourceNotes = src.text, src.codes, src.props, src.notes
		v.Target, v.TargetCodes, v.TargetProps, v.TargetNotes = tg.text, tg.codes, tg.props, tg.notes
		v.SourceLang, v.TargetLang = src.lang, tg.lang // as written: en-US stays en-US
		// Dates and users on the variants stand in for missing unit ones.
		for _, x := range []*tuv{tg, src} {
			if v.Created.IsZero() {
				v.Created = x.created
			}
			if v.Changed.IsZero() {
				v.Changed = x.changed
			}
			if v.CreatedBy == "" {
				v.CreatedBy = x.cby
			}
			if v.ChangedBy == "" {
				v.ChangedBy = x.chby
			}
		}
		r.queue = append(r.queue, v)
		n++
	}
	if n == 0 {
		r.skipped++
		r.warns = append(r.warns, Warning{Where: r.where(), Message: fmt.Sprintf("left out: no %s and %s variant with text", r.opt.SourceLang, r.opt.TargetLang)})
	}
}

func (r *Reader) readTUV(e xml.StartElement) (tuv, error) {
	v := tuv{lang: lang(e), cby: attr(e, "creationid"), chby: attr(e, "changeid")}
	var err error
	if v.created, err = r.date(e, "creationdate"); err != nil {
		return v, err
	}
	if v.changed, err = r.date(e, "changedate"); err != nil {
		return v, err
	}
	if v.lang == "" {
		return v, r.fail("<tuv> without xml:lang or lang")
	}
	sawSeg := false
	for {
		t, err := r.token()
		if err != nil {
			return v, err
		}
		switch c := t.(type) {
		case xml.StartElement:
			if ok, err := r.propOrNote(c, &v.props, &v.notes); ok || err != nil {
				if err != nil {
					return v, err
				}
				continue
			}
			switch c.Name.Local {
			case "seg":
				if sawSeg {
					return v, r.fail("<tuv xml:lang=%q> has more than one <seg>", v.lang)
				}
				sawSeg = true
				if err := r.readSeg(&v); err != nil {
					return v, err
				}
			default:
				if err := r.skip(); err != nil {
					return v, err
				}
			}
		case xml.EndElement:
			if !sawSeg {
				return v, r.fail("<tuv xml:lang=%q> has no <seg>", v.lang)
			}
			return v, nil
		}
	}
}

// readSeg reads a <seg>'s mixed content: text, with each inline element
// replaced by a code rune and kept as a memory.Code.
func (r *Reader) readSeg(v *tuv) error {
	var b strings.Builder
	addCode := func(c memory.Code) error {
		if len(v.codes) >= MaxCodes {
			return r.limit(fmt.Sprintf("the segment has more than %d inline codes, the limit MaxCodes", MaxCodes))
		}
		b.WriteRune(segment.CodeRune(len(v.codes)))
		v.codes = append(v.codes, c)
		return nil
	}
	depth := 0 // open <hi> elements
	for {
		t, err := r.token()
		if err != nil {
			return err
		}
		switch c := t.(type) {
		case xml.CharData:
			writeText(&b, c)
			if b.Len() > MaxSegmentBytes {
				return r.limit(tooLong("the segment", "MaxSegmentBytes", MaxSegmentBytes).Error())
			}
		case xml.StartElement:
			switch name := c.Name.Local; {
			case c.Name.Space == "" && name == "hi":
				depth++
				if err := addCode(memory.Code{Kind: "hi", Pos: "begin", X: attr(c, "x"), Type: attr(c, "type")}); err != nil {
					return err
				}
			case c.Name.Space == "" && (name == "bpt" || name == "ept" || name == "it" || name == "ph" || name == "ut"):
				content, err := r.inner()
				if err != nil {
					return err
				}
				code := memory.Code{Kind: name, I: attr(c, "i"), X: attr(c, "x"), Type: attr(c, "type"), Pos: attr(c, "pos"), Assoc: attr(c, "assoc"), Content: content}
				if err := addCode(code); err != nil {
					return err
				}
			default:
				// Not TMX (an extension such as translate5's <t5:n>):
				// kept as a placeholder whose content is the element.
				content, err := r.inner()
				if err != nil {
					return err
				}
				var x strings.Builder
				writeStart(&x, c)
				x.WriteString(content)
				writeEnd(&x, c.Name)
				if err := addCode(memory.Code{Kind: "ph", Type: "x-element", Content: escape(x.String())}); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if depth > 0 && c.Name.Local == "hi" {
				depth--
				if err := addCode(memory.Code{Kind: "hi", Pos: "end"}); err != nil {
					return err
				}
				continue
			}
			v.text = b.String()
			return nil
		}
	}
}

// writeText appends s, replacing the runes reserved for inline codes
// (segment.IsCodeRune) and invalid UTF-8 with U+FFFD.
func writeText(b *strings.Builder, s []byte) { segment.ReplaceReserved(b, s) }

// inner reads an element's content up to its end and returns it as XML.
func (r *Reader) inner() (string, error) {
	var b strings.Builder
	depth := 0
	for {
		t, err := r.token()
		if err != nil {
			return "", err
		}
		switch c := t.(type) {
		case xml.CharData:
			xml.EscapeText(&b, c)
		case xml.StartElement:
			depth++
			writeStart(&b, c)
		case xml.EndElement:
			if depth == 0 {
				return b.String(), nil
			}
			depth--
			writeEnd(&b, c.Name)
		}
	}
}

func qname(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

func writeStart(b *strings.Builder, e xml.StartElement) {
	b.WriteByte('<')
	b.WriteString(qname(e.Name))
	for _, a := range e.Attr {
		b.WriteByte(' ')
		b.WriteString(qname(a.Name))
		b.WriteString(`="`)
		xml.EscapeText(b, []byte(a.Value))
		b.WriteByte('"')
	}
	b.WriteByte('>')
}

func writeEnd(b *strings.Builder, n xml.Name) {
	b.WriteString("</")
	b.WriteString(qname(n))
	b.WriteByte('>')
}

func escape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// skip reads up to the end of the element just started.
func (r *Reader) skip() error {
	depth := 0
	for {
		t, err := r.token()
		if err != nil {
			return err
		}
		switch t.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}
