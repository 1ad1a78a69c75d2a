package segment

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/tolkdev/tolk"
)

// SRX is a parsed SRX 2.0 (or 1.0) document: named language rules and the
// map rules that pick them by language code. Call Segmenter to compile the
// rules for one language. An SRX is not modified by Segmenter and may be
// shared. Segmentation is of plain text, so <formathandle>,
// segmentsubflows and vendor extensions (okpsrx:options) are ignored;
// white space between segments is always left outside them.
type SRX struct {
	// Cascade is the header's cascade attribute: when true, a language uses
	// the rules of every map rule whose pattern matches it, in map order;
	// when false only the first matching map rule's.
	Cascade bool
	// LanguageRules holds the <languagerule> elements in document order.
	LanguageRules []LanguageRule
	// Maps holds the <languagemap> elements in document order.
	Maps []LanguageMap
}

// LanguageRule is a named, ordered list of break and no-break rules.
type LanguageRule struct {
	Name  string
	Rules []Rule
}

// Rule is one SRX rule: at a position where Before matches the text ending
// there and After matches the text starting there, Break says whether to
// break. Patterns are Java regular expressions as written in the file.
type Rule struct {
	Break         bool
	Before, After string
	Line          int // line of the <rule> element in the file, for messages
}

// LanguageMap maps language codes that match Pattern (a Java regular
// expression matched against the whole code) to the LanguageRule named
// RuleName.
type LanguageMap struct {
	Pattern  string
	RuleName string
	Line     int
}

// maxSRXSize bounds the document ParseSRX reads (the largest real SRX files
// are well under 1 MiB).
const maxSRXSize = 64 << 20

// ParseSRX reads an SRX 2.0 document (SRX 1.0 map rules are accepted too)
// and checks every rule's patterns compile. Errors are *tolk.Error with code
// EINVALID that name the line of the offending element, or of the XML
// syntax error.
func ParseSRX(r io.Reader) (*SRX, error) {
	lr := &io.LimitedReader{R: r, N: maxSRXSize + 1}
	br := bufio.NewReader(lr)
	if b, err := br.Peek(3); err == nil && string(b) == "\xEF\xBB\xBF" {
		br.Discard(3) // UTF-8 byte order mark
	}
	dec := xml.NewDecoder(br)
	dec.Strict = true
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		l := strings.ToLower(label)
		if l == "utf-8" || l == "utf8" || l == "us-ascii" || l == "ascii" {
			return in, nil
		}
		return nil, fmt.Errorf("encoding %q is not supported: save the SRX file as UTF-8", label)
	}
	x := &SRX{}
	var (
		stack   []string
		text    strings.Builder
		rule    *Rule
		sawRoot bool
	)
	line := func() int { l, _ := dec.InputPos(); return l }
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if lr.N <= 0 {
				return nil, tolk.Invalidf("srx", "SRX file is larger than %d MiB", maxSRXSize>>20)
			}
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, tolk.Invalidf("srx", "SRX file is not well-formed XML: line %d: %s", se.Line, se.Msg)
			}
			return nil, tolk.Invalidf("srx", "reading SRX file at line %d: %v", line(), err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if len(stack) == 0 {
				if name != "srx" {
					return nil, tolk.Invalidf("srx", "line %d: root element is <%s>, want <srx>: this is not an SRX file", line(), name)
				}
				sawRoot = true
			}
			stack = append(stack, name)
			switch name {
			case "header":
				x.Cascade = attr(t, "cascade") == "yes"
			case "languagerule":
				n := attr(t, "languagerulename")
				if n == "" {
					return nil, tolk.Invalidf("srx", "line %d: <languagerule> has no languagerulename", line())
				}
				x.LanguageRules = append(x.LanguageRules, LanguageRule{Name: n})
			case "rule":
				if len(x.LanguageRules) == 0 || parent(stack) != "languagerule" {
					return nil, tolk.Invalidf("srx", "line %d: <rule> outside a <languagerule>", line())
				}
				b := attr(t, "break")
				rule = &Rule{Break: b != "no", Line: line()}
			case "beforebreak", "afterbreak":
				text.Reset()
			case "languagemap":
				x.Maps = append(x.Maps, LanguageMap{
					Pattern:  attr(t, "languagepattern"),
					RuleName: attr(t, "languagerulename"),
					Line:     line(),
				})
			}
		case xml.CharData:
			if len(stack) == 0 && len(strings.TrimSpace(string(t))) > 0 {
				return nil, tolk.Invalidf("srx", "line %d: text outside the root element: this is not an SRX file (not XML)", line())
			}
			if n := len(stack); n > 0 && (stack[n-1] == "beforebreak" || stack[n-1] == "afterbreak") {
				text.Write(t)
			}
		case xml.EndElement:
			name := t.Name.Local
			switch name {
			case "beforebreak":
				if rule != nil {
					rule.Before = text.String()
				}
			case "afterbreak":
				if rule != nil {
					rule.After = text.String()
				}
			case "rule":
				lrl := &x.LanguageRules[len(x.LanguageRules)-1]
				lrl.Rules = append(lrl.Rules, *rule)
				rule = nil
			}
			stack = stack[:len(stack)-1]
		}
	}
	if !sawRoot {
		return nil, tolk.Invalidf("srx", "SRX file is empty: it has no <srx> element")
	}
	names := make(map[string]bool, len(x.LanguageRules))
	for _, l := range x.LanguageRules {
		if names[l.Name] {
			return nil, tolk.Invalidf("srx", "two language rules are named %q", l.Name)
		}
		names[l.Name] = true
		for _, r := range l.Rules {
			for _, p := range []struct{ which, pat string }{{"beforebreak", r.Before}, {"afterbreak", r.After}} {
				if _, err := compilePattern(p.pat); err != nil {
					return nil, tolk.Invalidf("srx", "line %d: language rule %q: %s %q does not compile: %v", r.Line, l.Name, p.which, p.pat, err)
				}
			}
		}
	}
	for _, m := range x.Maps {
		if !names[m.RuleName] {
			return nil, tolk.Invalidf("srx", "line %d: language map names rule %q, which the file does not define", m.Line, m.RuleName)
		}
		if _, err := langPattern(m.Pattern); err != nil {
			return nil, tolk.Invalidf("srx", "line %d: languagepattern %q does not compile: %v", m.Line, m.Pattern, err)
		}
	}
	return x, nil
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func parent(stack []string) string {
	if len(stack) < 2 {
		return ""
	}
	return stack[len(stack)-2]
}

// langPattern compiles a languagepattern for a whole-string,
// case-insensitive match (files differ in the case they expect: "NL.*",
// "[Nn][Ll].*", "(NL|nl).*").
func langPattern(p string) (*regexp.Regexp, error) {
	g, ok := javaToGo(p)
	if !ok {
		return nil, fmt.Errorf("unsupported construct")
	}
	return regexp.Compile(`(?i)\A(?:` + g + `)\z`)
}

// Segmenter compiles the rules that apply to lang (a language code such as
// "nl", "nl-BE", "NL_NL"): the rules of every map rule whose pattern matches
// lang, in map order, when the header says cascade="yes", else the first
// one's. It returns a *tolk.Error with code ENOTFOUND if no map rule
// matches lang.
func (x *SRX) Segmenter(lang string) (*Segmenter, error) {
	byName := make(map[string]*LanguageRule, len(x.LanguageRules))
	for i := range x.LanguageRules {
		byName[x.LanguageRules[i].Name] = &x.LanguageRules[i]
	}
	var rules []Rule
	found := false
	for _, m := range x.Maps {
		re, err := langPattern(m.Pattern)
		if err != nil {
			return nil, tolk.Invalidf("srx", "line %d: languagepattern %q does not compile: %v", m.Line, m.Pattern, err)
		}
		if !re.MatchString(lang) {
			continue
		}
		l := byName[m.RuleName]
		if l == nil {
			return nil, tolk.Invalidf("srx", "line %d: language map names rule %q, which the file does not define", m.Line, m.RuleName)
		}
		rules = append(rules, l.Rules...)
		found = true
		if !x.Cascade {
			break
		}
	}
	if !found {
		return nil, tolk.Errorf(tolk.ENOTFOUND, "no language map in the SRX file matches language %q", lang)
	}
	return compileRules(rules)
}
