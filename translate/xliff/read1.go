package xliff

import (
	"cmp"
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/tolkdev/tolk/segment"
)

const nsMQ = "MQXliff"

func (p *parser) document1() error {
	return p.children(func(se xml.StartElement) error {
		if p.core(se, "file") {
			return p.file1(se)
		}
		return p.skip()
	}, nil)
}

func (p *parser) file1(se xml.StartElement) error {
	if p.doc.SrcLang == "" {
		p.doc.SrcLang = attr(se, "source-language")
	}
	if p.doc.TrgLang == "" {
		p.doc.TrgLang = attr(se, "target-language")
	}
	f := File{Original: attr(se, "original")}
	err := p.children(func(se xml.StartElement) error {
		if p.core(se, "body") {
			return p.body1(&f, 0)
		}
		return p.skip()
	}, nil)
	if err != nil {
		return err
	}
	p.doc.Files = append(p.doc.Files, f)
	return nil
}

// body1 reads the trans-units of a <body> or <group>.
func (p *parser) body1(f *File, depth int) error {
	if depth > maxDepth {
		return p.errf("groups nest more than %d deep", maxDepth)
	}
	return p.children(func(se xml.StartElement) error {
		switch {
		case p.core(se, "group"):
			return p.body1(f, depth+1)
		case p.core(se, "trans-unit"):
			return p.transUnit1(se, f)
		}
		return p.skip()
	}, nil)
}

func (p *parser) transUnit1(se xml.StartElement, f *File) error {
	id := attr(se, "id")
	p.unitID = id
	defer func() { p.unitID = "" }()
	var (
		cs                codes
		src, segSrc, trg  *content
		trgState, trgQual string
		alts              []altTrans
		notes             []string
		sdlConf           = map[string]string{}
	)
	mqStatus, _ := attrOK(se, nsMQ, "status")
	err := p.children(func(se xml.StartElement) error {
		switch {
		case p.core(se, "source"):
			if src != nil {
				return p.errf("<trans-unit> has two <source> elements")
			}
			src = newContent(&cs)
			return p.inline1(src, 0)
		case p.core(se, "seg-source"):
			segSrc = newContent(&cs)
			segSrc.split = true
			return p.inline1(segSrc, 0)
		case p.core(se, "target"):
			if trg != nil {
				return p.errf("<trans-unit> has two <target> elements")
			}
			trgState, trgQual = attr(se, "state"), attr(se, "state-qualifier")
			trg = newContent(&cs)
			// A target is cut into segments only when the seg-source
			// (which comes before it) is.
			trg.split = segSrc != nil
			return p.inline1(trg, 0)
		case p.core(se, "alt-trans"):
			a, err := p.altTrans1(se)
			alts = append(alts, a)
			return err
		case p.core(se, "note") && attr(se, "from") == noteFromGlossary:
			return p.skip()
		case p.core(se, "note"):
			t, err := p.textOf()
			notes = append(notes, t)
			return err
		case se.Name.Space == nsSDL && se.Name.Local == "seg-defs":
			return p.children(func(se xml.StartElement) error {
				if se.Name.Local == "seg" {
					sdlConf[attr(se, "id")] = attr(se, "conf")
				}
				return p.skip()
			}, nil)
		}
		return p.skip()
	}, nil)
	if err != nil {
		return err
	}
	if src == nil {
		return p.errf("<trans-unit> has no <source>")
	}
	if attr(se, "translate") == "no" {
		return nil
	}
	unitState := state1(trgState)
	if unitState == "" && attr(se, "approved") == "yes" {
		unitState = StateFinal
	}
	var segs []Segment
	if segSrc != nil && len(segSrc.parts) > 0 && (trg == nil || len(trg.parts) > 0 || len(segSrc.parts) == 1) {
		byMid := map[string]string{}
		if trg != nil {
			for _, pt := range trg.parts {
				byMid[pt.id] = trg.text(pt)
			}
			if len(trg.parts) == 0 {
				byMid[segSrc.parts[0].id] = trg.b.String()
			}
		}
		for _, pt := range segSrc.parts {
			segs = append(segs, Segment{ID: pt.id, Source: segSrc.text(pt), Target: byMid[pt.id]})
		}
	} else {
		// No segmentation, or a target segmented differently from its
		// source: the whole unit is one segment.
		s := Segment{ID: id, Source: src.b.String()}
		if trg != nil {
			s.Target = trg.b.String()
		}
		segs = append(segs, s)
	}
	for i := range segs {
		s := &segs[i]
		s.Source, s.Target, s.Codes = renumber(s.Source, s.Target, cs.list)
		s.State, s.StateQualifier = unitState, trgQual
		for _, a := range alts {
			if a.mid == s.ID || (a.mid == "" && len(segs) == 1) {
				s.Matches = append(s.Matches, a.m)
			}
		}
		if s.State == "" {
			s.State = stateSDL(sdlConf[s.ID])
		}
		if s.State == "" {
			s.State = stateMQ(mqStatus)
		}
		if s.State == "" {
			s.State = StateInitial
			if s.Target != "" {
				s.State = StateTranslated
			}
		}
	}
	f.Units = append(f.Units, Unit{ID: id, Segments: segs, Notes: notes})
	return nil
}

// altTrans is an <alt-trans> of a trans-unit and the mid of the segment it
// is for ("" for the whole unit).
type altTrans struct {
	m   Match
	mid string
}

// altTrans1 reads the <alt-trans> se just opened to its end: its first
// source and target as text with their own codes, its match-quality as the
// similarity when it is a number (with or without "%"), its origin and its
// tool-id.
func (p *parser) altTrans1(se xml.StartElement) (altTrans, error) {
	a := altTrans{mid: attr(se, "mid"), m: Match{Origin: attr(se, "origin"), Tool: attr(se, "tool-id")}}
	q := strings.TrimSuffix(strings.TrimSpace(attr(se, "match-quality")), "%")
	if f, err := strconv.ParseFloat(q, 64); err == nil && f >= 0 && f <= 100 {
		a.m.Similarity = f
	}
	var cs codes
	var src, trg *content
	err := p.children(func(se xml.StartElement) error {
		switch {
		case p.core(se, "source") && src == nil:
			src = newContent(&cs)
			return p.inline1(src, 0)
		case p.core(se, "target") && trg == nil:
			trg = newContent(&cs)
			return p.inline1(trg, 0)
		}
		return p.skip()
	}, nil)
	if src != nil {
		a.m.Source = src.b.String()
	}
	if trg != nil {
		a.m.Target = trg.b.String()
	}
	return a, err
}

// inline1 reads XLIFF 1.x inline content into c up to the end of the
// element just opened. Codes become placeholders (a <g> two, around its
// text), <mrk> keeps its text, <sub> and unknown elements are dropped.
func (p *parser) inline1(c *content, depth int) error {
	if depth > maxDepth {
		return p.errf("inline elements nest more than %d deep", maxDepth)
	}
	return p.children(func(se xml.StartElement) error {
		if !p.isCoreNS(se.Name.Space) {
			return p.skip()
		}
		id := attr(se, "id")
		switch kind := se.Name.Local; kind {
		case "g":
			if !c.code(codeKey("g", id, ":open"), Code{Kind: CodeOpen, ID: id, Data: element(se, false)}) {
				return p.errf("more than %d inline codes", maxCodes)
			}
			if err := p.inline1(c, depth+1); err != nil {
				return err
			}
			if !c.code(codeKey("g", id, ":close"), Code{Kind: CodeClose, ID: id, Data: "</g>"}) {
				return p.errf("more than %d inline codes", maxCodes)
			}
			return nil
		case "mrk":
			if c.split && attr(se, "mtype") == "seg" {
				start := c.b.Len()
				c.split = false // segments do not nest
				err := p.inline1(c, depth+1)
				c.split = true
				c.parts = append(c.parts, part{attr(se, "mid"), start, c.b.Len()})
				return err
			}
			start := c.b.Len()
			if err := p.inline1(c, depth+1); err != nil {
				return err
			}
			if mid := attr(se, "mid"); mid != "" {
				c.marks[mid] = [2]int{start, c.b.Len()}
			}
			return nil
		case "x", "bx", "ex", "ph", "bpt", "ept", "it":
			cd, err := p.code1(se)
			if err != nil {
				return err
			}
			pos := ""
			if kind == "it" {
				pos = ":" + attr(se, "pos")
			}
			if !c.code(codeKey(kind, id, pos), cd) {
				return p.errf("more than %d inline codes", maxCodes)
			}
			return nil
		}
		return p.skip()
	}, func(cd xml.CharData) { segment.ReplaceReserved(&c.b, cd) })
}

// codeKey is the key that numbers a code of a unit: the element, its id
// and what tells the halves of a code apart; "" (a code of its own) when
// the element has no id.
func codeKey(elem, id, half string) string {
	if id == "" {
		return ""
	}
	return elem + ":" + id + half
}

// code1 reads the XLIFF 1.x code element se just opened (x, bx, ex, ph,
// bpt, ept, it) to its end and returns what it stands for: the native code
// it holds, or for the empty ones the element itself.
func (p *parser) code1(se xml.StartElement) (Code, error) {
	cd := Code{ID: cmp.Or(attr(se, "rid"), attr(se, "id"))}
	switch se.Name.Local {
	case "bx", "bpt":
		cd.Kind = CodeOpen
	case "ex", "ept":
		cd.Kind = CodeClose
	case "it":
		if attr(se, "pos") == "close" {
			cd.Kind = CodeClose
		} else {
			cd.Kind = CodeOpen
		}
	}
	switch se.Name.Local {
	case "x", "bx", "ex":
		cd.Data = element(se, true)
		return cd, p.skip()
	}
	native, err := p.textOf()
	cd.Data = native
	if native == "" {
		cd.Data = element(se, true)
	}
	return cd, err
}

// state1 maps an XLIFF 1.2 target state onto a 2.x state; "" when the
// state says nothing (absent or a custom x- value).
func state1(s string) string {
	switch s {
	case "new", "needs-translation", "needs-l10n", "needs-adaptation":
		return StateInitial
	case "translated", "needs-review-translation", "needs-review-l10n", "needs-review-adaptation":
		return StateTranslated
	case "signed-off":
		return StateReviewed
	case "final":
		return StateFinal
	}
	return ""
}

// stateSDL maps a Trados Studio confirmation level (sdl:seg conf).
func stateSDL(conf string) string {
	switch conf {
	case "Draft", "RejectedTranslation", "RejectedSignOff":
		return StateInitial
	case "Translated":
		return StateTranslated
	case "ApprovedTranslation":
		return StateReviewed
	case "ApprovedSignOff":
		return StateFinal
	}
	return ""
}

// stateMQ maps a memoQ segment status (mq:status).
func stateMQ(status string) string {
	switch status {
	case "NotStarted", "Editing", "PartiallyEdited", "Pretranslated", "MachineTranslated", "Rejected":
		return StateInitial
	case "ManuallyConfirmed", "Confirmed":
		return StateTranslated
	case "Reviewer1Confirmed", "Proofread":
		return StateReviewed
	case "Reviewer2Confirmed":
		return StateFinal
	}
	return ""
}
