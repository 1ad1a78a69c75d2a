package xliff

import (
	"cmp"
	"encoding/xml"
	"github.com/tolkdev/tolk/segment"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// unit2 is the state of one 2.x unit while it is read.
type unit2 struct {
	codes    codes
	src, trg *pairing
	ids      map[string]bool // segment and ignorable ids
	dataIDs  map[string]bool
	dataRefs []string
	orders   map[int]bool
	segs     []Segment
	segIDs   map[string]int
	srcMarks map[string]markRef
	trgMarks map[string]int
	matches  []pending[Match]
	terms    []pending[Term]
}

type markRef struct {
	seg        int
	start, end int
}

// pending is a candidate or glossary entry waiting for its ref to be
// resolved at the end of the unit.
type pending[T any] struct {
	ref  string
	line int
	v    T
}

func (p *parser) line() int {
	l, _ := p.d.InputPos()
	return l
}

func (p *parser) document2() error {
	root := p.root
	if err := p.checkAttrs(root); err != nil {
		return err
	}
	src, trg := attr(root, "srcLang"), attr(root, "trgLang")
	if src == "" {
		return p.errf("<xliff> has no srcLang: XLIFF 2 requires the source language")
	}
	if !isLangTag(src) {
		return p.errf("srcLang %q is not a well-formed language tag", src)
	}
	if trg != "" && !isLangTag(trg) {
		return p.errf("trgLang %q is not a well-formed language tag", trg)
	}
	p.doc.SrcLang, p.doc.TrgLang = src, trg
	lang := xmlLang(root, "")
	fileIDs := map[string]bool{}
	err := p.children(func(se xml.StartElement) error {
		if p.core(se, "file") {
			return p.file2(se, lang, fileIDs)
		}
		return p.errf("<%s> is not allowed in <xliff>: only <file> elements are", se.Name.Local)
	}, nil)
	if err != nil {
		return err
	}
	if len(fileIDs) == 0 {
		return p.errf("<xliff> has no <file>")
	}
	if p.sawTrg && trg == "" {
		return p.errf("the document has targets but <xliff> has no trgLang")
	}
	return nil
}

// checkID checks an id attribute that must be an NMTOKEN and unique in
// seen (when seen is not nil).
func (p *parser) checkID(elem, id string, required bool, seen map[string]bool) error {
	if id == "" {
		if required {
			return p.errf("<%s> has no id", elem)
		}
		return nil
	}
	for _, r := range id {
		if !isNameRune(r) {
			return p.errf("<%s> id %q is not an XML NMTOKEN (character %q)", elem, id, r)
		}
	}
	if seen != nil {
		if seen[id] {
			return p.errf("<%s> id %q is used twice", elem, id)
		}
		seen[id] = true
	}
	return nil
}

func (p *parser) file2(se xml.StartElement, lang string, fileIDs map[string]bool) error {
	defer p.pushSpace(se)()
	if err := p.checkAttrs(se); err != nil {
		return err
	}
	id := attr(se, "id")
	if err := p.checkID("file", id, true, fileIDs); err != nil {
		return err
	}
	lang = xmlLang(se, lang)
	f := File{ID: id, Original: attr(se, "original")}
	ids := map[string]bool{}
	units := 0
	noteIDs := map[string]bool{}
	err := p.children(func(se xml.StartElement) error {
		if units > 0 && !p.isCoreNS(se.Name.Space) {
			return p.errf("<%s> comes after the units of <file>: extensions and modules go before them", se.Name.Local)
		}
		switch {
		case p.core(se, "skeleton"):
			if err := p.checkAttrs(se); err != nil {
				return err
			}
			return p.skeleton(se)
		case p.core(se, "notes"):
			if units > 0 {
				return p.errf("<notes> comes after units or groups: it goes before them")
			}
			_, err := p.notes(noteIDs)
			return err
		case p.core(se, "unit"):
			units++
			return p.unit2(se, lang, &f, ids)
		case p.core(se, "group"):
			units++
			return p.group2(se, lang, &f, ids, 0)
		case p.isCoreNS(se.Name.Space):
			return p.errf("<%s> is not allowed in <file>", se.Name.Local)
		}
		return p.skip()
	}, nil)
	if err != nil {
		return err
	}
	if units == 0 {
		return p.errf("<file id=%q> has no <unit> or <group>", id)
	}
	p.doc.Files = append(p.doc.Files, f)
	return nil
}

func (p *parser) skeleton(se xml.StartElement) error {
	href := attr(se, "href")
	nonEmpty := false
	err := p.children(func(xml.StartElement) error {
		nonEmpty = true
		return p.skip()
	}, func(cd xml.CharData) {
		nonEmpty = nonEmpty || strings.TrimSpace(string(cd)) != ""
	})
	switch {
	case err != nil:
		return err
	case href == "" && !nonEmpty:
		return p.errf("<skeleton> has neither an href nor content")
	case href != "" && nonEmpty:
		return p.errf("<skeleton> has both an href and content")
	}
	return nil
}

// notes reads a <notes> element, checking note ids are unique in seen.
func (p *parser) notes(seen map[string]bool) ([]string, error) {
	var notes []string
	err := p.children(func(se xml.StartElement) error {
		if !p.core(se, "note") {
			return p.errf("<%s> is not allowed in <notes>", se.Name.Local)
		}
		if err := p.checkAttrs(se); err != nil {
			return err
		}
		if err := p.checkID("note", attr(se, "id"), false, seen); err != nil {
			return err
		}
		t, err := p.textOf()
		notes = append(notes, t)
		return err
	}, nil)
	if err == nil && len(notes) == 0 {
		err = p.errf("<notes> holds no <note>")
	}
	return notes, err
}

func (p *parser) group2(se xml.StartElement, lang string, f *File, ids map[string]bool, depth int) error {
	defer p.pushSpace(se)()
	if err := p.checkAttrs(se); err != nil {
		return err
	}
	if depth > maxDepth {
		return p.errf("groups nest more than %d deep", maxDepth)
	}
	if err := p.checkID("group", attr(se, "id"), true, ids); err != nil {
		return err
	}
	lang = xmlLang(se, lang)
	noteIDs := map[string]bool{}
	units := 0
	return p.children(func(se xml.StartElement) error {
		if units > 0 && !p.isCoreNS(se.Name.Space) {
			return p.errf("<%s> comes after the units of <group>: extensions and modules go before them", se.Name.Local)
		}
		switch {
		case p.core(se, "notes"):
			if units > 0 {
				return p.errf("<notes> comes after units or groups: it goes before them")
			}
			_, err := p.notes(noteIDs)
			return err
		case p.core(se, "unit"):
			units++
			return p.unit2(se, lang, f, ids)
		case p.core(se, "group"):
			units++
			return p.group2(se, lang, f, ids, depth+1)
		case p.isCoreNS(se.Name.Space):
			return p.errf("<%s> is not allowed in <group>", se.Name.Local)
		}
		return p.skip()
	}, nil)
}

func (p *parser) unit2(se xml.StartElement, lang string, f *File, ids map[string]bool) error {
	defer p.pushSpace(se)()
	if err := p.checkAttrs(se); err != nil {
		return err
	}
	id := attr(se, "id")
	if err := p.checkID("unit", id, true, ids); err != nil {
		return err
	}
	p.unitID = id
	defer func() { p.unitID = "" }()
	lang = xmlLang(se, lang)
	u := &unit2{
		src: newPairing(), trg: newPairing(),
		ids: map[string]bool{}, dataIDs: map[string]bool{}, orders: map[int]bool{},
		segIDs: map[string]int{}, srcMarks: map[string]markRef{}, trgMarks: map[string]int{},
	}
	var notes []string
	parts, segments := 0, 0
	stage := 0 // 0 extensions, 1 notes, 2 originalData, 3 segments
	at := func(elem string, s int) error {
		if stage > s {
			return p.errf("<%s> comes too late in <unit>: the order is extensions and modules, notes, originalData, segments", elem)
		}
		stage = s
		return nil
	}
	noteIDs := map[string]bool{}
	err := p.children(func(se xml.StartElement) error {
		if !p.isCoreNS(se.Name.Space) {
			if err := at(se.Name.Local, 0); err != nil {
				return err
			}
		}
		switch {
		case se.Name.Space == nsMtc && se.Name.Local == "matches":
			return p.matches2(u)
		case se.Name.Space == nsGls && se.Name.Local == "glossary":
			return p.glossary2(u)
		case p.core(se, "notes"):
			if err := at("notes", 1); err != nil {
				return err
			}
			n, err := p.notes(noteIDs)
			notes = append(notes, n...)
			return err
		case p.core(se, "originalData"):
			if err := at("originalData", 2); err != nil {
				return err
			}
			return p.originalData(u)
		case p.core(se, "segment"), p.core(se, "ignorable"):
			if err := at(se.Name.Local, 3); err != nil {
				return err
			}
			parts++
			if se.Name.Local == "segment" {
				segments++
			}
			return p.segment2(se, lang, u, parts)
		case p.isCoreNS(se.Name.Space):
			return p.errf("<%s> is not allowed in <unit>", se.Name.Local)
		}
		return p.skip()
	}, nil)
	if err != nil {
		return err
	}
	if segments == 0 {
		return p.errf("<unit> has no <segment>")
	}
	for o := range u.orders {
		if o > parts {
			return p.errf("a target has order %d but the unit has only %d segments and ignorables", o, parts)
		}
	}
	for _, ref := range u.dataRefs {
		if !u.dataIDs[ref] {
			return p.errf("an inline code refers to original data %q, which the unit's <originalData> does not hold", ref)
		}
	}
	for _, pr := range []*pairing{u.src, u.trg} {
		if len(pr.open) == 0 {
			continue
		}
		key := slices.Min(slices.Collect(maps.Keys(pr.open))) // the first, so the error is the same every run
		kind, id, _ := strings.Cut(key, ":")
		if kind == "sc" {
			return p.errf("<sc id=%q> has no <ec startRef=%q> in the unit: add one, or mark the <sc> isolated=\"yes\"", id, id)
		}
		return p.errf("<sm id=%q> has no <em startRef=%q> in the unit", id, id)
	}
	for _, m := range u.matches {
		i, _, ok := u.resolve(m.ref)
		if !strings.HasPrefix(m.ref, "#") {
			return p.errAt(m.line, "mtc:match ref %q is not a fragment reference such as #m1", m.ref)
		}
		if !ok {
			return p.errAt(m.line, "mtc:match ref %q points to no segment or marker of the unit", m.ref)
		}
		u.segs[i].Matches = append(u.segs[i].Matches, m.v)
	}
	for _, t := range u.terms {
		i, span, ok := u.resolve(t.ref)
		if span != nil {
			t.v.Start, t.v.End = span.start, span.end
		}
		if !ok {
			i = 0
			for j, s := range u.segs {
				if t.v.Source != "" && strings.Contains(s.Source, t.v.Source) {
					i = j
					break
				}
			}
		}
		if len(u.segs) > 0 {
			u.segs[i].Terms = append(u.segs[i].Terms, t.v)
		}
	}
	for i := range u.segs {
		u.segs[i].Source, u.segs[i].Target, u.segs[i].Codes = renumber(u.segs[i].Source, u.segs[i].Target, u.codes.list)
	}
	if !p.noTranslate && len(u.segs) > 0 {
		f.Units = append(f.Units, Unit{ID: id, Segments: u.segs, Notes: notes})
	}
	return nil
}

// resolve returns the segment a candidate or glossary ref points to: a
// segment id or a marker in a source ("#m1", whose span it returns too) or
// target ("#t=m1"). Longer fragment paths ("#/f=f1/u=u1/m1") are resolved
// by their last step.
func (u *unit2) resolve(ref string) (int, *markRef, bool) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return 0, nil, false
	}
	if i := strings.LastIndexByte(frag, '/'); i >= 0 {
		frag = frag[i+1:]
	}
	if t, ok := strings.CutPrefix(frag, "t="); ok {
		i, ok := u.trgMarks[t]
		return i, nil, ok
	}
	if m, ok := u.srcMarks[frag]; ok {
		return m.seg, &m, true
	}
	i, ok := u.segIDs[frag]
	return i, nil, ok
}

func (p *parser) originalData(u *unit2) error {
	n := 0
	err := p.children(func(se xml.StartElement) error {
		if !p.core(se, "data") {
			return p.errf("<%s> is not allowed in <originalData>", se.Name.Local)
		}
		n++
		if err := p.checkID("data", attr(se, "id"), true, u.dataIDs); err != nil {
			return err
		}
		if err := p.checkAttrs(se); err != nil {
			return err
		}
		var b strings.Builder
		err := p.children(func(se xml.StartElement) error {
			if !p.core(se, "cp") {
				return p.errf("<%s> is not allowed in <data>: only text and <cp>", se.Name.Local)
			}
			if r, ok := parseCP(attr(se, "hex")); ok {
				b.WriteRune(r)
			}
			return p.skip()
		}, func(cd xml.CharData) { b.Write(cd) })
		if u.codes.data == nil {
			u.codes.data = map[string]string{}
		}
		u.codes.data[attr(se, "id")] = b.String()
		return err
	}, nil)
	if err == nil && n == 0 {
		err = p.errf("<originalData> holds no <data>")
	}
	return err
}

func (p *parser) segment2(se xml.StartElement, lang string, u *unit2, pos int) error {
	elem := se.Name.Local
	ignorable := elem == "ignorable"
	if err := p.checkAttrs(se); err != nil {
		return err
	}
	id := attr(se, "id")
	if err := p.checkID(elem, id, false, u.ids); err != nil {
		return err
	}
	state, hasState := attrOK(se, "", "state")
	if _, ok := attrOK(se, "", "subState"); ok && !hasState {
		return p.errf("<segment> has a subState but no state")
	}
	switch state {
	case "", StateInitial, StateTranslated, StateReviewed, StateFinal:
	default:
		return p.errf("segment state %q is not one of initial, translated, reviewed, final", state)
	}
	if state == "" {
		state = StateInitial
	}
	idx := len(u.segs)
	var src, trg *content
	err := p.children(func(se xml.StartElement) error {
		switch {
		case p.core(se, "source"):
			if src != nil || trg != nil {
				return p.errf("<%s> has a second <source>, or a <source> after its <target>", elem)
			}
			if l := xmlLang(se, lang); l != "" && !strings.EqualFold(l, p.doc.SrcLang) {
				return p.errf("<source> has xml:lang %q but the document's srcLang is %q", l, p.doc.SrcLang)
			}
			if err := p.checkAttrs(se); err != nil {
				return err
			}
			src = newContent(&u.codes)
			src.space = attrSpace(se)
			src.pairs, src.refs = u.src, &u.dataRefs
			return p.inline2(src, 0)
		case p.core(se, "target"):
			if trg != nil {
				return p.errf("<%s> has a second <target>", elem)
			}
			if err := p.checkAttrs(se); err != nil {
				return err
			}
			if l := xmlLang(se, lang); l != "" && !strings.EqualFold(l, p.doc.TrgLang) {
				return p.errf("<target> has xml:lang %q but the document's trgLang is %q", l, p.doc.TrgLang)
			}
			order := pos
			if o := attr(se, "order"); o != "" {
				n, err := strconv.Atoi(o)
				if err != nil || n < 1 {
					return p.errf("<target> order %q is not a positive integer", o)
				}
				order = n
			}
			if u.orders[order] {
				return p.errf("two targets of the unit have order %d (a target without order has its segment's position)", order)
			}
			u.orders[order] = true
			if sp, tp := p.spaceOr(spaceOf(src)), p.spaceOr(attrSpace(se)); sp != tp {
				return p.errf("<source> has xml:space %q but its <target> has %q", sp, tp)
			}
			p.sawTrg = true
			trg = newContent(&u.codes)
			trg.pairs, trg.refs = u.trg, &u.dataRefs
			return p.inline2(trg, 0)
		}
		return p.errf("<%s> is not allowed in <%s>", se.Name.Local, elem)
	}, nil)
	if err != nil {
		return err
	}
	if src == nil {
		return p.errf("<%s> has no <source>", elem)
	}
	if ignorable {
		return nil
	}
	s := Segment{ID: id, Source: src.b.String(), State: state}
	if id != "" {
		u.segIDs[id] = idx
	}
	for mid, sp := range src.marks {
		u.srcMarks[mid] = markRef{idx, sp[0], sp[1]}
	}
	if trg != nil {
		s.Target = trg.b.String()
		for mid := range trg.marks {
			u.trgMarks[mid] = idx
		}
	}
	u.segs = append(u.segs, s)
	return nil
}

// inline2 reads XLIFF 2 inline content into c up to the end of the element
// just opened.
func (p *parser) inline2(c *content, depth int) error {
	if depth > maxDepth {
		return p.errf("inline elements nest more than %d deep", maxDepth)
	}
	return p.children(func(se xml.StartElement) error {
		if !p.isCoreNS(se.Name.Space) {
			return p.errf("<%s> (namespace %s) is not allowed in inline content", se.Name.Local, se.Name.Space)
		}
		if err := p.checkAttrs(se); err != nil {
			return err
		}
		id := attr(se, "id")
		isolated := attr(se, "isolated") == "yes"
		switch se.Name.Local {
		case "cp":
			r, ok := parseCP(attr(se, "hex"))
			if !ok {
				return p.errf("<cp hex=%q> is not a Unicode code point", attr(se, "hex"))
			}
			if isXMLChar(r) {
				return p.errf("<cp hex=%q> encodes a character XML can carry: write it as text", attr(se, "hex"))
			}
			c.b.WriteRune(r)
			return p.skip()
		case "ph":
			if err := p.checkID("ph", id, true, nil); err != nil {
				return err
			}
			c.dataRef(attr(se, "dataRef"))
			cd := Code{Kind: CodeStandalone, ID: id, Data: c.data(attr(se, "dataRef"), element(se, true))}
			if !c.code("ph:"+id, cd) {
				return p.errf("more than %d inline codes", maxCodes)
			}
			return p.skip()
		case "pc":
			if err := p.checkID("pc", id, true, nil); err != nil {
				return err
			}
			c.dataRef(attr(se, "dataRefStart"))
			c.dataRef(attr(se, "dataRefEnd"))
			open := Code{Kind: CodeOpen, ID: id, Data: c.data(attr(se, "dataRefStart"), element(se, false))}
			if !c.code("pc:"+id+":open", open) {
				return p.errf("more than %d inline codes", maxCodes)
			}
			if err := p.inline2(c, depth+1); err != nil {
				return err
			}
			if !c.code("pc:"+id+":close", Code{Kind: CodeClose, ID: id, Data: c.data(attr(se, "dataRefEnd"), "</pc>")}) {
				return p.errf("more than %d inline codes", maxCodes)
			}
			return nil
		case "sc", "sm":
			if err := p.checkID(se.Name.Local, id, true, nil); err != nil {
				return err
			}
			if se.Name.Local == "sc" {
				c.dataRef(attr(se, "dataRef"))
				cd := Code{Kind: CodeOpen, ID: id, Data: c.data(attr(se, "dataRef"), element(se, true))}
				if !c.code("sc:"+id, cd) {
					return p.errf("more than %d inline codes", maxCodes)
				}
			}
			if c.pairs != nil && !isolated {
				c.pairs.open[se.Name.Local+":"+id] = true
			}
			return p.skip()
		case "ec", "em":
			start := "sc"
			if se.Name.Local == "em" {
				start = "sm"
			}
			ref := attr(se, "startRef")
			key := "ec:" + ref
			switch {
			case se.Name.Local == "em" && ref == "":
				return p.errf("<em> has no startRef")
			case isolated && ref != "":
				return p.errf("<ec isolated=\"yes\"> must not have a startRef (%q)", ref)
			case isolated:
				if err := p.checkID("ec", id, true, nil); err != nil {
					return err
				}
				key = "ec:#" + id
			case ref == "":
				return p.errf("<ec> has neither a startRef nor isolated=\"yes\"")
			case c.pairs != nil:
				if !c.pairs.open[start+":"+ref] {
					return p.errf("<%s startRef=%q> comes before its <%s id=%q>, or that is isolated", se.Name.Local, ref, start, ref)
				}
				delete(c.pairs.open, start+":"+ref)
			}
			if se.Name.Local == "ec" {
				c.dataRef(attr(se, "dataRef"))
				cd := Code{Kind: CodeClose, ID: cmp.Or(ref, id), Data: c.data(attr(se, "dataRef"), element(se, true))}
				if !c.code(key, cd) {
					return p.errf("more than %d inline codes", maxCodes)
				}
			}
			return p.skip()
		case "mrk":
			if err := p.checkID("mrk", id, true, nil); err != nil {
				return err
			}
			start := c.b.Len()
			if err := p.inline2(c, depth+1); err != nil {
				return err
			}
			c.marks[id] = [2]int{start, c.b.Len()}
			return nil
		}
		return p.errf("<%s> is not an XLIFF 2 inline element", se.Name.Local)
	}, func(cd xml.CharData) { segment.ReplaceReserved(&c.b, cd) })
}

// data returns the original data that ref names in the unit, or def when
// ref is empty or names none.
func (c *content) data(ref, def string) string {
	if d, ok := c.codes.data[ref]; ok && ref != "" {
		return d
	}
	return def
}

func (c *content) dataRef(ref string) {
	if ref != "" && c.refs != nil {
		*c.refs = append(*c.refs, ref)
	}
}

func (p *parser) matches2(u *unit2) error {
	ids := map[string]bool{}
	return p.children(func(se xml.StartElement) error {
		if se.Name.Space != nsMtc || se.Name.Local != "match" {
			return p.errf("<%s> is not allowed in <mtc:matches>", se.Name.Local)
		}
		line := p.line()
		if err := p.checkID("mtc:match", attr(se, "id"), false, ids); err != nil {
			return err
		}
		if _, ok := attrOK(se, nsXML, "lang"); ok {
			return p.errf("<mtc:match> must not have xml:lang")
		}
		var m Match
		for _, a := range []struct {
			name string
			dst  *float64
		}{{"similarity", &m.Similarity}, {"matchQuality", &m.MatchQuality}, {"matchSuitability", nil}} {
			v, ok := attrOK(se, "", a.name)
			if !ok {
				continue
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || !(f >= 0 && f <= 100) {
				return p.errf("mtc:match %s %q is not a number from 0 to 100", a.name, v)
			}
			if a.dst != nil {
				*a.dst = f
			}
		}
		m.Type = attr(se, "type")
		switch m.Type {
		case "", MatchAssembled, MatchMT, MatchICE, MatchIdentical, MatchTermbase, MatchTM, MatchOther:
		default:
			return p.errf("mtc:match type %q is not one of am, mt, icm, idm, tb, tm, other", m.Type)
		}
		m.Origin = attr(se, "origin")
		m.Ref, _ = attrOK(se, nsTolk, "ref")
		ref, ok := attrOK(se, "", "ref")
		if !ok {
			return p.errf("<mtc:match> has no ref")
		}
		cs := &codes{}
		var src, trg *content
		err := p.children(func(se xml.StartElement) error {
			switch {
			case p.core(se, "source"):
				src = newContent(cs)
				return p.inline2(src, 0)
			case p.core(se, "target"):
				trg = newContent(cs)
				return p.inline2(trg, 0)
			}
			return p.skip()
		}, nil)
		if err != nil {
			return err
		}
		if src == nil || trg == nil {
			return p.errf("<mtc:match> needs a <source> and a <target>")
		}
		m.Source, m.Target, _ = renumber(src.b.String(), trg.b.String(), nil)
		u.matches = append(u.matches, pending[Match]{ref, line, m})
		return nil
	}, nil)
}

func (p *parser) glossary2(u *unit2) error {
	return p.children(func(se xml.StartElement) error {
		if se.Name.Space != nsGls || se.Name.Local != "glossEntry" {
			return p.errf("<%s> is not allowed in <gls:glossary>", se.Name.Local)
		}
		line := p.line()
		var t Term
		t.Status, _ = attrOK(se, nsTolk, "status")
		ref := attr(se, "ref")
		hasTerm, hasTrans, hasDef := false, false, false
		err := p.children(func(se xml.StartElement) error {
			if se.Name.Space != nsGls {
				return p.skip()
			}
			v, err := p.textOf()
			switch se.Name.Local {
			case "term":
				hasTerm, t.Source = true, v
			case "translation":
				if !hasTrans {
					t.Translation = v
				}
				hasTrans = true
			case "definition":
				hasDef, t.Definition = true, v
			}
			return err
		}, nil)
		if err != nil {
			return err
		}
		if !hasTerm {
			return p.errf("<gls:glossEntry> has no <gls:term>")
		}
		if !hasTrans && !hasDef {
			return p.errf("<gls:glossEntry> for %q has neither a <gls:translation> nor a <gls:definition>", t.Source)
		}
		u.terms = append(u.terms, pending[Term]{ref, line, t})
		return nil
	}, nil)
}

// attrSpace returns the element's own xml:space, or "".
func attrSpace(se xml.StartElement) string {
	v, _ := attrOK(se, nsXML, "space")
	return v
}

func spaceOf(c *content) string {
	if c == nil {
		return ""
	}
	return c.space
}

// pushSpace makes se's xml:space and translate, if it has them, the ones
// in scope, and returns the function that restores the previous ones.
func (p *parser) pushSpace(se xml.StartElement) func() {
	oldSpace, oldNo := p.space, p.noTranslate
	if v := attrSpace(se); v != "" {
		p.space = v
	}
	if v, ok := attrOK(se, "", "translate"); ok {
		p.noTranslate = v == "no"
	}
	return func() { p.space, p.noTranslate = oldSpace, oldNo }
}

// spaceOr returns own, or the xml:space in scope when own is "".
func (p *parser) spaceOr(own string) string {
	if own != "" {
		return own
	}
	if p.space != "" {
		return p.space
	}
	return "default"
}
