package memory

import (
	"regexp"
	"strconv"
	"strings"
)

// Placeables: Dutch numbers ("1.250.000,50"), times ("14.30 uur") and
// dates ("26 september 2023") in a unit's source that the query replaces by
// others are carried over into the unit's target, written the way the
// target wrote the original ("1,250,000.50", "2.30 p.m.", "26 September
// 2023").

var englishMonths = [...]string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// number is a parsed number: integer digits and fraction digits.
type number struct{ whole, frac string }

// parseNumber parses s with the given thousands and decimal separators.
// A separator that could be either is read as thousands only when every
// group after it has three digits.
func parseNumber(s string, thousands, decimal byte) (number, bool) {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return number{}, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && c != '.' && c != ',' {
			return number{}, false
		}
	}
	whole, frac := s, ""
	if i := strings.LastIndexByte(s, decimal); i >= 0 {
		whole, frac = s[:i], s[i+1:]
		if strings.IndexByte(frac, thousands) >= 0 || strings.IndexByte(frac, decimal) >= 0 {
			return number{}, false
		}
	}
	groups := strings.Split(whole, string(thousands))
	for i, g := range groups {
		if g == "" || strings.IndexByte(g, decimal) >= 0 || (i > 0 && len(g) != 3) {
			if i > 0 && frac == "" && len(groups) == 2 && strings.IndexByte(s, decimal) < 0 {
				// "14.30" read with '.' as thousands: not a thousands
				// group, so take it as the decimal separator.
				return number{whole: groups[0], frac: groups[1]}, true
			}
			return number{}, false
		}
	}
	return number{whole: strings.Join(groups, ""), frac: frac}, true
}

// style is how a target wrote a number.
type style struct{ thousands, decimal byte }

func styleOf(s string) style {
	st := style{decimal: '.'}
	lastDot, lastComma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	switch {
	case lastDot >= 0 && lastComma >= 0:
		if lastDot > lastComma {
			st = style{',', '.'}
		} else {
			st = style{'.', ','}
		}
	case lastComma >= 0:
		if len(s)-lastComma-1 == 3 {
			st.thousands = ','
		} else {
			st.decimal = ','
		}
	case lastDot >= 0:
		if len(s)-lastDot-1 == 3 && strings.Count(s, ".") > 1 {
			st.thousands = '.'
		}
	}
	return st
}

func (n number) format(st style) string {
	var b strings.Builder
	w := n.whole
	for i := 0; i < len(w); i++ {
		if st.thousands != 0 && i > 0 && (len(w)-i)%3 == 0 {
			b.WriteByte(st.thousands)
		}
		b.WriteByte(w[i])
	}
	if n.frac != "" {
		b.WriteByte(st.decimal)
		b.WriteString(n.frac)
	}
	return b.String()
}

func (n number) equal(m number) bool {
	return strings.TrimLeft(n.whole, "0") == strings.TrimLeft(m.whole, "0") &&
		strings.TrimRight(n.frac, "0") == strings.TrimRight(m.frac, "0")
}

// parseDutch reads a number as Dutch writes it: '.' thousands, ',' decimal.
func parseDutch(s string) (number, bool) { return parseNumber(s, '.', ',') }

var (
	reTime12 = regexp.MustCompile(`\b(\d{1,2})(?:[.:](\d{2}))?\s*(a\.m\.|p\.m\.|am|pm|AM|PM|A\.M\.|P\.M\.)`)
	reTime24 = regexp.MustCompile(`\b(\d{1,2})[.:](\d{2})\b`)
	reNumber = regexp.MustCompile(`\d[\d.,]*\d|\d`)
)

// clock is a time of day.
type clock struct{ h, m int }

func parseClock(s string) (clock, bool) {
	hs, ms, _ := strings.Cut(strings.ReplaceAll(s, ":", "."), ".")
	h, err := strconv.Atoi(hs)
	if err != nil || h > 24 {
		return clock{}, false
	}
	m := 0
	if ms != "" {
		if len(ms) != 2 {
			return clock{}, false
		}
		if m, err = strconv.Atoi(ms); err != nil || m > 59 {
			return clock{}, false
		}
	}
	return clock{h, m}, true
}

type edit struct {
	start, end int
	text       string
}

// adaptTarget rewrites target for the placeables that differ between the
// aligned query and unit source. unadapted lists the query's placeables it
// could not carry into the target: replacing a placeable the target does
// not hold (or holds as words), or with no counterpart in the unit.
func adaptTarget(q, u *prepared, pairs []pair, target string) (adapted string, unadapted []string) {
	var edits []edit
	used := func(s, e int) bool {
		for _, x := range edits {
			if s < x.end && x.start < e {
				return true
			}
		}
		return false
	}
	for _, p := range pairs {
		if p.q < 0 || !q.toks[p.q].kind.placeable() {
			continue
		}
		qt := &q.toks[p.q]
		if p.u < 0 {
			unadapted = append(unadapted, qt.text)
			continue
		}
		ut := &u.toks[p.u]
		if qt.text == ut.text {
			continue
		}
		e, ok := edit{}, false
		switch {
		case qt.kind != ut.kind:
		case qt.kind == kMonth:
			e, ok = adaptMonth(ut.text, qt.text, target, used)
		default:
			uIsTime := p.u+1 < len(u.toks) && strings.EqualFold(u.toks[p.u+1].text, "uur")
			qIsTime := p.q+1 < len(q.toks) && strings.EqualFold(q.toks[p.q+1].text, "uur")
			if uIsTime && qIsTime {
				e, ok = adaptTime(ut.text, qt.text, target, used)
			}
			if !ok {
				// Not a time of day: a duration ("24 uur"), an amount.
				e, ok = adaptNumber(ut.text, qt.text, target, used)
			}
		}
		if !ok {
			unadapted = append(unadapted, qt.text)
			continue
		}
		edits = append(edits, e)
	}
	if len(edits) == 0 {
		return target, unadapted
	}
	// Apply from the right so offsets stay valid.
	for i := 1; i < len(edits); i++ {
		for j := i; j > 0 && edits[j].start > edits[j-1].start; j-- {
			edits[j], edits[j-1] = edits[j-1], edits[j]
		}
	}
	for _, e := range edits {
		target = target[:e.start] + e.text + target[e.end:]
	}
	return target, unadapted
}

// adaptMonth finds the English name of the unit's month in the target and
// writes the query's month instead, in the same case.
func adaptMonth(utext, qtext, target string, used func(s, e int) bool) (edit, bool) {
	from, to := englishMonths[dutchMonth(utext)], englishMonths[dutchMonth(qtext)]
	i := strings.Index(strings.ToLower(target), strings.ToLower(from))
	if i < 0 || used(i, i+len(from)) {
		return edit{}, false
	}
	if target[i] >= 'a' && target[i] <= 'z' {
		to = strings.ToLower(to)
	}
	return edit{i, i + len(from), to}, true
}

// adaptNumber finds the unit's number in the target, written with either
// convention, and writes the query's number in the target's style.
func adaptNumber(utext, qtext, target string, used func(s, e int) bool) (edit, bool) {
	un, ok1 := parseDutch(utext)
	qn, ok2 := parseDutch(qtext)
	if !ok1 || !ok2 {
		return edit{}, false
	}
	for _, loc := range reNumber.FindAllStringIndex(target, -1) {
		tt := target[loc[0]:loc[1]]
		if used(loc[0], loc[1]) {
			continue
		}
		tn1, okE := parseNumber(tt, ',', '.')
		tn2, okD := parseNumber(tt, '.', ',')
		if (okE && tn1.equal(un)) || (okD && tn2.equal(un)) {
			st := styleOf(tt)
			if st.thousands == 0 && (strings.ContainsAny(utext, ".") && len(un.whole) > 3) {
				st.thousands = ','
			}
			return edit{loc[0], loc[1], qn.format(st)}, true
		}
	}
	return edit{}, false
}

// adaptTime finds the unit's time in the target, in 12-hour ("2.30 p.m.")
// or 24-hour ("14:30") form, and writes the query's time the same way.
func adaptTime(utext, qtext, target string, used func(s, e int) bool) (edit, bool) {
	uc, ok1 := parseClock(utext)
	qc, ok2 := parseClock(qtext)
	if !ok1 || !ok2 {
		return edit{}, false
	}
	for _, m := range reTime12.FindAllStringSubmatchIndex(target, -1) {
		h, _ := strconv.Atoi(target[m[2]:m[3]])
		mi := 0
		if m[4] >= 0 {
			mi, _ = strconv.Atoi(target[m[4]:m[5]])
		}
		marker := target[m[6]:m[7]]
		pm := strings.HasPrefix(strings.ToLower(marker), "p")
		h24 := h % 12
		if pm {
			h24 += 12
		}
		if h24 != uc.h%24 || mi != uc.m || used(m[0], m[1]) {
			continue
		}
		sep := "."
		if m[4] >= 0 {
			sep = target[m[3] : m[3]+1]
		}
		qh := qc.h % 12
		if qh == 0 {
			qh = 12
		}
		var b strings.Builder
		b.WriteString(strconv.Itoa(qh))
		if m[4] >= 0 || qc.m != 0 {
			b.WriteString(sep + twoDigits(qc.m))
		}
		gapStart := m[3]
		if m[4] >= 0 {
			gapStart = m[5]
		}
		b.WriteString(target[gapStart:m[6]]) // the space before the marker
		b.WriteString(switchMarker(marker, qc.h%24 >= 12))
		return edit{m[0], m[1], b.String()}, true
	}
	for _, m := range reTime24.FindAllStringSubmatchIndex(target, -1) {
		h, _ := strconv.Atoi(target[m[2]:m[3]])
		mi, _ := strconv.Atoi(target[m[4]:m[5]])
		if h != uc.h || mi != uc.m || used(m[0], m[1]) {
			continue
		}
		sep := target[m[3] : m[3]+1]
		return edit{m[0], m[1], twoDigitsIf(qc.h, m[3]-m[2] == 2) + sep + twoDigits(qc.m)}, true
	}
	return edit{}, false
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func twoDigitsIf(n int, two bool) string {
	if two {
		return twoDigits(n)
	}
	return strconv.Itoa(n)
}

// switchMarker writes "a.m." or "p.m." in the form of marker.
func switchMarker(marker string, pm bool) string {
	want, other := byte('a'), byte('p')
	if pm {
		want, other = 'p', 'a'
	}
	b := []byte(marker)
	for i, c := range b {
		switch c {
		case other:
			b[i] = want
		case other - 'a' + 'A':
			b[i] = want - 'a' + 'A'
		}
	}
	return string(b)
}
