package xliff

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// attrKind is the value type of an XLIFF 2 core attribute.
type attrKind uint8

const (
	aText attrKind = iota
	aYesNo
	aYesNoFirstNo
	aDir
	aToken
	aLang
	aCodeType
	aUserDefined
	aPriority
	aAppliesTo
	aPositive
)

// coreAttrs lists, from xliff_core_2.0.xsd, the unprefixed attributes each
// core element allows and whether it allows attributes of other
// namespaces (modules, extensions). Read checks structural elements'
// attribute names and every known attribute's value; it does not reject
// unknown attribute names on inline elements, which tools add.
var coreAttrs = map[string]struct {
	attrs map[string]attrKind
	other bool
}{
	"xliff":        {map[string]attrKind{"version": aText, "srcLang": aLang, "trgLang": aLang}, true},
	"file":         {map[string]attrKind{"id": aToken, "canResegment": aYesNo, "original": aText, "translate": aYesNo, "srcDir": aDir, "trgDir": aDir}, true},
	"skeleton":     {map[string]attrKind{"href": aText}, false},
	"group":        {map[string]attrKind{"id": aToken, "name": aText, "canResegment": aYesNo, "translate": aYesNo, "srcDir": aDir, "trgDir": aDir, "type": aUserDefined}, true},
	"unit":         {map[string]attrKind{"id": aToken, "name": aText, "canResegment": aYesNo, "translate": aYesNo, "srcDir": aDir, "trgDir": aDir, "type": aUserDefined}, true},
	"segment":      {map[string]attrKind{"id": aToken, "canResegment": aYesNo, "state": aText, "subState": aText}, false},
	"ignorable":    {map[string]attrKind{"id": aToken}, false},
	"notes":        {map[string]attrKind{}, false},
	"note":         {map[string]attrKind{"id": aToken, "appliesTo": aAppliesTo, "category": aText, "priority": aPriority}, true},
	"originalData": {map[string]attrKind{}, false},
	"data":         {map[string]attrKind{"id": aToken, "dir": aDir}, false},
	"source":       {map[string]attrKind{}, false},
	"target":       {map[string]attrKind{"order": aPositive}, false},
	"ph":           {map[string]attrKind{"canCopy": aYesNo, "canDelete": aYesNo, "canReorder": aYesNoFirstNo, "copyOf": aToken, "disp": aText, "equiv": aText, "id": aToken, "dataRef": aToken, "subFlows": aText, "subType": aUserDefined, "type": aCodeType}, true},
	"pc":           {map[string]attrKind{"canCopy": aYesNo, "canDelete": aYesNo, "canOverlap": aYesNo, "canReorder": aYesNoFirstNo, "copyOf": aToken, "dispEnd": aText, "dispStart": aText, "equivEnd": aText, "equivStart": aText, "id": aToken, "dataRefEnd": aToken, "dataRefStart": aToken, "subFlowsEnd": aText, "subFlowsStart": aText, "subType": aUserDefined, "type": aCodeType, "dir": aDir}, true},
	"sc":           {map[string]attrKind{"canCopy": aYesNo, "canDelete": aYesNo, "canOverlap": aYesNo, "canReorder": aYesNoFirstNo, "copyOf": aToken, "dataRef": aToken, "dir": aDir, "disp": aText, "equiv": aText, "id": aToken, "isolated": aYesNo, "subFlows": aText, "subType": aUserDefined, "type": aCodeType}, true},
	"ec":           {map[string]attrKind{"canCopy": aYesNo, "canDelete": aYesNo, "canOverlap": aYesNo, "canReorder": aYesNoFirstNo, "copyOf": aToken, "dataRef": aToken, "dir": aDir, "disp": aText, "equiv": aText, "id": aToken, "isolated": aYesNo, "startRef": aToken, "subFlows": aText, "subType": aUserDefined, "type": aCodeType}, true},
	"mrk":          {map[string]attrKind{"id": aToken, "translate": aYesNo, "type": aText, "ref": aText, "value": aText}, true},
	"sm":           {map[string]attrKind{"id": aToken, "translate": aYesNo, "type": aText, "ref": aText, "value": aText}, true},
	"em":           {map[string]attrKind{"startRef": aToken}, false},
	"cp":           {map[string]attrKind{"hex": aText}, false},
}

// inlineElems are the core elements whose unknown attribute names Read
// lets through.
var inlineElems = map[string]bool{"ph": true, "pc": true, "sc": true, "ec": true, "mrk": true, "sm": true, "em": true, "cp": true}

// checkAttrs checks the attributes of a 2.x core element against the
// core schema.
func (p *parser) checkAttrs(se xml.StartElement) error {
	elem := se.Name.Local
	spec, ok := coreAttrs[elem]
	if !ok {
		return nil
	}
	hasType := false
	for _, a := range se.Attr {
		if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
			continue
		}
		if a.Name.Space != "" {
			if a.Name.Space == nsXML {
				if a.Name.Local == "space" && a.Value != "default" && a.Value != "preserve" {
					return p.errf("<%s> xml:space %q is neither default nor preserve", elem, a.Value)
				}
				if a.Name.Local == "lang" && !isLangTag(a.Value) {
					return p.errf("<%s> xml:lang %q is not a well-formed language tag", elem, a.Value)
				}
				if a.Name.Local == "lang" || a.Name.Local == "space" {
					continue
				}
			}
			if !spec.other && !inlineElems[elem] {
				return p.errf("<%s> does not allow the attribute %s:%s", elem, a.Name.Space, a.Name.Local)
			}
			continue
		}
		kind, known := spec.attrs[a.Name.Local]
		if !known {
			if inlineElems[elem] {
				continue
			}
			return p.errf("<%s> has no attribute %q in XLIFF 2", elem, a.Name.Local)
		}
		if a.Name.Local == "type" {
			hasType = true
		}
		if msg := badValue(kind, a.Value); msg != "" {
			return p.errf("<%s %s=%q>: %s", elem, a.Name.Local, a.Value, msg)
		}
	}
	if _, ok := attrOK(se, "", "subType"); ok && !hasType {
		return p.errf("<%s> has a subType but no type", elem)
	}
	return nil
}

// badValue returns why v is not a value of kind, or "".
func badValue(kind attrKind, v string) string {
	switch kind {
	case aYesNo:
		if v != "yes" && v != "no" {
			return "the value must be yes or no"
		}
	case aYesNoFirstNo:
		if v != "yes" && v != "no" && v != "firstNo" {
			return "the value must be yes, no or firstNo"
		}
	case aDir:
		if v != "ltr" && v != "rtl" && v != "auto" {
			return "the value must be ltr, rtl or auto"
		}
	case aLang:
		if !isLangTag(v) {
			return "not a well-formed language tag"
		}
	case aCodeType:
		switch v {
		case "fmt", "ui", "quote", "link", "image", "other":
		default:
			return "the value must be one of fmt, ui, quote, link, image, other"
		}
	case aUserDefined:
		if i := strings.IndexByte(v, ':'); i <= 0 || i == len(v)-1 {
			return "the value must be prefix:value"
		}
	case aPriority:
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 10 {
			return "the value must be an integer from 1 to 10"
		}
	case aAppliesTo:
		if v != "source" && v != "target" {
			return "the value must be source or target"
		}
	case aPositive:
		if n, err := strconv.Atoi(v); err != nil || n < 1 {
			return "the value must be a positive integer"
		}
	}
	return ""
}
