// Package textenc turns the bytes of a glossary file into UTF-8 text. The
// encoding is the one the caller names; else the one a byte-order mark
// (UTF-8, UTF-16LE/BE) or a declaration (Emacs-style "-*- coding: X -*-" on
// the first line, as OmegaT writes; the XML declaration for TBX) states;
// else UTF-8. Nothing is guessed: text that is not valid in its encoding is
// an EINVALID error naming the line, never decoded into garbage.
package textenc

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/tolkdev/tolk"
)

// sniffSize is how much of the input Reader looks at to decide.
const sniffSize = 4096

var codingRE = regexp.MustCompile(`-\*-\s*coding:\s*([A-Za-z0-9_.:-]+)\s*-\*-`)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Reader returns a reader of r's text as UTF-8 without a byte-order mark,
// and the name of the encoding it decided on. label, when not empty, is the
// encoding the user named; it overrides marks and declarations. An unknown
// label is an EINVALID error on the field "encoding"; an unknown declared
// encoding one on "line 1". The returned reader fails with an EINVALID
// error naming the line at the first byte sequence that is not valid in the
// encoding (or a NUL byte), after returning the text before it.
func Reader(r io.Reader, label string) (io.Reader, string, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", fmt.Errorf("reading the start of the file: %w", err)
	}
	name, enc, err := decide(head, label)
	if err != nil {
		return nil, "", err
	}
	if name == "utf-8" && bytes.HasPrefix(head, bomUTF8) {
		br.Discard(len(bomUTF8))
	}
	var in io.Reader = br
	if enc != nil {
		in = transform.NewReader(br, enc.NewDecoder())
	}
	return newStrict(in, name, enc != nil), name, nil
}

// decide returns the encoding of a file starting with head: the label the
// user gave, else a byte-order mark, else a magic comment, else UTF-8. A
// nil encoding means UTF-8.
func decide(head []byte, label string) (string, encoding.Encoding, error) {
	if label != "" {
		enc, err := Lookup(label)
		if err != nil {
			return "", nil, tolk.Invalidf("encoding", "%v", err)
		}
		if enc == nil {
			return "utf-8", nil, nil
		}
		return strings.ToLower(strings.TrimSpace(label)), enc, nil
	}
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		return "utf-8", nil, nil
	case bytes.HasPrefix(head, bomUTF16LE):
		return "utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), nil
	case bytes.HasPrefix(head, bomUTF16BE):
		return "utf-16be", unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), nil
	}
	first, _, _ := bytes.Cut(head, []byte("\n"))
	if m := codingRE.FindSubmatch(first); m != nil {
		enc, err := Lookup(string(m[1]))
		if err != nil {
			return "", nil, tolk.Invalidf("line 1", "%v", err)
		}
		if enc == nil {
			return "utf-8", nil, nil
		}
		return strings.ToLower(string(m[1])), enc, nil
	}
	return "utf-8", nil, nil
}

// Lookup returns the decoder for an encoding label ("windows-1254",
// "ISO-8859-1", "latin1", "utf-8"); nil (and no error) means UTF-8.
func Lookup(label string) (encoding.Encoding, error) {
	l := strings.ToLower(strings.TrimSpace(label))
	switch l {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return nil, nil
	case "utf-16", "utf-16le":
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), nil
	case "utf-16be":
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), nil
	}
	enc, err := htmlindex.Get(l)
	if err != nil {
		if enc, err = ianaindex.IANA.Encoding(l); err != nil || enc == nil {
			return nil, fmt.Errorf("unknown character encoding %q: name one such as utf-8, utf-16le, windows-1252 or iso-8859-1, or convert the file to UTF-8", label)
		}
	}
	if enc == unicode.UTF8 {
		return nil, nil
	}
	return enc, nil
}

// strict passes on valid UTF-8 text and stops with a positioned error at
// the first invalid sequence or NUL byte, having returned only the whole
// lines before it (so that no reader sees the start of the bad line). For
// text that came through a decoder, U+FFFD is the decoder's mark of an
// invalid sequence.
type strict struct {
	src     io.Reader
	name    string // the encoding, for messages
	decoded bool
	buf     []byte
	off     int // buf[off:lim] is checked and not yet returned
	lim     int
	chk     int // buf[:chk] is checked; buf[chk:] awaits the rest of a rune
	line    int // line of buf[chk]
	err     error
}

func newStrict(src io.Reader, name string, decoded bool) *strict {
	return &strict{src: src, name: name, decoded: decoded, buf: make([]byte, 0, 32<<10), line: 1}
}

// Read implements io.Reader.
func (s *strict) Read(p []byte) (int, error) {
	for s.off == s.lim {
		if s.err != nil {
			return 0, s.err
		}
		s.fill()
	}
	n := copy(p, s.buf[s.off:s.lim])
	s.off += n
	return n, nil
}

// fill reads more input, checks it and sets how much may be returned.
func (s *strict) fill() {
	n := copy(s.buf[:cap(s.buf)], s.buf[s.lim:])
	s.buf, s.chk, s.off, s.lim = s.buf[:n], s.chk-s.lim, 0, 0
	m, err := s.src.Read(s.buf[n:cap(s.buf)])
	s.buf = s.buf[:n+m]
	for s.chk < len(s.buf) {
		b := s.buf[s.chk:]
		if b[0] != 0 && b[0] < utf8.RuneSelf {
			if b[0] == '\n' {
				s.line++
			}
			s.chk++
			continue
		}
		if b[0] != 0 && !utf8.FullRune(b) && err == nil {
			break // wait for the rest of the rune
		}
		r, size := utf8.DecodeRune(b)
		if b[0] == 0 || r == utf8.RuneError && (size == 1 || s.decoded) {
			s.err = s.invalid(b)
			s.lim = bytes.LastIndexByte(s.buf[:s.chk], '\n') + 1
			return
		}
		s.chk += size
	}
	switch {
	case err == io.EOF:
		s.lim, s.err = s.chk, err
	case err != nil:
		s.lim, s.err = s.chk, fmt.Errorf("line %d: reading: %w", s.line, err)
	default:
		s.lim = bytes.LastIndexByte(s.buf[:s.chk], '\n') + 1
		if s.lim == 0 && len(s.buf) == cap(s.buf) {
			s.lim = s.chk // a line longer than the buffer
		}
	}
}

// invalid returns the error for the invalid sequence at the start of b.
func (s *strict) invalid(b []byte) error {
	pos := "line " + strconv.Itoa(s.line)
	switch {
	case b[0] == 0:
		return tolk.Invalidf(pos, "a NUL byte: this is not %s text (UTF-16 without a byte-order mark?); name the file's encoding or convert it to UTF-8", s.name)
	case s.decoded:
		return tolk.Invalidf(pos, "a byte sequence that is not valid %s: name the file's real encoding or convert it to UTF-8", s.name)
	}
	return tolk.Invalidf(pos, "byte 0x%02X is not valid UTF-8: name the file's encoding (for example windows-1252 or iso-8859-1) or convert it to UTF-8", b[0])
}

// CharsetReader is for xml.Decoder.CharsetReader: it decodes the encoding
// an XML declaration names.
func CharsetReader(label string, input io.Reader) (io.Reader, error) {
	enc, err := Lookup(label)
	if err != nil {
		return nil, err
	}
	if enc == nil {
		return input, nil
	}
	return transform.NewReader(input, enc.NewDecoder()), nil
}

// BOMReader handles only a byte-order mark: it drops a UTF-8 one and
// decodes UTF-16 with one to UTF-8. XML readers use it and leave declared
// encodings to the XML decoder (see CharsetReaderAfter). utf16 reports
// whether the input was UTF-16.
func BOMReader(r io.Reader) (out io.Reader, utf16 bool, err error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(4)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, false, err
	}
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		br.Discard(3)
		return br, false, nil
	case bytes.HasPrefix(head, bomUTF16LE):
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), true, nil
	case bytes.HasPrefix(head, bomUTF16BE):
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), true, nil
	}
	return br, false, nil
}

// CharsetReaderAfter returns an xml.Decoder CharsetReader for input that
// BOMReader already turned into UTF-8 when utf16 is true: the declaration's
// "UTF-16" is then ignored.
func CharsetReaderAfter(utf16 bool) func(string, io.Reader) (io.Reader, error) {
	return func(label string, input io.Reader) (io.Reader, error) {
		if utf16 && strings.HasPrefix(strings.ToLower(label), "utf-16") {
			return input, nil
		}
		return CharsetReader(label, input)
	}
}
