package server

import (
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// offsets converts UTF-8 byte offsets into one text to the unit a request
// asked for. It counts from the last offset it converted, forward or back,
// so offsets in about text order (segments in order, hits within them)
// cost one pass over the text. The zero unit, and UTF-8, leave offsets as
// they are.
type offsets struct {
	text        string
	unit        tolkv1.OffsetUnit
	byte, count int // the last conversion: text[:byte] counts count units
}

// offsetUnitFromProto checks the offset unit of a request field.
func offsetUnitFromProto(field string, u tolkv1.OffsetUnit) (tolkv1.OffsetUnit, error) {
	switch u {
	case tolkv1.OffsetUnit_OFFSET_UNIT_UNSPECIFIED, tolkv1.OffsetUnit_OFFSET_UNIT_UTF8,
		tolkv1.OffsetUnit_OFFSET_UNIT_UTF16, tolkv1.OffsetUnit_OFFSET_UNIT_CODE_POINTS:
		return u, nil
	}
	return 0, unknownEnum(field, u)
}

func newOffsets(text string, unit tolkv1.OffsetUnit) *offsets {
	return &offsets{text: text, unit: unit}
}

// at returns byte offset b of the text in the wanted unit. The caller owes
// an offset on a character boundary, 0 to len(text).
func (o *offsets) at(b int) int32 {
	if o.unit != tolkv1.OffsetUnit_OFFSET_UNIT_UTF16 && o.unit != tolkv1.OffsetUnit_OFFSET_UNIT_CODE_POINTS {
		return int32(b)
	}
	if b >= o.byte {
		o.count += o.units(o.text[o.byte:b])
	} else {
		o.count -= o.units(o.text[b:o.byte])
	}
	o.byte = b
	return int32(o.count)
}

// units counts s in the converter's unit.
func (o *offsets) units(s string) int {
	n := 0
	for _, r := range s {
		n++
		if o.unit == tolkv1.OffsetUnit_OFFSET_UNIT_UTF16 && r > 0xFFFF {
			n++ // a surrogate pair
		}
	}
	return n
}

// aligned converts the offsets of an aligned segment and its term hits,
// which are byte offsets into the converter's text.
func (o *offsets) aligned(p *tolkv1.AlignedSegment) {
	p.Start = o.at(int(p.Start))
	o.hits(p.Terms)
	p.End = o.at(int(p.End))
}

// hits converts the offsets of term hits into the converter's text.
func (o *offsets) hits(hs []*tolkv1.TermHit) {
	for _, h := range hs {
		h.Start, h.End = o.at(int(h.Start)), o.at(int(h.End))
		o.hits(h.GetOtherGlossaries())
	}
}
