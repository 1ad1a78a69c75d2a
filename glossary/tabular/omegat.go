package tabular

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/glossary/internal/textenc"
)

// OmegaTReader reads an OmegaT glossary: one entry per line,
// source<TAB>target[<TAB>comment], lines starting with '#' are comments
// (the first may declare the encoding: "-*- coding: utf-8 -*-"). The file
// names no languages, so the caller gives them. Each line is one concept;
// the comment becomes its note.
type OmegaTReader struct {
	src, tgt string
	sc       *bufio.Scanner
	cr       *csv.Reader // the CSV variant
	line     int
	err      error
}

// NewOmegaTReader reads the tab-separated OmegaT glossary r whose columns
// are in the languages src and tgt (for example "en", "nl"), in the
// character encoding enc (empty: as a byte-order mark or the magic comment
// says, else UTF-8).
func NewOmegaTReader(r io.Reader, src, tgt, enc string) (*OmegaTReader, error) {
	o, tr, err := newOmegaT(r, src, tgt, enc)
	if err != nil {
		return nil, err
	}
	o.sc = bufio.NewScanner(tr)
	o.sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	return o, nil
}

// NewOmegaTCSVReader reads OmegaT's comma-separated variant (RFC 4180
// quoting, source,target[,comment]).
func NewOmegaTCSVReader(r io.Reader, src, tgt, enc string) (*OmegaTReader, error) {
	o, tr, err := newOmegaT(r, src, tgt, enc)
	if err != nil {
		return nil, err
	}
	o.cr = csv.NewReader(tr)
	o.cr.FieldsPerRecord = -1
	o.cr.Comment = '#'
	return o, nil
}

func newOmegaT(r io.Reader, src, tgt, enc string) (*OmegaTReader, io.Reader, error) {
	s, err := checkLang(src)
	if err != nil {
		return nil, nil, posError("source_lang", "%v", err)
	}
	t, err := checkLang(tgt)
	if err != nil {
		return nil, nil, posError("target_lang", "%v", err)
	}
	tr, _, err := textenc.Reader(r, enc)
	if err != nil {
		return nil, nil, err
	}
	return &OmegaTReader{src: s, tgt: t}, tr, nil
}

// Next returns the next entry as a concept, or io.EOF.
func (o *OmegaTReader) Next() (glossary.Concept, error) {
	if o.err != nil {
		return glossary.Concept{}, o.err
	}
	for {
		fields, pos, err := o.record()
		if err != nil {
			o.err = err
			return glossary.Concept{}, err
		}
		if fields == nil {
			continue
		}
		if len(fields) < 2 {
			o.err = posError(pos, "no separator in %.40q: want source, a tab, target and optionally a tab and a comment", fields[0])
			return glossary.Concept{}, o.err
		}
		c := glossary.Concept{Terms: []glossary.Term{{Lang: o.src, Text: fields[0]}, {Lang: o.tgt, Text: fields[1]}}}
		if len(fields) > 2 {
			c.Note = strings.Join(fields[2:], " ")
		}
		out, ok, err := finish(c, pos)
		if err != nil {
			o.err = err
			return glossary.Concept{}, err
		}
		if ok {
			return out, nil
		}
	}
}

// record returns the fields of the next line (nil for a blank or comment
// line) and its position.
func (o *OmegaTReader) record() ([]string, string, error) {
	if o.cr != nil {
		rec, err := o.cr.Read()
		if err != nil {
			if err == io.EOF {
				return nil, "", io.EOF
			}
			return nil, "", csvError(err)
		}
		line, _ := o.cr.FieldPos(0)
		if allEmpty(rec) {
			return nil, "", nil
		}
		return rec, "line " + strconv.Itoa(line), nil
	}
	if !o.sc.Scan() {
		if err := o.sc.Err(); err != nil {
			if _, ok := err.(*tolk.Error); ok {
				return nil, "", err // the decoder's, positioned
			}
			return nil, "", fmt.Errorf("line %d: %w", o.line+1, err)
		}
		return nil, "", io.EOF
	}
	o.line++
	s := strings.TrimRight(o.sc.Text(), "\r")
	if o.line == 1 {
		s = strings.TrimPrefix(s, "\uFEFF")
	}
	if strings.TrimSpace(s) == "" || strings.HasPrefix(s, "#") {
		return nil, "", nil
	}
	return strings.Split(s, "\t"), "line " + strconv.Itoa(o.line), nil
}

// OmegaTWriter writes an OmegaT glossary: for every source-language term of
// a concept one line with the concept's best target-language term and its
// note (or definition) as the comment. Tabs and line breaks inside fields
// become spaces, as the format has no quoting.
type OmegaTWriter struct {
	w        *bufio.Writer
	src, tgt string
}

// LanguagesComment starts the comment line in which OmegaTWriter names the
// languages of the columns ("# languages: nl en"), which the format itself
// does not; OmegaT skips it as a comment, termfile reads it.
const LanguagesComment = "# languages: "

// NewOmegaTWriter writes the magic-comment header line and the languages
// comment.
func NewOmegaTWriter(w io.Writer, src, tgt string) (*OmegaTWriter, error) {
	s, err := checkLang(src)
	if err != nil {
		return nil, posError("source_lang", "%v", err)
	}
	t, err := checkLang(tgt)
	if err != nil {
		return nil, posError("target_lang", "%v", err)
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("# Glossary in tab-separated format -*- coding: utf-8 -*-\n")
	bw.WriteString(LanguagesComment + s + " " + t + "\n")
	return &OmegaTWriter{w: bw, src: s, tgt: t}, nil
}

var flatten = strings.NewReplacer("\t", " ", "\r\n", " ", "\n", " ", "\r", " ")

// Write writes the lines of one concept (none if it lacks either language).
func (o *OmegaTWriter) Write(c glossary.Concept) error {
	var target *glossary.Term
	for i, t := range c.Terms {
		if matchLang(t.Lang, o.tgt) && (target == nil || rank(t.Status) < rank(target.Status)) {
			target = &c.Terms[i]
		}
	}
	if target == nil {
		return nil
	}
	comment := c.Note
	if comment == "" {
		comment = c.Definition
	}
	for _, t := range c.Terms {
		if !matchLang(t.Lang, o.src) {
			continue
		}
		o.w.WriteString(flatten.Replace(t.Text))
		o.w.WriteByte('\t')
		o.w.WriteString(flatten.Replace(target.Text))
		if comment != "" {
			o.w.WriteByte('\t')
			o.w.WriteString(flatten.Replace(comment))
		}
		o.w.WriteByte('\n')
	}
	return nil
}

// Close flushes the writer; it does not close the underlying io.Writer.
func (o *OmegaTWriter) Close() error { return o.w.Flush() }

// matchLang reports whether a term's tag is lang or a variant of it.
func matchLang(tag, lang string) bool {
	tag = glossary.NormLang(tag)
	return tag == lang || glossary.PrimaryLang(tag) == lang
}

func rank(s glossary.Status) int {
	switch s {
	case glossary.StatusPreferred:
		return 0
	case glossary.StatusDeprecated:
		return 2
	case glossary.StatusForbidden:
		return 3
	}
	return 1
}
