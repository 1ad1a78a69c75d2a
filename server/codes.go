package server

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/tolkdev/tolk/memory"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// codesToProto converts a memory's inline codes (TMX elements holding
// escaped native code) to the wire's: kind, id and the native code as
// plain text.
func codesToProto(cs []memory.Code) []*tolkv1.InlineCode {
	if len(cs) == 0 {
		return nil
	}
	out := make([]*tolkv1.InlineCode, len(cs))
	for i, c := range cs {
		id := c.X
		if c.Kind == "bpt" || c.Kind == "ept" {
			id = c.I
		}
		out[i] = &tolkv1.InlineCode{Kind: codeKindToProto(c), Id: id, Data: codeText(c.Content)}
	}
	return out
}

// codeKindToProto says which part of the markup a TMX code is: <ph> and
// <ut> stand alone, <bpt> opens and <ept> closes a pair, an isolated <it>
// or a <hi> span's half opens or closes by its pos. An unknown element is
// UNSPECIFIED.
func codeKindToProto(c memory.Code) tolkv1.InlineCode_Kind {
	switch c.Kind {
	case "ph", "ut":
		return tolkv1.InlineCode_KIND_STANDALONE
	case "bpt":
		return tolkv1.InlineCode_KIND_OPEN
	case "ept":
		return tolkv1.InlineCode_KIND_CLOSE
	case "it", "hi":
		if c.Pos == "end" {
			return tolkv1.InlineCode_KIND_CLOSE
		}
		return tolkv1.InlineCode_KIND_OPEN
	}
	return tolkv1.InlineCode_KIND_UNSPECIFIED
}

// codeKindFromProto returns the TMX element a code of kind k is stored as.
func codeKindFromProto(field string, k tolkv1.InlineCode_Kind) (string, error) {
	switch k {
	case tolkv1.InlineCode_KIND_UNSPECIFIED, tolkv1.InlineCode_KIND_STANDALONE:
		return "ph", nil
	case tolkv1.InlineCode_KIND_OPEN:
		return "bpt", nil
	case tolkv1.InlineCode_KIND_CLOSE:
		return "ept", nil
	}
	return "", unknownEnum(field, k)
}

// codesFromProto converts the wire's inline codes, given in the named
// request field, to a memory's: a standalone code is a TMX <ph>, the halves
// of a pair <bpt> and <ept> sharing their id as i, each holding the data
// escaped as native code.
func codesFromProto(field string, ps []*tolkv1.InlineCode) ([]memory.Code, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	out := make([]memory.Code, len(ps))
	for i, p := range ps {
		var b strings.Builder
		xml.EscapeText(&b, []byte(p.GetData()))
		kind, err := codeKindFromProto(fmt.Sprintf("%s[%d].kind", field, i), p.GetKind())
		if err != nil {
			return nil, err
		}
		c := memory.Code{Kind: kind, Content: b.String()}
		if kind == "ph" {
			c.X = p.GetId()
		} else {
			c.I = p.GetId()
		}
		out[i] = c
	}
	return out, nil
}

// codeText returns the text of a code's TMX content: the native code
// unescaped, <sub> elements' text included.
func codeText(content string) string {
	if !strings.ContainsAny(content, "&<") {
		return content
	}
	d := xml.NewDecoder(strings.NewReader("<c>" + content + "</c>"))
	var b strings.Builder
	for {
		t, err := d.Token()
		if err != nil {
			return b.String()
		}
		if cd, ok := t.(xml.CharData); ok {
			b.Write(cd)
		}
	}
}
