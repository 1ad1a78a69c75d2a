// Package termfile is TEMPORARY scaffolding until glossary/tabular and glossary/tbx land.
package termfile

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/tolkdev/tolk/glossary"
)

type Format int

const (
	AutoDetect Format = iota
	TBX
	CSV
	TSV
	JSONL
)

type Decoder struct {
	cr     *csv.Reader
	header []string
	jd     *json.Decoder
}

func NewDecoder(r io.Reader, f Format) (*Decoder, error) {
	if f == JSONL {
		return &Decoder{jd: json.NewDecoder(r)}, nil
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	h, err := cr.Read()
	if err != nil {
		return nil, err
	}
	return &Decoder{cr: cr, header: h}, nil
}

func (d *Decoder) Skipped() int { return 0 }

func (d *Decoder) Next() (glossary.Concept, error) {
	var c glossary.Concept
	if d.jd != nil {
		err := d.jd.Decode(&c)
		return c, err
	}
	rec, err := d.cr.Read()
	if err != nil {
		return c, err
	}
	var last *glossary.Term
	for i, v := range rec {
		switch h := strings.ToLower(d.header[i]); h {
		case "id":
			c.ID = v
		case "subject":
			c.Subject = v
		case "definition":
			c.Definition = v
		case "note":
			c.Note = v
		case "nl", "en":
			last = nil
			if v != "" {
				c.Terms = append(c.Terms, glossary.Term{Lang: h, Text: v})
				last = &c.Terms[len(c.Terms)-1]
			}
		case "status":
			if last != nil {
				last.Status = glossary.Status(v)
			}
		}
	}
	return c, nil
}

type Encoder struct{ e *json.Encoder }

func NewEncoder(w io.Writer, f Format) (*Encoder, error) {
	if f != JSONL {
		return nil, errors.New("not yet")
	}
	return &Encoder{json.NewEncoder(w)}, nil
}
func (e *Encoder) Encode(c glossary.Concept) error { return e.e.Encode(c) }
func (e *Encoder) Close() error                    { return nil }
