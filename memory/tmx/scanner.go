package tmx

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// tokenizer is what the Reader needs of an XML tokenizer; *xml.Decoder and
// *scanner both provide it. Tokens are those of xml.Decoder.RawToken:
// names are not namespace-resolved, and CharData is valid only until the
// next call.
type tokenizer interface {
	RawToken() (xml.Token, error)
	InputPos() (line, column int)
}

// scanner is a fast XML tokenizer for TMX: it reads a byte buffer without
// per-byte calls, interns the TMX element and attribute names, and reuses
// its text buffer. It handles the XML declaration's encoding (through
// charset), comments, processing instructions, a DOCTYPE (skipped), CDATA
// sections and the predefined and numeric character references, and
// reports malformed input as *xml.SyntaxError with its line. It holds
// every token to the limits of limits.go, reporting one exceeded as a
// *limitError.
type scanner struct {
	r       io.Reader
	buf     []byte
	pos     int // next byte to read in buf
	end     int // end of valid data in buf
	eof     bool
	err     error // a read error, or the *limitError that stopped the scanner
	line    int   // line of buf[pos]
	lineAt  int   // buf offset where the current line starts (for columns)
	text    []byte
	attrs   []xml.Attr      // slab the attribute lists are carved from
	pending *xml.EndElement // the end of a self-closing element
	started bool
	charset func(label string, r io.Reader) (io.Reader, error)
}

func newScanner(r io.Reader, charset func(string, io.Reader) (io.Reader, error)) *scanner {
	return &scanner{r: r, buf: make([]byte, 256<<10), line: 1, charset: charset}
}

// InputPos returns the line and column of the next byte.
func (s *scanner) InputPos() (int, int) { return s.line, s.pos - s.lineAt + 1 }

func (s *scanner) syntax(format string, args ...any) error {
	return &xml.SyntaxError{Msg: fmt.Sprintf(format, args...), Line: s.line}
}

// maxBuf is the most the buffer grows to: a token of MaxTokenBytes and
// the few bytes around it that the scanner looks at.
const maxBuf = MaxTokenBytes + 4096

// fill makes at least n bytes available from pos, if the input has them.
// It stops the scanner with a *limitError when a token would need more
// than maxBuf bytes.
func (s *scanner) fill(n int) bool {
	for s.end-s.pos < n && !s.eof {
		if s.pos > 0 {
			copy(s.buf, s.buf[s.pos:s.end])
			s.end -= s.pos
			s.lineAt -= s.pos
			s.pos = 0
		}
		if s.end == len(s.buf) {
			if len(s.buf) >= maxBuf {
				s.err = tooLong("an XML token (a text run, attribute value, comment, CDATA section or declaration)", "MaxTokenBytes", MaxTokenBytes)
				s.eof = true
				break
			}
			nb := make([]byte, min(2*len(s.buf), maxBuf))
			copy(nb, s.buf[:s.end])
			s.buf = nb
		}
		k, err := s.r.Read(s.buf[s.end:])
		s.end += k
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			s.err = err
			s.eof = true
		}
	}
	return s.end-s.pos >= n
}

// advance moves pos by n bytes, counting lines.
func (s *scanner) advance(n int) {
	seg := s.buf[s.pos : s.pos+n]
	for {
		i := bytes.IndexByte(seg, '\n')
		if i < 0 {
			break
		}
		s.line++
		s.lineAt = s.pos + (n - len(seg)) + i + 1
		seg = seg[i+1:]
	}
	s.pos += n
}

// until returns the offset from pos of the next occurrence of delim,
// reading more input as needed, or -1 at the end of the input.
func (s *scanner) until(delim []byte) int { return s.untilFrom(delim, 0) }

// untilFrom is until, searching from offset from.
func (s *scanner) untilFrom(delim []byte, from int) int {
	s.fill(from)
	if s.end-s.pos < from {
		return -1
	}
	for {
		if i := bytes.Index(s.buf[s.pos+from:s.end], delim); i >= 0 {
			return from + i
		}
		from = max(from, s.end-s.pos-len(delim)+1)
		if s.eof {
			return -1
		}
		s.fill(s.end - s.pos + 4096)
	}
}

var (
	cdataEnd   = []byte("]]>")
	commentEnd = []byte("-->")
	piEnd      = []byte("?>")
)

// RawToken returns the next token. A read error or an exceeded limit
// wins over the syntax error it may have caused.
func (s *scanner) RawToken() (xml.Token, error) {
	t, err := s.rawToken()
	if _, ok := s.err.(*limitError); ok || (err != nil && s.err != nil) {
		return nil, s.err
	}
	return t, err
}

// release drops the scanner's buffers once it has failed.
func (s *scanner) release() { s.buf, s.text, s.attrs, s.pos, s.end = nil, nil, nil, 0, 0 }

func (s *scanner) rawToken() (xml.Token, error) {
	if s.pending != nil {
		e := *s.pending
		s.pending = nil
		return e, nil
	}
	for {
		if !s.fill(1) {
			if s.err != nil {
				return nil, s.err
			}
			return nil, io.EOF
		}
		if s.buf[s.pos] != '<' {
			return s.charData()
		}
		if !s.fill(2) {
			return nil, s.syntax("unexpected EOF")
		}
		switch c := s.buf[s.pos+1]; c {
		case '/':
			return s.endTag()
		case '?':
			if err := s.procInst(); err != nil {
				return nil, err
			}
			continue
		case '!':
			t, err := s.bang()
			if err != nil {
				return nil, err
			}
			if t != nil {
				return t, nil
			}
			continue
		default:
			return s.startTag()
		}
	}
}

func (s *scanner) procInst() error {
	i := s.untilFrom(piEnd, 2)
	if i < 0 {
		return s.syntax("unexpected EOF in processing instruction")
	}
	body := string(s.buf[s.pos+2 : s.pos+i])
	first := !s.started
	s.advance(i + 2)
	s.started = true
	target, rest, _ := strings.Cut(body, " ")
	if target != "xml" {
		return nil
	}
	if !first {
		return s.syntax("<?xml?> declaration not at the start of the file")
	}
	enc := declAttr(rest, "encoding")
	if enc == "" || strings.EqualFold(enc, "utf-8") {
		return nil
	}
	if s.charset == nil {
		return s.syntax("xml: encoding %q declared but Decoder.CharsetReader is nil", enc)
	}
	// Re-read the rest of the input through the decoder.
	rest2 := make([]byte, s.end-s.pos)
	copy(rest2, s.buf[s.pos:s.end])
	in := io.MultiReader(bytes.NewReader(rest2), s.r)
	if s.eof && s.err == nil {
		in = bytes.NewReader(rest2)
	}
	r, err := s.charset(enc, in)
	if err != nil {
		return fmt.Errorf("xml: opening charset %q: %w", enc, err)
	}
	s.r = r
	s.lineAt -= s.pos
	s.pos, s.end, s.eof = 0, 0, false
	return nil
}

// declAttr finds name="value" in an XML declaration.
func declAttr(s, name string) string {
	i := strings.Index(s, name)
	if i < 0 {
		return ""
	}
	s = strings.TrimLeft(s[i+len(name):], " \t\r\n")
	if !strings.HasPrefix(s, "=") {
		return ""
	}
	s = strings.TrimLeft(s[1:], " \t\r\n")
	if s == "" || (s[0] != '"' && s[0] != '\'') {
		return ""
	}
	q := s[0]
	j := strings.IndexByte(s[1:], q)
	if j < 0 {
		return ""
	}
	return s[1 : 1+j]
}

// bang handles <!-- -->, <![CDATA[ ]]> (returned as CharData) and
// <!DOCTYPE> (skipped, with any internal subset).
func (s *scanner) bang() (xml.Token, error) {
	s.started = true
	s.fill(9)
	rest := s.buf[s.pos:s.end]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		i := s.untilFrom(commentEnd, 4)
		if i < 0 {
			return nil, s.syntax("unexpected EOF in comment")
		}
		s.advance(i + 3)
		return nil, nil
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		i := s.untilFrom(cdataEnd, 9)
		if i < 0 {
			return nil, s.syntax("unexpected EOF in CDATA section")
		}
		s.text = append(s.text[:0], s.buf[s.pos+9:s.pos+i]...)
		s.advance(i + 3)
		return xml.CharData(s.text), nil
	default:
		// <!DOCTYPE ...> or another directive: skipped, as encoding/xml
		// does, up to the '>' that closes it: quoted text and comments
		// do not count, nested <...> (an internal subset) do.
		depth := 0
		var quote byte
		for i := s.pos + 2; ; i++ {
			if i >= s.end {
				off := i - s.pos
				if !s.fill(off + 1) {
					return nil, s.syntax("unexpected EOF in DOCTYPE")
				}
				i = s.pos + off
			}
			c := s.buf[i]
			if quote != 0 {
				if c == quote {
					quote = 0
				}
				continue
			}
			switch c {
			case '"', '\'':
				quote = c
			case '<':
				// A comment inside the directive is skipped whole.
				off := i - s.pos
				s.fill(off + 4)
				i = s.pos + off
				if bytes.HasPrefix(s.buf[i:s.end], []byte("<!--")) {
					j := s.untilFrom(commentEnd, off+4)
					if j < 0 {
						return nil, s.syntax("unexpected EOF in comment")
					}
					i = s.pos + j + 2
					continue
				}
				depth++
			case '>':
				if depth == 0 {
					s.advance(i + 1 - s.pos)
					return nil, nil
				}
				depth--
			}
		}
	}
}

func isNameByte(c byte) bool {
	return c >= 0x80 || c == '_' || c == ':' || c == '-' || c == '.' ||
		('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// intern returns common TMX names without allocating.
func intern(b []byte) string {
	switch string(b) {
	case "tu":
		return "tu"
	case "tuv":
		return "tuv"
	case "seg":
		return "seg"
	case "prop":
		return "prop"
	case "note":
		return "note"
	case "type":
		return "type"
	case "lang":
		return "lang"
	case "bpt":
		return "bpt"
	case "ept":
		return "ept"
	case "ph":
		return "ph"
	case "it":
		return "it"
	case "hi":
		return "hi"
	case "ut":
		return "ut"
	case "i", "x":
		if b[0] == 'i' {
			return "i"
		}
		return "x"
	case "xml":
		return "xml"
	case "tuid":
		return "tuid"
	case "creationdate":
		return "creationdate"
	case "changedate":
		return "changedate"
	case "creationid":
		return "creationid"
	case "changeid":
		return "changeid"
	}
	return string(b)
}

// name reads a name at pos: "prefix:local" gives Space "prefix".
func (s *scanner) name() (xml.Name, bool) {
	i := s.pos
	for {
		if i >= s.end {
			off := i - s.pos
			if !s.fill(off + 1) {
				break
			}
			i = s.pos + off
		}
		if !isNameByte(s.buf[i]) {
			break
		}
		if i++; i-s.pos > MaxNameBytes {
			s.err = tooLong("an element or attribute name", "MaxNameBytes", MaxNameBytes)
			return xml.Name{}, false
		}
	}
	if i == s.pos {
		return xml.Name{}, false
	}
	b := s.buf[s.pos:i]
	s.pos = i
	if j := bytes.IndexByte(b, ':'); j > 0 && j < len(b)-1 {
		return xml.Name{Space: intern(b[:j]), Local: intern(b[j+1:])}, true
	}
	return xml.Name{Local: intern(b)}, true
}

func (s *scanner) skipSpace() {
	for {
		for s.pos < s.end && isSpace(s.buf[s.pos]) {
			s.advance(1)
		}
		if s.pos < s.end || !s.fill(1) {
			return
		}
	}
}

func (s *scanner) startTag() (xml.Token, error) {
	s.started = true
	s.advance(1) // '<'
	n, ok := s.name()
	if !ok {
		return nil, s.syntax("expected element name after <")
	}
	e := xml.StartElement{Name: n}
	if cap(s.attrs)-len(s.attrs) < 16 {
		s.attrs = make([]xml.Attr, 0, 4096)
	}
	first := len(s.attrs)
	for {
		s.skipSpace()
		if !s.fill(1) {
			return nil, s.syntax("unexpected EOF in <%s>", n.Local)
		}
		switch s.buf[s.pos] {
		case '>':
			s.advance(1)
			e.Attr = s.carve(first)
			return e, nil
		case '/':
			if !s.fill(2) || s.buf[s.pos+1] != '>' {
				return nil, s.syntax("expected /> in element")
			}
			s.advance(2)
			s.pending = &xml.EndElement{Name: n}
			e.Attr = s.carve(first)
			return e, nil
		}
		if len(s.attrs)-first == MaxAttrs {
			return nil, &limitError{fmt.Sprintf("<%s> has more than %d attributes, the limit MaxAttrs", n.Local, MaxAttrs)}
		}
		an, ok := s.name()
		if !ok {
			return nil, s.syntax("expected attribute name in element")
		}
		s.skipSpace()
		if !s.fill(1) || s.buf[s.pos] != '=' {
			return nil, s.syntax("attribute name without = in element")
		}
		s.advance(1)
		s.skipSpace()
		if !s.fill(1) || (s.buf[s.pos] != '"' && s.buf[s.pos] != '\'') {
			return nil, s.syntax("unquoted or missing attribute value in element")
		}
		q := s.buf[s.pos]
		s.advance(1)
		i := s.until([]byte{q})
		if i < 0 {
			return nil, s.syntax("unexpected EOF in attribute value")
		}
		if i > MaxAttrBytes {
			return nil, tooLong(fmt.Sprintf("the value of attribute %s", an.Local), "MaxAttrBytes", MaxAttrBytes)
		}
		raw := s.buf[s.pos : s.pos+i]
		if bytes.IndexByte(raw, '<') >= 0 {
			return nil, s.syntax("unescaped < inside quoted string")
		}
		v, err := s.unescape(raw, true)
		if err != nil {
			return nil, err
		}
		s.attrs = append(s.attrs, xml.Attr{Name: an, Value: string(v)})
		s.advance(i + 1)
	}
}

// carve returns the attributes appended since first as a slice of their
// own (capacity = length), so a later append cannot overwrite them.
func (s *scanner) carve(first int) []xml.Attr {
	if len(s.attrs) == first {
		return nil
	}
	return s.attrs[first:len(s.attrs):len(s.attrs)]
}

func (s *scanner) endTag() (xml.Token, error) {
	s.advance(2) // "</"
	n, ok := s.name()
	if !ok {
		return nil, s.syntax("expected element name after </")
	}
	s.skipSpace()
	if !s.fill(1) || s.buf[s.pos] != '>' {
		return nil, s.syntax("invalid characters between </%s and >", n.Local)
	}
	s.advance(1)
	return xml.EndElement{Name: n}, nil
}

func (s *scanner) charData() (xml.Token, error) {
	i := s.until([]byte{'<'})
	if i < 0 {
		i = s.end - s.pos
	}
	raw := s.buf[s.pos : s.pos+i]
	v, err := s.unescape(raw, false)
	if err != nil {
		return nil, err
	}
	s.advance(i)
	return xml.CharData(v), nil
}

// unescape resolves character references into s.text (or returns raw when
// it has none), normalising CR LF and CR to LF as XML requires. Like
// encoding/xml, it leaves other whitespace in attribute values as is.
func (s *scanner) unescape(raw []byte, _ bool) ([]byte, error) {
	if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		if !utf8.Valid(raw) {
			return nil, s.syntax("invalid UTF-8")
		}
		return raw, nil
	}
	out := s.text[:0]
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\r':
			if i+1 < len(raw) && raw[i+1] == '\n' {
				continue
			}
			out = append(out, '\n')
		case c == '&':
			j := bytes.IndexByte(raw[i:], ';')
			if j < 0 {
				return nil, s.syntax("invalid character entity (no semicolon)")
			}
			ent := string(raw[i+1 : i+j])
			switch ent {
			case "lt":
				out = append(out, '<')
			case "gt":
				out = append(out, '>')
			case "amp":
				out = append(out, '&')
			case "quot":
				out = append(out, '"')
			case "apos":
				out = append(out, '\'')
			default:
				r, ok := charRef(ent)
				if !ok {
					return nil, s.syntax("invalid character entity &%s;", ent)
				}
				out = utf8.AppendRune(out, r)
			}
			i += j
		default:
			out = append(out, c)
		}
	}
	s.text = out
	if !utf8.Valid(out) {
		return nil, s.syntax("invalid UTF-8")
	}
	return out, nil
}

func charRef(ent string) (rune, bool) {
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	base, digits := 10, ent[1:]
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	if digits == "" || len(digits) > 8 {
		return 0, false
	}
	var v rune
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		var d rune
		switch {
		case '0' <= c && c <= '9':
			d = rune(c - '0')
		case base == 16 && 'a' <= c && c <= 'f':
			d = rune(c-'a') + 10
		case base == 16 && 'A' <= c && c <= 'F':
			d = rune(c-'A') + 10
		default:
			return 0, false
		}
		v = v*rune(base) + d
	}
	if v == 0 || v > utf8.MaxRune || (v >= 0xD800 && v <= 0xDFFF) || (v < 0x20 && v != '\t' && v != '\n' && v != '\r') || v == 0xFFFE || v == 0xFFFF {
		return 0, false
	}
	return v, true
}
