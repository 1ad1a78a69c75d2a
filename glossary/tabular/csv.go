package tabular

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/glossary/internal/textenc"
)

// column kinds of a CSV header.
type colKind int

const (
	colIgnore colKind = iota
	colID
	colSubject
	colSubdomain
	colDefinition
	colNote
	colValidFrom
	colValidUntil
	colForbidden
	colDeprecated
	colTerm // a language column: one term
	colStatus
	colPOS
	colUsage
	colTermNote
	colExample
)

// conceptFields maps header names (lower case, spaces and '-' as '_') of
// the concept-level columns, which must come before the first language.
var conceptFields = map[string]colKind{
	"id": colID, "concept_id": colID, "concept": colID, "concept_uri": colID, "uri": colID,
	"subject": colSubject, "subject_field": colSubject, "domain": colSubject,
	"subdomain": colSubdomain, "sub_domain": colSubdomain,
	"definition": colDefinition,
	"note":       colNote, "notes": colNote, "comment": colNote,
	"valid_from": colValidFrom, "valid_until": colValidUntil,
	"forbidden": colForbidden, "deprecated": colDeprecated,
}

// poColumns are translate-toolkit's CSV columns, which CSVWriter adds at
// the end of each row so that csv2po reads the file with its defaults
// (it reads by header names once one is "source"): the concept's id, its
// term in the first language and in the second. CSVReader skips them: the
// language columns hold the same terms.
var poColumns = map[string]bool{"location": true, "source": true, "target": true}

// termFields maps the qualifier columns that follow a language column.
var termFields = map[string]colKind{
	"status": colStatus, "term_status": colStatus, "usage_status": colStatus,
	"pos": colPOS, "part_of_speech": colPOS, "partofspeech": colPOS,
	"usage": colUsage, "usage_note": colUsage,
	"note": colTermNote, "notes": colTermNote, "comment": colTermNote,
	"example": colExample, "example_of_use": colExample, "context": colExample,
}

type column struct {
	kind   colKind
	lang   string          // for colTerm
	status glossary.Status // default status of a colTerm (SKOS pref/alt)
	note   string          // default note of a colTerm (SKOS hidden)
	multi  bool            // cells hold several terms joined by " | " (SKOS)
	term   int             // for qualifiers: index of their language column
	name   string          // as in the header
}

// CSVReader reads a glossary table whose first row names its columns:
// concept-level fields (id, subject or domain, subdomain, definition, note,
// valid_from, valid_until, forbidden) first, then language columns ("nl",
// "en-GB", any case; a language may repeat for synonyms), each followed by
// the qualifiers of its term (status, pos, usage, note or notes, example or
// "example of use"). One row is one concept; consecutive rows with the same
// non-empty id are one concept (CSVWriter writes synonyms that way). The
// SKOS label tables of the EU authority lists (concept_uri, deprecated,
// en_pref, nl_alt, nl_hidden, ... with " | " between labels) read too. The
// delimiter (comma, semicolon or tab) is taken from the header row.
type CSVReader struct {
	cr      *csv.Reader
	cols    []column
	pending *glossary.Concept
	pendPos string
	last    string // position of the concept Next returned last
	err     error
}

// NewCSVReader reads the header of r and returns a reader of its rows.
// encoding names the file's character encoding; empty means the one a
// byte-order mark or magic comment declares, else UTF-8 (see textenc). The
// caller owes r until the last Next.
func NewCSVReader(r io.Reader, encoding string) (*CSVReader, error) {
	tr, _, err := textenc.Reader(r, encoding)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(tr)
	first, _ := br.Peek(4096)
	comma := sniffComma(first)
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, posError("line 1", "the file is empty: want a header row naming languages such as nl,en")
	}
	if err != nil {
		return nil, csvError(err)
	}
	cols, err := parseHeader(header)
	if err != nil {
		return nil, err
	}
	return &CSVReader{cr: cr, cols: cols}, nil
}

// sniffComma picks the delimiter that occurs most often outside quotes in
// the first line.
func sniffComma(b []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, c := range b {
		if c == '"' {
			quoted = !quoted
		}
		if c == '\n' && !quoted {
			break
		}
		if !quoted && (c == ',' || c == ';' || c == '\t') {
			counts[c]++
		}
	}
	best := byte(',')
	for _, c := range []byte{'\t', ';'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}

func headerKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\uFEFF")))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(s)
}

func parseHeader(header []string) ([]column, error) {
	cols := make([]column, len(header))
	lastTerm := -1
	nTerms := 0
	for i, h := range header {
		pos := "line 1, column " + strconv.Itoa(i+1)
		key := headerKey(h)
		col := column{name: h, term: lastTerm}
		if poColumns[key] {
			col.kind = colIgnore
		} else if k, ok := conceptFields[key]; ok && lastTerm < 0 {
			col.kind = k
		} else if lang, st, note, ok := skosColumn(key); ok {
			l, err := checkLang(lang)
			if err != nil {
				return nil, posError(pos, "%v", err)
			}
			col = column{kind: colTerm, lang: l, status: st, note: note, multi: true, name: h}
			lastTerm = i
			nTerms++
		} else if glossary.LooksLikeLang(strings.TrimSpace(h)) && termFields[key] == 0 && conceptFields[key] == 0 {
			l, err := checkLang(h)
			if err != nil {
				return nil, posError(pos, "%v", err)
			}
			col = column{kind: colTerm, lang: l, name: h}
			lastTerm = i
			nTerms++
		} else if k, ok := termFields[key]; ok && lastTerm >= 0 {
			col.kind = k
		} else if _, ok := conceptFields[key]; ok {
			return nil, posError(pos, "concept field %q comes after a language column: put id, subject, definition, note, valid_from, valid_until and forbidden before the first language", h)
		} else if key == "" {
			col.kind = colIgnore
		} else if lastTerm < 0 {
			return nil, posError(pos, "header %q is neither a concept field (id, subject, domain, subdomain, definition, note, valid_from, valid_until, forbidden) nor a language code such as nl or en-GB", h)
		} else {
			return nil, posError(pos, "header %q after language column %q is not a term field (status, pos, usage, note, example) nor a language code", h, header[lastTerm])
		}
		cols[i] = col
	}
	if nTerms == 0 {
		return nil, posError("line 1", "the header names no language column: want at least one language code such as nl or en-GB among %q", header)
	}
	return cols, nil
}

// skosColumn recognizes "<lang>_pref", "<lang>_alt" and "<lang>_hidden".
func skosColumn(key string) (lang string, st glossary.Status, note string, ok bool) {
	i := strings.LastIndexByte(key, '_')
	if i <= 0 {
		return "", "", "", false
	}
	switch key[i+1:] {
	case "pref":
		st = glossary.StatusPreferred
	case "alt":
		st = glossary.StatusAdmitted
	case "hidden":
		st, note = glossary.StatusAdmitted, "hidden label"
	default:
		return "", "", "", false
	}
	return key[:i], st, note, glossary.LooksLikeLang(key[:i])
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return posError(fmt.Sprintf("line %d, column %d", pe.Line, pe.Column), "%v: check the quoting (a quote inside a quoted field is written twice)", pe.Err)
	}
	if _, ok := err.(*tolk.Error); ok {
		return err // the decoder's, positioned
	}
	return fmt.Errorf("reading CSV: %w", err)
}

// Next returns the next concept, or io.EOF after the last one. Rows
// without any term are skipped.
func (r *CSVReader) Next() (glossary.Concept, error) {
	if r.err != nil {
		return glossary.Concept{}, r.err
	}
	for {
		rec, err := r.cr.Read()
		if err == io.EOF {
			r.err = io.EOF
			if r.pending != nil {
				c, pos := *r.pending, r.pendPos
				r.pending = nil
				return r.emit(c, pos)
			}
			return glossary.Concept{}, io.EOF
		}
		if err != nil {
			r.err = csvError(err)
			if r.pending != nil { // the rows before the error still count
				c, pos := *r.pending, r.pendPos
				r.pending = nil
				if out, ok, ferr := finish(c, pos); ferr == nil && ok {
					r.last = pos
					return out, nil
				}
			}
			return glossary.Concept{}, r.err
		}
		line, _ := r.cr.FieldPos(0)
		pos := "line " + strconv.Itoa(line)
		if len(rec) > len(r.cols) && !allEmpty(rec[len(r.cols):]) {
			r.err = posError(pos, "%d fields, but the header names %d columns", len(rec), len(r.cols))
			return glossary.Concept{}, r.err
		}
		c, err := r.row(rec, pos)
		if err != nil {
			r.err = err
			return glossary.Concept{}, err
		}
		if r.pending != nil && c.ID != "" && c.ID == r.pending.ID {
			r.pending.Terms = append(r.pending.Terms, c.Terms...)
			continue
		}
		prev, prevPos := r.pending, r.pendPos
		r.pending, r.pendPos = &c, pos
		if prev != nil {
			out, ok, err := finish(*prev, prevPos)
			if err != nil {
				r.err = err
				return glossary.Concept{}, err
			}
			if ok {
				r.last = prevPos
				return out, nil
			}
		}
	}
}

func (r *CSVReader) emit(c glossary.Concept, pos string) (glossary.Concept, error) {
	out, ok, err := finish(c, pos)
	if err != nil {
		r.err = err
		return glossary.Concept{}, err
	}
	if !ok {
		return glossary.Concept{}, io.EOF
	}
	r.last = pos
	return out, nil
}

// Pos returns the position ("line 12") of the row of the concept Next
// returned last (its first row when several rows share an id).
func (r *CSVReader) Pos() string { return r.last }

func allEmpty(ss []string) bool {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// row turns one record into a concept.
func (r *CSVReader) row(rec []string, pos string) (glossary.Concept, error) {
	var c glossary.Concept
	var subdomain string
	var flag glossary.Status
	termAt := make(map[int][]int, 4) // language column → indexes into c.Terms
	for i, col := range r.cols {
		if i >= len(rec) {
			break
		}
		v := strings.TrimSpace(rec[i])
		if v == "" {
			continue
		}
		cpos := pos + ", column " + strconv.Itoa(i+1) + " (" + col.name + ")"
		switch col.kind {
		case colID:
			c.ID = v
		case colSubject:
			c.Subject = v
		case colSubdomain:
			subdomain = v
		case colDefinition:
			c.Definition = v
		case colNote:
			c.Note = v
		case colValidFrom, colValidUntil:
			t, err := parseDate(v)
			if err != nil {
				return c, posError(cpos, "%q is not a date: write YYYY-MM-DD", v)
			}
			if col.kind == colValidFrom {
				c.ValidFrom = t
			} else {
				c.ValidUntil = t
			}
		case colForbidden:
			if truthy(v) {
				flag = glossary.StatusForbidden
			}
		case colDeprecated:
			if truthy(v) {
				flag = glossary.StatusDeprecated
			}
		case colTerm:
			texts := []string{v}
			if col.multi {
				texts = strings.Split(v, " | ")
			}
			for _, t := range texts {
				termAt[i] = append(termAt[i], len(c.Terms))
				c.Terms = append(c.Terms, glossary.Term{Lang: col.lang, Text: t, Status: col.status, Note: col.note})
			}
		default:
			idx := termAt[col.term]
			if len(idx) == 0 {
				continue // a qualifier of an empty term
			}
			t := &c.Terms[idx[0]]
			switch col.kind {
			case colStatus:
				st, ok := glossary.ParseStatus(v)
				if !ok {
					return c, posError(cpos, "status %q is not one of preferred, admitted, deprecated, forbidden", v)
				}
				t.Status = st
			case colPOS:
				t.POS = v
			case colUsage:
				t.Usage = v
			case colTermNote:
				t.Note = v
			case colExample:
				t.Example = v
			}
		}
	}
	if subdomain != "" {
		if c.Subject != "" {
			c.Subject += "/" + subdomain
		} else {
			c.Subject = subdomain
		}
	}
	if flag != "" {
		for i := range c.Terms {
			if c.Terms[i].Status == "" || c.Terms[i].Status == glossary.StatusAdmitted || c.Terms[i].Status == glossary.StatusPreferred {
				c.Terms[i].Status = flag
			}
		}
	}
	return c, nil
}

// CSVWriter writes concepts in the layout CSVReader reads: id, subject,
// definition, note, valid_from, valid_until, then per language a term
// column and its status, pos, usage, note and example, and last the
// columns location, source and target for translate-toolkit's csv2po (see
// poColumns): on a row with a term in the first language, the id, that
// term and the row's term in the second language (else the concept's
// first), so that each source term is one PO message; empty on rows that
// only add synonyms in the other languages. A concept's first
// term in each language goes on its row; further synonyms go on following
// rows with the same id. Terms in languages not given are not written.
type CSVWriter struct {
	cw    *csv.Writer
	langs []string
	rec   []string
}

// NewCSVWriter writes the header for the given languages (default nl, en).
func NewCSVWriter(w io.Writer, langs ...string) (*CSVWriter, error) {
	if len(langs) == 0 {
		langs = []string{"nl", "en"}
	}
	header := []string{"id", "subject", "definition", "note", "valid_from", "valid_until"}
	for i, l := range langs {
		nl, err := checkLang(l)
		if err != nil {
			return nil, posError("langs", "%v", err)
		}
		langs[i] = nl
		header = append(header, nl, "status", "pos", "usage", "note", "example")
	}
	header = append(header, "location", "source", "target")
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return nil, err
	}
	return &CSVWriter{cw: cw, langs: langs, rec: make([]string, len(header))}, nil
}

// Write writes one concept.
func (w *CSVWriter) Write(c glossary.Concept) error {
	byLang := make([][]glossary.Term, len(w.langs))
	rows := 1
	for _, t := range c.Terms {
		for i, l := range w.langs {
			if glossary.NormLang(t.Lang) == l {
				byLang[i] = append(byLang[i], t)
				rows = max(rows, len(byLang[i]))
			}
		}
	}
	for row := range rows {
		clear(w.rec)
		w.rec[0] = c.ID
		if row == 0 {
			w.rec[1], w.rec[2], w.rec[3] = c.Subject, c.Definition, c.Note
			w.rec[4], w.rec[5] = formatDate(c.ValidFrom), formatDate(c.ValidUntil)
		}
		for i := range w.langs {
			if row < len(byLang[i]) {
				t := byLang[i][row]
				copy(w.rec[6+6*i:], []string{t.Text, string(t.Status), t.POS, t.Usage, t.Note, t.Example})
			}
		}
		if po := w.rec[len(w.rec)-3:]; row < len(byLang[0]) {
			po[0], po[1] = c.ID, byLang[0][row].Text
			if len(w.langs) > 1 && len(byLang[1]) > 0 {
				po[2] = byLang[1][min(row, len(byLang[1])-1)].Text
			}
		}
		if err := w.cw.Write(w.rec); err != nil {
			return err
		}
	}
	return w.cw.Error()
}

// Close flushes the writer; it does not close the underlying io.Writer.
func (w *CSVWriter) Close() error {
	w.cw.Flush()
	return w.cw.Error()
}

// IsHeader reports whether line, the first line of a delimited file, is a
// header row rather than a glossary entry: more than half of its non-empty
// cells are language codes or field names that NewCSVReader knows. It does
// not check the header; NewCSVReader does, with errors naming the column.
func IsHeader(line string) bool {
	cr := csv.NewReader(strings.NewReader(line))
	cr.Comma = sniffComma([]byte(line))
	cr.LazyQuotes = true
	rec, err := cr.Read()
	if err != nil {
		return false
	}
	var cells, named int
	for _, h := range rec {
		key := headerKey(h)
		if key == "" {
			continue
		}
		cells++
		_, concept := conceptFields[key]
		_, term := termFields[key]
		term = term || poColumns[key]
		_, _, _, skos := skosColumn(key)
		if concept || term || skos || glossary.LooksLikeLang(strings.TrimSpace(h)) {
			named++
		}
	}
	return 2*named > cells
}
