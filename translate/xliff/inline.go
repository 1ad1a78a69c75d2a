package xliff

import (
	"encoding/hex"
	"encoding/xml"
	"strconv"
	"strings"
	"unicode"

	"github.com/tolkdev/tolk/segment"
)

// maxCodes is how many distinct inline codes a unit may hold.
const maxCodes = segment.MaxCodes

// codes numbers the inline codes of a unit by a key naming the code, and
// keeps what each stands for.
type codes struct {
	idx  map[string]int
	anon int
	list []Code            // by number
	data map[string]string // 2.x originalData by id
}

// content accumulates the text of one <source> or <target>.
type content struct {
	b     strings.Builder
	codes *codes
	marks map[string][2]int // mrk id → its byte span in b
	pairs *pairing          // 2.x sc/ec and sm/em pairing; nil to skip the check
	refs  *[]string         // 2.x dataRef values to check against originalData; nil to skip
	split bool              // 1.x: cut at <mrk mtype="seg"> into parts
	space string            // the element's own xml:space
	parts []part
}

// part is a 1.x segment of a seg-source or target: the mid and the byte
// span of its text in the content.
type part struct {
	id         string
	start, end int
}

// text returns the text of part pt of c.
func (c *content) text(pt part) string { return c.b.String()[pt.start:pt.end] }

func newContent(c *codes) *content {
	return &content{codes: c, marks: map[string][2]int{}}
}

// code appends the placeholder rune of the code with key, which stands for
// cd the first time key is seen; an empty key names a code of its own. It
// reports false when the unit has too many.
func (c *content) code(key string, cd Code) bool {
	if c.codes.idx == nil {
		c.codes.idx = map[string]int{}
	}
	if key == "" {
		c.codes.anon++
		key = "\x00" + strconv.Itoa(c.codes.anon) // unique: no kind:id key starts with NUL
	}
	n, ok := c.codes.idx[key]
	if !ok {
		n = len(c.codes.idx)
		if n >= maxCodes {
			return false
		}
		c.codes.idx[key] = n
		c.codes.list = append(c.codes.list, cd)
	}
	c.b.WriteRune(segment.CodeRune(n))
	return true
}

// pairing checks that 2.x start markers (sc, sm) come before their end
// markers (ec, em) in a unit's sources, or its targets.
type pairing struct {
	open map[string]bool
}

func newPairing() *pairing { return &pairing{open: map[string]bool{}} }

// renumber renumbers the code placeholders of a source and its target so
// that the source's codes count from 0 in order of first appearance and
// the target's reuse the source's numbers, and returns the codes they
// stand for by their new numbers (unit lists the unit's codes by their old
// ones). Byte offsets do not change.
func renumber(src, tgt string, unit []Code) (string, string, []Code) {
	if !hasCode(src) && !hasCode(tgt) {
		return src, tgt, nil
	}
	m := map[rune]rune{}
	var list []Code
	f := func(s string) string {
		var b strings.Builder
		b.Grow(len(s))
		for _, r := range s {
			if segment.IsCodeRune(r) {
				nr, ok := m[r]
				if !ok {
					nr = segment.CodeRune(len(m))
					m[r] = nr
					var cd Code
					if n := int(r - segment.CodeBase); n < len(unit) {
						cd = unit[n]
					}
					list = append(list, cd)
				}
				r = nr
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	s, t := f(src), f(tgt)
	return s, t, list
}

// element returns se written back as XML: an empty element (<x id="1"/>)
// when empty is set, else a start tag. Attributes keep their local names
// (xml:lang and xml:space their prefix); values are escaped.
func element(se xml.StartElement, empty bool) string {
	var b strings.Builder
	b.WriteString("<" + se.Name.Local)
	for _, a := range se.Attr {
		name := a.Name.Local
		switch a.Name.Space {
		case "":
		case nsXML:
			name = "xml:" + name
		case "xmlns":
			continue
		default:
			if name == "xmlns" {
				continue
			}
		}
		b.WriteString(" " + name + `="`)
		xml.EscapeText(&b, []byte(a.Value))
		b.WriteString(`"`)
	}
	if empty {
		b.WriteString("/")
	}
	b.WriteString(">")
	return b.String()
}

func hasCode(s string) bool {
	for _, r := range s {
		if segment.IsCodeRune(r) {
			return true
		}
	}
	return false
}

// parseCP returns the character a 2.x <cp hex="…"/> stands for.
func parseCP(h string) (rune, bool) {
	if h == "" || len(h) > 8 {
		return 0, false
	}
	if len(h)%2 == 1 {
		h = "0" + h
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return 0, false
	}
	var r rune
	for _, c := range b {
		r = r<<8 | rune(c)
	}
	if r > unicode.MaxRune || r >= 0xD800 && r <= 0xDFFF {
		return 0, false
	}
	return r, true
}

// isNameRune reports whether r may appear in an XML NMTOKEN (Read's
// lenient test: any Unicode letter, digit or combining mark).
func isNameRune(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return true
	case r == '.', r == '-', r == '_', r == ':', r == '·':
		return true
	case r < 0x80:
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

// isASCIIToken reports whether s is an NMTOKEN of ASCII letters, digits
// and . - _ : — what Write accepts as ids, since schema validators differ
// on non-ASCII name characters.
func isASCIIToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_' || c == ':') {
			return false
		}
	}
	return true
}

// isLangTag reports whether s is a syntactically well-formed BCP 47 tag:
// a 2–3 or 5–8 letter primary subtag (or i/x), then subtags of 1–8
// letters or digits.
func isLangTag(s string) bool {
	if s == "" {
		return false
	}
	for i, sub := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' }) {
		if len(sub) < 1 || len(sub) > 8 {
			return false
		}
		for j := 0; j < len(sub); j++ {
			c := sub[j] | 0x20
			letter := 'a' <= c && c <= 'z'
			digit := '0' <= sub[j] && sub[j] <= '9'
			if i == 0 && !letter || !letter && !digit {
				return false
			}
		}
		if i == 0 && (len(sub) == 1 && sub != "i" && sub != "x" && sub != "I" && sub != "X" || len(sub) == 4) {
			return false
		}
	}
	return !strings.HasPrefix(s, "-") && !strings.HasSuffix(s, "-") && !strings.Contains(s, "--")
}

// xmlLang returns se's xml:lang, or inherited when it has none.
func xmlLang(se xml.StartElement, inherited string) string {
	if v, ok := attrOK(se, nsXML, "lang"); ok {
		return v
	}
	return inherited
}
