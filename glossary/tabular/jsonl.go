package tabular

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/glossary/internal/textenc"
)

// JSONLReader reads JSON Lines: one glossary.Concept object per line, in
// the form JSONLWriter writes. Blank lines are skipped; unknown fields are
// an error (they usually mean a typo).
type JSONLReader struct {
	r    *bufio.Reader
	line int
	err  error
}

// NewJSONLReader returns a reader of r in the given character encoding
// (empty: as a byte-order mark says, else UTF-8).
func NewJSONLReader(r io.Reader, encoding string) (*JSONLReader, error) {
	tr, _, err := textenc.Reader(r, encoding)
	if err != nil {
		return nil, err
	}
	return &JSONLReader{r: bufio.NewReaderSize(tr, 64*1024)}, nil
}

// maxLine bounds one JSON line.
const maxLine = 16 << 20

// Next returns the next concept, or io.EOF.
func (j *JSONLReader) Next() (glossary.Concept, error) {
	if j.err != nil {
		return glossary.Concept{}, j.err
	}
	for {
		var buf []byte
		for {
			chunk, err := j.r.ReadSlice('\n')
			buf = append(buf, chunk...)
			if len(buf) > maxLine {
				j.err = posError("line "+strconv.Itoa(j.line+1), "line longer than %d bytes", maxLine)
				return glossary.Concept{}, j.err
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err != nil && err != io.EOF {
				j.err = fmt.Errorf("reading JSON lines: %w", err)
				return glossary.Concept{}, j.err
			}
			if err == io.EOF && len(buf) == 0 {
				j.err = io.EOF
				return glossary.Concept{}, io.EOF
			}
			break
		}
		j.line++
		pos := "line " + strconv.Itoa(j.line)
		buf = bytes.TrimSpace(buf)
		if len(buf) == 0 {
			continue
		}
		var c glossary.Concept
		dec := json.NewDecoder(bytes.NewReader(buf))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			j.err = posError(pos, "not a concept object: %v", err)
			return glossary.Concept{}, j.err
		}
		if dec.More() {
			j.err = posError(pos, "more than one JSON value on the line")
			return glossary.Concept{}, j.err
		}
		out, ok, err := finish(c, pos)
		if err != nil {
			j.err = err
			return glossary.Concept{}, err
		}
		if !ok {
			j.err = posError(pos, "concept %q has no term", c.ID)
			return glossary.Concept{}, j.err
		}
		return out, nil
	}
}

// JSONLWriter writes one concept per line as JSON.
type JSONLWriter struct {
	w   *bufio.Writer
	enc *json.Encoder
}

// NewJSONLWriter returns a writer to w.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &JSONLWriter{w: bw, enc: enc}
}

// Write writes one concept.
func (j *JSONLWriter) Write(c glossary.Concept) error { return j.enc.Encode(c) }

// Close flushes the writer; it does not close the underlying io.Writer.
func (j *JSONLWriter) Close() error { return j.w.Flush() }
