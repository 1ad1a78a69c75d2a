package memory

import (
	"encoding/binary"
	"errors"
	"strings"
	"time"

	"github.com/tolkdev/tolk/segment"
)

// The binary encoding of stored values: a version byte, then fields as
// uvarint-length-prefixed strings, uvarints and varints. Source comes first
// so that lookup can read a candidate's source without decoding the rest.

// unitCodecVersion 2 writes inline codes as plane-16 runes
// (segment.CodeRune) and ends with the variants' languages; version 1,
// read still, wrote code n as U+E000+n, a private-use character that text
// may hold too (see legacyCodes), and no languages.
const (
	unitCodecVersion   = 2
	unitCodecVersionV1 = 1
)

var errCorrupt = errors.New("corrupt record")

type enc struct{ b []byte }

func (e *enc) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}
func (e *enc) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *enc) time(t time.Time) {
	if t.IsZero() {
		e.int(0)
		return
	}
	e.int(t.UnixNano())
}
func (e *enc) props(ps []Prop) {
	e.uint(uint64(len(ps)))
	for _, p := range ps {
		e.str(p.Type)
		e.str(p.Value)
	}
}
func (e *enc) strs(ss []string) {
	e.uint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}
func (e *enc) codes(cs []Code) {
	e.uint(uint64(len(cs)))
	for _, c := range cs {
		e.str(c.Kind)
		e.str(c.I)
		e.str(c.X)
		e.str(c.Type)
		e.str(c.Pos)
		e.str(c.Assoc)
		e.str(c.Content)
	}
}

type dec struct {
	b   []byte
	err error
}

func (d *dec) uint() uint64 {
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

// int reads a varint: binary.Varint's zig-zag encoding of a uvarint.
func (d *dec) int() int64 {
	u := d.uint()
	return int64(u>>1) ^ -int64(u&1)
}

// str copies the string out of the buffer (the buffer may be bbolt memory).
func (d *dec) str() string {
	n := d.uint()
	if d.err != nil {
		return ""
	}
	if n > uint64(len(d.b)) {
		d.err = errCorrupt
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}
func (d *dec) time() time.Time {
	v := d.int()
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(0, v).UTC()
}
func (d *dec) count() int {
	n := d.uint()
	if n > uint64(len(d.b)) { // every element takes at least one byte
		d.err = errCorrupt
		return 0
	}
	return int(n)
}
func (d *dec) props() []Prop {
	n := d.count()
	if n == 0 {
		return nil
	}
	ps := make([]Prop, n)
	for i := range ps {
		ps[i].Type = d.str()
		ps[i].Value = d.str()
	}
	return ps
}
func (d *dec) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	ss := make([]string, n)
	for i := range ss {
		ss[i] = d.str()
	}
	return ss
}
func (d *dec) codes() []Code {
	n := d.count()
	if n == 0 {
		return nil
	}
	cs := make([]Code, n)
	for i := range cs {
		c := &cs[i]
		c.Kind, c.I, c.X, c.Type = d.str(), d.str(), d.str(), d.str()
		c.Pos, c.Assoc, c.Content = d.str(), d.str(), d.str()
	}
	return cs
}

// encodeUnit appends the encoding of u (without ID and Memory, which are
// the key and the bucket) to b.
func encodeUnit(b []byte, u *Unit) []byte {
	e := enc{b}
	e.b = append(e.b, unitCodecVersion)
	e.str(u.Source)
	e.str(u.PrevSource)
	e.str(u.NextSource)
	e.str(u.Target)
	e.codes(u.SourceCodes)
	e.codes(u.TargetCodes)
	e.props(u.Props)
	e.strs(u.Notes)
	e.props(u.SourceProps)
	e.props(u.TargetProps)
	e.strs(u.SourceNotes)
	e.strs(u.TargetNotes)
	e.str(u.TUID)
	e.str(u.Origin)
	e.int(int64(u.Penalty))
	e.time(u.Created)
	e.time(u.Changed)
	e.time(u.LastUsed)
	e.str(u.CreatedBy)
	e.str(u.ChangedBy)
	e.int(int64(u.UsageCount))
	e.str(u.SourceLang)
	e.str(u.TargetLang)
	return e.b
}

// decodeUnit decodes a stored unit, copying every string.
func decodeUnit(b []byte, u *Unit) error {
	if len(b) == 0 || (b[0] != unitCodecVersion && b[0] != unitCodecVersionV1) {
		return errCorrupt
	}
	d := dec{b: b[1:]}
	u.Source = d.str()
	u.PrevSource = d.str()
	u.NextSource = d.str()
	u.Target = d.str()
	u.SourceCodes = d.codes()
	u.TargetCodes = d.codes()
	if b[0] == unitCodecVersionV1 {
		u.Source, u.Target = legacyCodes(u.Source), legacyCodes(u.Target)
		u.PrevSource, u.NextSource = legacyCodes(u.PrevSource), legacyCodes(u.NextSource)
	}
	u.Props = d.props()
	u.Notes = d.strs()
	u.SourceProps = d.props()
	u.TargetProps = d.props()
	u.SourceNotes = d.strs()
	u.TargetNotes = d.strs()
	u.TUID = d.str()
	u.Origin = d.str()
	u.Penalty = int(d.int())
	u.Created = d.time()
	u.Changed = d.time()
	u.LastUsed = d.time()
	u.CreatedBy = d.str()
	u.ChangedBy = d.str()
	u.UsageCount = int(d.int())
	if b[0] != unitCodecVersionV1 {
		u.SourceLang, u.TargetLang = d.str(), d.str()
	}
	return d.err
}

// peekSource returns the stored unit's source without copying: the caller
// must not keep it past the transaction.
func peekSource(b []byte) (string, error) {
	if len(b) == 0 || (b[0] != unitCodecVersion && b[0] != unitCodecVersionV1) {
		return "", errCorrupt
	}
	n, k := binary.Uvarint(b[1:])
	if k <= 0 || n > uint64(len(b)-1-k) {
		return "", errCorrupt
	}
	s := b[1+k : 1+k+int(n)]
	if b[0] == unitCodecVersionV1 {
		return legacyCodes(unsafeString(s)), nil
	}
	return unsafeString(s), nil
}

// legacyCodes turns the inline-code runes of a version-1 record, U+E000+n,
// into segment.CodeRune(n). Version 1 never stored a private-use
// character as text (the readers replaced them with U+FFFD, and Add
// refused a code rune without its code), so each one is a code. Text
// without them is returned as is, without copying.
func legacyCodes(s string) string {
	i := strings.IndexFunc(s, isLegacyCode)
	if i < 0 {
		return s
	}
	return s[:i] + strings.Map(func(r rune) rune {
		if isLegacyCode(r) {
			return segment.CodeRune(int(r - '\uE000'))
		}
		return r
	}, s[i:])
}

func isLegacyCode(r rune) bool { return r >= '\uE000' && r <= '\uF8FF' }

// memoryRecord is a Memory as stored, with its number in the index.
type memoryRecord struct {
	Memory
	no uint32
}

func encodeMemory(m *memoryRecord) []byte {
	e := enc{}
	e.b = append(e.b, 1)
	e.uint(uint64(m.no))
	e.str(m.Name)
	e.str(m.SourceLang)
	e.str(m.TargetLang)
	e.str(m.Description)
	e.time(m.Created)
	e.uint(uint64(m.Units))
	return e.b
}

func decodeMemory(b []byte) (memoryRecord, error) {
	var m memoryRecord
	if len(b) == 0 || b[0] != 1 {
		return m, errCorrupt
	}
	d := dec{b: b[1:]}
	m.no = uint32(d.uint())
	m.Name = d.str()
	m.SourceLang = d.str()
	m.TargetLang = d.str()
	m.Description = d.str()
	m.Created = d.time()
	m.Units = int(d.uint())
	return m, d.err
}

func idKey(id uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], id)
	return k[:]
}

// arena hands out byte slices that stay valid for a whole write
// transaction: bbolt keeps a reference to every value given to Put until
// the transaction ends, so values must not share a reused buffer.
type arena struct{ chunk []byte }

// copy returns a copy of b that is never reused.
func (a *arena) copy(b []byte) []byte {
	if len(b) > cap(a.chunk)-len(a.chunk) {
		a.chunk = make([]byte, 0, max(64<<10, len(b)))
	}
	n := len(a.chunk)
	a.chunk = append(a.chunk, b...)
	return a.chunk[n:len(a.chunk):len(a.chunk)]
}
