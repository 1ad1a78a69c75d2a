// Package termfile reads and writes termbase files in every format Tolk
// speaks, behind one Decoder and one Encoder: TBX (v2 and v3), CSV with a
// header naming languages and fields, OmegaT's tab-separated glossary, and
// JSON Lines. The server and the seeds use it so that neither needs to
// know the formats.
package termfile

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/glossary/internal/textenc"
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
// English term is skipped and counted. A file with concepts but none in
// both languages is an EINVALID error at its end.
type Decoder struct {
	r       reader
	skipped int
	read    int
}

// Options tune decoding. SourceLang and TargetLang name the columns of a
// TSV glossary, which names no languages itself (default "nl" and "en").
// Encoding names the file's character encoding ("windows-1252",
// "utf-16le", ...) and overrides what the file declares; empty means the
// encoding a byte-order mark or a declaration (OmegaT's magic comment,
// TBX's XML declaration) states, else UTF-8. Text not valid in its
// encoding is an EINVALID error naming the line.
type Options struct {
	SourceLang, TargetLang string
	Encoding               string
}

// NewDecoder returns a decoder of r in format f, detecting the format from
// the first bytes when f is AutoDetect. For CSV and TSV it also decides
// from the first line whether the file has a header row (then columns are
// named by it, see tabular.CSVReader) or is an OmegaT glossary of two
// columns; an OmegaT glossary's languages come from opt, else from its
// "# languages:" comment, else from its words (see direction), else it is
// refused with an EINVALID error asking for them. The caller owes r until
// the last Next.
func NewDecoder(r io.Reader, f Format, opt Options) (*Decoder, error) {
	br := bufio.NewReader(r)
	if f == AutoDetect {
		head, _ := br.Peek(4096)
		f = detect(head)
	}
	var (
		rd  reader
		err error
	)
	switch f {
	case TBX, TBX2:
		rd, err = tbx.NewReaderEncoding(br, opt.Encoding)
	case CSV, TSV:
		rd, err = newTable(br, f, opt)
	case JSONL:
		rd, err = tabular.NewJSONLReader(br, opt.Encoding)
	default:
		return nil, tolk.Invalidf("format", "unknown termbase format %d", f)
	}
	if err != nil {
		return nil, err
	}
	return &Decoder{r: rd}, nil
}

// tableSniff is how much decoded text newTable looks at.
const tableSniff = 64 << 10

// newTable returns the reader of a delimited file: a header-driven table
// or an OmegaT glossary.
func newTable(r io.Reader, f Format, opt Options) (reader, error) {
	tr, _, err := textenc.Reader(r, opt.Encoding)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(tr, tableSniff)
	head, _ := br.Peek(tableSniff) // a read error comes again from the reader, positioned
	lines, langs := contentLines(head)
	if len(lines) > 0 && tabular.IsHeader(lines[0]) {
		return tabular.NewCSVReader(br, "utf-8")
	}
	comma := ','
	if f == TSV || len(lines) > 0 && strings.Contains(lines[0], "\t") {
		comma = '\t'
	}
	src, tgt, err := omegaTLangs(opt, langs, lines, comma)
	if err != nil {
		return nil, err
	}
	if comma == '\t' {
		return tabular.NewOmegaTReader(br, src, tgt, "utf-8")
	}
	return tabular.NewOmegaTCSVReader(br, src, tgt, "utf-8")
}

// contentLines returns the whole lines of head that are neither blank nor
// comments, and the languages a "# languages: X Y" comment names.
func contentLines(head []byte) (lines, langs []string) {
	if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	for _, l := range strings.Split(string(head), "\n") {
		l = strings.TrimRight(l, "\r")
		switch {
		case strings.HasPrefix(l, tabular.LanguagesComment):
			langs = strings.Fields(strings.TrimPrefix(l, tabular.LanguagesComment))
		case strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "#"):
			lines = append(lines, l)
		}
	}
	return lines, langs
}

// omegaTLangs returns the languages of an OmegaT glossary's two columns.
func omegaTLangs(opt Options, comment, lines []string, comma rune) (src, tgt string, err error) {
	switch {
	case opt.SourceLang != "" || opt.TargetLang != "":
		return cmp.Or(opt.SourceLang, other(opt.TargetLang)), cmp.Or(opt.TargetLang, other(opt.SourceLang)), nil
	case len(comment) == 2:
		return comment[0], comment[1], nil
	}
	col0, col1 := columns(lines, comma)
	if src, tgt, ok := loadMarkers().direction(col0, col1); ok {
		return src, tgt, nil
	}
	return "", "", tolk.Invalidf("source_language", "the file is a glossary of two columns without a header, and its words do not show which column is Dutch and which English: name the languages (--source-lang nl --target-lang en, or the reverse), or give the file a header row naming them (nl,en) and import it with --format csv")
}

// other returns the language of the other column when one is given: nl for
// en and en for anything else.
func other(lang string) string {
	if glossary.PrimaryLang(lang) == "en" {
		return "nl"
	}
	return "en"
}

// columns returns the first two fields of each line.
func columns(lines []string, comma rune) (col0, col1 []string) {
	cr := csv.NewReader(strings.NewReader(strings.Join(lines, "\n")))
	cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes = comma, -1, true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return col0, col1
		}
		if err != nil || len(rec) < 2 {
			continue
		}
		col0, col1 = append(col0, rec[0]), append(col1, rec[1])
	}
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
		if err == io.EOF && d.read == 0 && d.skipped > 0 {
			return c, tolk.Invalidf("", "none of the file's %d concepts has both a Dutch (nl) and an English (en) term: Tolk's glossary is Dutch to English", d.skipped)
		}
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
			d.read++
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
