package glossary

import (
	"encoding/binary"
	"errors"
	"time"
)

// The stored form of a concept: a version byte, then length-prefixed
// strings and varint times. It decodes an order of magnitude faster than
// JSON, which keeps Open within its budget for large glossaries.
// Version 2 adds the glossary name after the id; version 1 records (from
// before named glossaries) still decode, with an empty glossary.
const codecVersion = 2

func encodeConcept(c *Concept) []byte {
	n := 32
	for _, t := range c.Terms {
		n += len(t.Lang) + len(t.Text) + len(t.Status) + len(t.POS) + len(t.Usage) + len(t.Example) + len(t.Note) + 8
	}
	b := make([]byte, 0, n+len(c.ID)+len(c.Glossary)+len(c.Subject)+len(c.Definition)+len(c.Note))
	b = append(b, codecVersion)
	for _, s := range [...]string{c.ID, c.Glossary, c.Subject, c.Definition, c.Note} {
		b = appendString(b, s)
	}
	for _, t := range [...]time.Time{c.ValidFrom, c.ValidUntil, c.Changed} {
		b = appendTime(b, t)
	}
	b = binary.AppendUvarint(b, uint64(len(c.Terms)))
	for _, t := range c.Terms {
		for _, s := range [...]string{t.Lang, t.Text, string(t.Status), t.POS, t.Usage, t.Example, t.Note} {
			b = appendString(b, s)
		}
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, 0)
	}
	b = append(b, 1)
	return binary.AppendVarint(b, t.UnixNano())
}

var errCorrupt = errors.New("corrupt concept record")

// decodeConcept parses encodeConcept's output; it copies every string, so
// b may be a bbolt value that dies with its transaction.
func decodeConcept(b []byte) (Concept, error) {
	if len(b) == 0 || b[0] < 1 || b[0] > codecVersion {
		return Concept{}, errCorrupt
	}
	version := b[0]
	// One string holds the whole record; fields are substrings of it, so a
	// concept costs one allocation for all its text.
	whole := string(b[1:])
	d := decoder{b: b[1:], s: whole}
	var c Concept
	c.ID = d.str()
	if version >= 2 {
		c.Glossary = d.str()
	}
	c.Subject, c.Definition, c.Note = d.str(), d.str(), d.str()
	c.ValidFrom, c.ValidUntil, c.Changed = d.time(), d.time(), d.time()
	n := d.uvarint()
	if d.err == nil && n > uint64(len(d.b)) {
		d.err = errCorrupt
	}
	if d.err == nil && n > 0 {
		c.Terms = make([]Term, n)
		for i := range c.Terms {
			t := &c.Terms[i]
			t.Lang, t.Text, t.Status, t.POS, t.Usage, t.Example, t.Note = d.str(), d.str(), Status(d.str()), d.str(), d.str(), d.str(), d.str()
		}
	}
	if d.err != nil {
		return Concept{}, d.err
	}
	return c, nil
}

type decoder struct {
	b   []byte // the unread rest
	s   string // the record as a string; s[len(s)-len(b):] is the rest
	err error
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.err = errCorrupt
		return ""
	}
	off := len(d.s) - len(d.b)
	d.b = d.b[n:]
	return d.s[off : off+int(n)]
}

func (d *decoder) time() time.Time {
	if d.err != nil || len(d.b) == 0 {
		d.err = errCorrupt
		return time.Time{}
	}
	flag := d.b[0]
	d.b = d.b[1:]
	if flag == 0 {
		return time.Time{}
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errCorrupt
		return time.Time{}
	}
	d.b = d.b[n:]
	return time.Unix(0, v).UTC()
}
