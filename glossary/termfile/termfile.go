// Package termfile reads and writes termbase files in every format Tolk
// speaks, behind one Decoder and one Encoder: TBX (v2 and v3), CSV with a
// header naming languages and fields, OmegaT's tab-separated glossary, and
// JSON Lines. The server and the seeds use it so that neither needs to
// know the formats.
package termfile

import (
	"bufio"
	"bytes"
	"fmt"
	"io"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/glossary/tabular"
	"github.com/tolkdev/tolk/glossary/tbx"
)

// Format is a termbase file format.
type Format int

// The formats. AutoDetect is for decoding only.
const (
	AutoDetect Format = iota
	TBX
	CSV
	TSV // OmegaT's glossary: source<TAB>target<TAB>comment
	JSONL
	TBX2 // TBX v2 (<martif>) on export; on import the same as TBX
)

// String returns the format's lower-case name.
func (f Format) String() string {
	return [...]string{"auto", "tbx", "csv", "tsv", "jsonl", "tbx2"}[f]
}

// reader is what every format's reader offers.
type reader interface {
	Next() (glossary.Concept, error)
}

// Decoder reads the Dutch–English concepts of a termbase file. Terms in
// other languages are dropped; a concept left without a Dutch or without an
// English term is skipped and counted.
type Decoder struct {
	r       reader
	skipped int
}

// Options tune decoding. SourceLang and TargetLang name the columns of a
// TSV glossary, which names no languages itself (default "nl" and "en").
type Options struct {
	SourceLang, TargetLang string
}

// NewDecoder returns a decoder of r in format f, detecting the format from
// the first bytes when f is AutoDetect. The caller owes r until the last
// Next.
func NewDecoder(r io.Reader, f Format, opt Options) (*Decoder, error) {
	br := bufio.NewReader(r)
	if f == AutoDetect {
		head, _ := br.Peek(4096)
		f = detect(head)
	}
	if opt.SourceLang == "" {
		opt.SourceLang = "nl"
	}
	if opt.TargetLang == "" {
		opt.TargetLang = "en"
	}
	var (
		rd  reader
		err error
	)
	switch f {
	case TBX, TBX2:
		rd, err = tbx.NewReader(br)
	case CSV:
		rd, err = tabular.NewCSVReader(br)
	case TSV:
		rd, err = tabular.NewOmegaTReader(br, opt.SourceLang, opt.TargetLang)
	case JSONL:
		rd, err = tabular.NewJSONLReader(br)
	default:
		return nil, tolk.Invalidf("format", "unknown termbase format %d", f)
	}
	if err != nil {
		return nil, err
	}
	return &Decoder{r: rd}, nil
}

// detect guesses a format from the first bytes of a file: XML is TBX, a
// JSON object is JSONL, a first line with a tab is TSV, anything else CSV.
// UTF-16 text is recognised by its byte order mark.
func detect(head []byte) Format {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		head = bytes.ReplaceAll(head[2:], []byte{0}, nil)
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		head = head[3:]
	}
	head = bytes.TrimLeft(head, " \t\r\n")
	line, _, _ := bytes.Cut(head, []byte("\n"))
	switch {
	case len(head) > 0 && head[0] == '<':
		return TBX
	case len(head) > 0 && head[0] == '{':
		return JSONL
	case bytes.HasPrefix(head, []byte("#")) || bytes.Contains(line, []byte("\t")):
		return TSV
	}
	return CSV
}

// Next returns the next concept with Dutch and English terms, or io.EOF.
// Errors say where in the file and why.
func (d *Decoder) Next() (glossary.Concept, error) {
	for {
		c, err := d.r.Next()
		if err != nil {
			return c, err
		}
		var nl, en bool
		terms := c.Terms[:0]
		for _, t := range c.Terms {
			switch glossary.PrimaryLang(t.Lang) {
			case "nl":
				nl = true
			case "en":
				en = true
			default:
				continue
			}
			terms = append(terms, t)
		}
		if nl && en {
			c.Terms = terms
			return c, nil
		}
		d.skipped++
	}
}

// Skipped returns how many concepts lacked a Dutch or an English term.
func (d *Decoder) Skipped() int { return d.skipped }

// writer is what every format's writer offers.
type writer interface {
	Write(glossary.Concept) error
	Close() error
}

// Encoder writes concepts in one format.
type Encoder struct{ w writer }

// NewEncoder returns an encoder writing format f to w. The caller must
// call Close to finish the file.
func NewEncoder(w io.Writer, f Format) (*Encoder, error) {
	var (
		wr  writer
		err error
	)
	switch f {
	case TBX:
		wr = tbx.NewWriter(w)
	case TBX2:
		wr = tbx.NewWriterV2(w)
	case CSV:
		wr, err = tabular.NewCSVWriter(w, "nl", "en")
	case TSV:
		wr, err = tabular.NewOmegaTWriter(w, "nl", "en")
	case JSONL:
		wr = tabular.NewJSONLWriter(w)
	default:
		return nil, tolk.Invalidf("format", "choose tbx, tbx2, csv, tsv or jsonl to export, not %s", f)
	}
	if err != nil {
		return nil, fmt.Errorf("starting a %s file: %w", f, err)
	}
	return &Encoder{w: wr}, nil
}

// Encode writes one concept.
func (e *Encoder) Encode(c glossary.Concept) error { return e.w.Write(c) }

// Close finishes the file.
func (e *Encoder) Close() error { return e.w.Close() }
