// Package textenc turns the bytes of a glossary file into UTF-8 text: it
// honours a byte-order mark (UTF-8, UTF-16LE/BE), an encoding the file
// declares (Emacs-style "-*- coding: X -*-" on the first line, as OmegaT
// writes), and falls back to Windows-1252 when the start of a file without
// either is not valid UTF-8.
package textenc

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniffSize is how much of the input Reader looks at to decide.
const sniffSize = 4096

var codingRE = regexp.MustCompile(`-\*-\s*coding:\s*([A-Za-z0-9_.:-]+)\s*-\*-`)

// Reader returns a reader of r's text as UTF-8 without a byte-order mark,
// and the name of the encoding it decided on. An encoding declared in a
// magic comment that Go does not know is an error naming it.
func Reader(r io.Reader) (io.Reader, string, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", err
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		return br, "utf-8", nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), "utf-16le", nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()), "utf-16be", nil
	}
	if len(head) >= 4 && head[0] != 0 && head[1] == 0 && head[3] == 0 {
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()), "utf-16le", nil
	}
	if len(head) >= 4 && head[0] == 0 && head[2] == 0 && head[1] != 0 {
		return transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()), "utf-16be", nil
	}
	first := head
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	if m := codingRE.FindSubmatch(first); m != nil {
		name := string(m[1])
		enc, err := Lookup(name)
		if err != nil {
			return nil, "", err
		}
		if enc == nil {
			return br, "utf-8", nil
		}
		return transform.NewReader(br, enc.NewDecoder()), strings.ToLower(name), nil
	}
	if !validPrefix(head) {
		return transform.NewReader(br, charmap.Windows1252.NewDecoder()), "windows-1252", nil
	}
	return br, "utf-8", nil
}

// validPrefix reports whether b is valid UTF-8, allowing a rune cut off at
// the end of the sniffed prefix.
func validPrefix(b []byte) bool {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return len(b)-i < utf8.UTFMax && !utf8.FullRune(b[i:])
		}
		i += n
	}
	return true
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
			return nil, fmt.Errorf("unknown character encoding %q: convert the file to UTF-8", label)
		}
	}
	if enc == unicode.UTF8 {
		return nil, nil
	}
	return enc, nil
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
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		return br, false, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), true, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
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
