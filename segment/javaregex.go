package segment

import (
	"fmt"
	"strings"
)

// SRX files are written for java.util.regex. This file rewrites a Java
// pattern for one of the two engines the segmenter uses: Go's regexp (RE2,
// preferred: linear time, fast) and github.com/dlclark/regexp2 (a
// backtracking .NET-style engine, for look-behind, possessive quantifiers,
// atomic groups and back-references).

// javaPOSIX maps the Java \p{…} classes that neither engine knows to class
// contents (usable inside brackets).
var javaPOSIX = map[string]string{
	"Lower":          `a-z`,
	"Upper":          `A-Z`,
	"ASCII":          `\x00-\x7F`,
	"Alpha":          `a-zA-Z`,
	"Digit":          `0-9`,
	"Alnum":          `a-zA-Z0-9`,
	"Punct":          "!-/:-@\\[-`{-~",
	"Graph":          "!-~",
	"Print":          " -~",
	"Blank":          ` \t`,
	"Cntrl":          `\x00-\x1F\x7F`,
	"XDigit":         `0-9a-fA-F`,
	"Space":          ` \t\n\x0B\f\r`,
	"javaLowerCase":  `\p{Ll}`,
	"javaUpperCase":  `\p{Lu}`,
	"javaWhitespace": `\t-\r\x1C-\x1F \x{1680}\x{2000}-\x{2006}\x{2008}-\x{200A}\x{2028}\x{2029}\x{205F}\x{3000}`,
	"javaLetter":     `\p{L}`,
	"IsAlphabetic":   `\p{L}\p{Nl}`,
	"IsLetter":       `\p{L}`,
	"IsDigit":        `\p{Nd}`,
	"IsUppercase":    `\p{Lu}`,
	"IsLowercase":    `\p{Ll}`,
	"IsWhite_Space":  `\t-\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}`,
	"IsPunctuation":  `\p{P}`,
	"IsLatin":        `\p{Latin}`,
	"L&":             `\p{Lu}\p{Ll}\p{Lt}`,
}

// Java's \h and \v (Java 8 and later).
const (
	javaH = ` \t\x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}`
	javaV = `\n\x0B\f\r\x{85}\x{2028}\x{2029}`
)

// javaToGo rewrites a Java pattern for Go's regexp. ok is false when the
// pattern uses something the rewrite does not translate (class
// intersection, flags Go lacks); the caller then tries Go's parser anyway
// and falls back to regexp2.
func javaToGo(p string) (string, bool) {
	var b strings.Builder
	inClass := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p) && p[i+1] >= 0x80:
			// Java treats a backslash before a non-ASCII character as
			// quoting it; Go rejects it.
		case c == '\\' && i+1 < len(p):
			n := p[i+1]
			switch n {
			case 'u':
				if i+6 <= len(p) && isHex(p[i+2:i+6]) {
					b.WriteString(`\x{` + p[i+2:i+6] + `}`)
					i += 5
					continue
				}
				return "", false
			case 'p', 'P':
				name, end, ok := propName(p, i+2)
				if ok {
					if cls, found := javaPOSIX[name]; found {
						if n == 'P' && inClass > 0 {
							return "", false
						}
						writeClass(&b, cls, n == 'P', inClass > 0)
						i = end
						continue
					}
					if len(name) > 2 && (strings.HasPrefix(name, "In") || strings.HasPrefix(name, "Is")) {
						// Unicode blocks and Is-properties: Go knows scripts
						// and categories by their bare names.
						b.WriteString(`\` + string(n) + `{` + name[2:] + `}`)
						i = end
						continue
					}
				}
			case 'h':
				writeClass(&b, javaH, false, inClass > 0)
				i++
				continue
			case 'H':
				if inClass > 0 {
					return "", false
				}
				writeClass(&b, javaH, true, false)
				i++
				continue
			case 'v':
				writeClass(&b, javaV, false, inClass > 0)
				i++
				continue
			case 'Z':
				b.WriteString(`\z`)
				i++
				continue
			case 'R', 'X', 'G', 'k', 'e', 'c':
				return "", false
			case 'Q':
				end := strings.Index(p[i+2:], `\E`)
				lit := p[i+2:]
				if end >= 0 {
					lit = p[i+2 : i+2+end]
					i = i + 2 + end + 1
				} else {
					i = len(p)
				}
				for _, r := range lit {
					if strings.ContainsRune(`\.+*?()|[]{}^$-&`, r) {
						b.WriteByte('\\')
					}
					b.WriteRune(r)
				}
				continue
			}
			b.WriteByte(c)
			b.WriteByte(n)
			i++
		case c == '[':
			if inClass > 0 {
				// Java's nested class union [a[bc]]: Go has none.
				return "", false
			}
			inClass++
			b.WriteByte(c)
			// A ']' right after '[' or '[^' is literal in Java and Go.
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				b.WriteString(`\]`)
				i++
			}
		case c == ']' && inClass > 0:
			inClass--
			b.WriteByte(c)
		case c == '&' && inClass > 0 && i+1 < len(p) && p[i+1] == '&':
			return "", false
		case c == '(' && inClass == 0 && i+2 < len(p) && p[i+1] == '?':
			// Inline flags: drop Java-only u, U, d, c; Go lacks x.
			j := i + 2
			for j < len(p) && strings.IndexByte("imsxuUdc-", p[j]) >= 0 {
				j++
			}
			if j < len(p) && (p[j] == ')' || p[j] == ':') && j > i+2 {
				var fl strings.Builder
				for _, f := range p[i+2 : j] {
					switch f {
					case 'x':
						return "", false
					case 'u', 'U', 'd', 'c':
					default:
						fl.WriteRune(f)
					}
				}
				s := strings.TrimSuffix(fl.String(), "-")
				if s == "" || s == "-" {
					if p[j] == ')' {
						i = j
						continue
					}
					b.WriteString("(?:")
				} else {
					b.WriteString("(?" + s + string(p[j]))
				}
				i = j
				continue
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// javaToRegexp2 rewrites a Java pattern for regexp2 (.NET syntax): class
// intersection with a negated class becomes class subtraction, other
// intersections a look-ahead; the POSIX and java* classes are expanded.
func javaToRegexp2(p string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p) && p[i+1] >= 0x80:
		case c == '\\' && i+1 < len(p):
			n := p[i+1]
			switch n {
			case 'p', 'P':
				name, end, ok := propName(p, i+2)
				if cls, found := javaPOSIX[name]; ok && found {
					writeClass(&b, cls, n == 'P', false)
					i = end
					continue
				}
			case 'h':
				writeClass(&b, javaH, false, false)
				i++
				continue
			case 'v':
				writeClass(&b, javaV, false, false)
				i++
				continue
			case 'Q':
				end := strings.Index(p[i+2:], `\E`)
				if end < 0 {
					b.WriteString(p[i:])
					i = len(p)
					continue
				}
				b.WriteString(p[i : i+2+end+2])
				i += 2 + end + 1
				continue
			}
			b.WriteByte(c)
			b.WriteByte(n)
			i++
		case c == '[':
			end, cls, err := javaClassToNET(p, i)
			if err != nil {
				return "", err
			}
			b.WriteString(cls)
			i = end - 1
		case c == '(' && i+2 < len(p) && p[i+1] == '?':
			j := i + 2
			for j < len(p) && strings.IndexByte("imsxuUdc-", p[j]) >= 0 {
				j++
			}
			if j < len(p) && (p[j] == ')' || p[j] == ':') && j > i+2 {
				var fl strings.Builder
				for _, f := range p[i+2 : j] {
					if f != 'u' && f != 'U' && f != 'd' && f != 'c' {
						fl.WriteRune(f)
					}
				}
				s := strings.TrimSuffix(fl.String(), "-")
				if s == "" || s == "-" {
					if p[j] == ')' {
						i = j
						continue
					}
					b.WriteString("(?:")
				} else {
					b.WriteString("(?" + s + string(p[j]))
				}
				i = j
				continue
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// javaClassToNET translates the Java character class starting at p[i]
// (a '[') and returns the index after it and its .NET form.
func javaClassToNET(p string, i int) (int, string, error) {
	j := i + 1
	neg := false
	if j < len(p) && p[j] == '^' {
		neg = true
		j++
	}
	var ops []classOperand // operands of &&
	var cur classOperand
	var plain strings.Builder
	first := true
	for j < len(p) {
		c := p[j]
		switch {
		case c == ']' && !first:
			cur.plain = plain.String()
			ops = append(ops, cur)
			return j + 1, buildNETClass(neg, ops), nil
		case c == '\\' && j+1 < len(p) && p[j+1] >= 0x80:
			j++
			continue
		case c == '\\' && j+1 < len(p):
			n := p[j+1]
			if n == 'p' || n == 'P' {
				name, end, ok := propName(p, j+2)
				if cls, found := javaPOSIX[name]; ok && found {
					if n == 'P' {
						return 0, "", fmt.Errorf("negated POSIX class \\P{%s} inside a class is not supported", name)
					}
					plain.WriteString(cls)
					j = end + 1
					first = false
					continue
				}
			}
			if n == 'h' {
				plain.WriteString(javaH)
				j += 2
				first = false
				continue
			}
			plain.WriteByte(c)
			plain.WriteByte(n)
			j += 2
		case c == '&' && j+1 < len(p) && p[j+1] == '&':
			cur.plain = plain.String()
			ops = append(ops, cur)
			cur = classOperand{}
			plain.Reset()
			j += 2
		case c == '[':
			end, inner, err := javaClassToNET(p, j)
			if err != nil {
				return 0, "", err
			}
			cur.nested = append(cur.nested, inner)
			j = end
		default:
			plain.WriteByte(c)
			j++
		}
		first = false
	}
	return 0, "", fmt.Errorf("character class at offset %d is not closed", i)
}

// classOperand is one operand of a Java class intersection: its own
// characters (class syntax) and the nested classes it unites with them
// (already in .NET syntax).
type classOperand struct {
	plain  string
	nested []string
}

// expr returns an expression matching one character of the operand.
func (o classOperand) expr() string {
	var alts []string
	if o.plain != "" {
		alts = append(alts, "["+o.plain+"]")
	}
	alts = append(alts, o.nested...)
	switch len(alts) {
	case 0:
		return `[^\s\S]` // matches nothing
	case 1:
		return alts[0]
	}
	return "(?:" + strings.Join(alts, "|") + ")"
}

// simpleNegated reports whether a translated class is a plain "[^…]" and
// returns its contents.
func simpleNegated(cls string) (string, bool) {
	if !strings.HasPrefix(cls, "[^") || !strings.HasSuffix(cls, "]") || strings.Contains(cls, "(?") || strings.Contains(cls, "-[") {
		return "", false
	}
	inner := cls[2 : len(cls)-1]
	if inner == "" {
		return "", false
	}
	return inner, true
}

// buildNETClass combines the && operands of a Java class: [X&&[^Y]]
// becomes the .NET subtraction [X-[Y]], other intersections look-aheads,
// Java's nested unions [a[bc]] alternations.
func buildNETClass(neg bool, ops []classOperand) string {
	not := func(e string) string { return "(?:(?!" + e + ")[\\s\\S])" }
	if len(ops) == 1 {
		o := ops[0]
		if len(o.nested) == 0 && o.plain != "" {
			if neg {
				return "[^" + o.plain + "]"
			}
			return "[" + o.plain + "]"
		}
		if neg {
			return not(o.expr())
		}
		return o.expr()
	}
	base := ops[0]
	if !neg && len(base.nested) == 0 && base.plain != "" {
		var sub strings.Builder
		ok := true
		for _, op := range ops[1:] {
			inner, simple := "", false
			if op.plain == "" && len(op.nested) == 1 {
				inner, simple = simpleNegated(op.nested[0])
			}
			if !simple {
				ok = false
				break
			}
			sub.WriteString(inner)
		}
		if ok {
			return "[" + base.plain + "-[" + sub.String() + "]]"
		}
	}
	var e strings.Builder
	e.WriteString("(?:")
	for _, op := range ops[1:] {
		e.WriteString("(?=" + op.expr() + ")")
	}
	e.WriteString(base.expr() + ")")
	if neg {
		return not(e.String())
	}
	return e.String()
}

// propName reads the name of \p{Name} or \pL starting at p[i] (after the
// 'p'); end is the index of the last byte of the escape.
func propName(p string, i int) (name string, end int, ok bool) {
	if i >= len(p) {
		return "", 0, false
	}
	if p[i] != '{' {
		return p[i : i+1], i, true
	}
	j := strings.IndexByte(p[i:], '}')
	if j < 0 {
		return "", 0, false
	}
	return p[i+1 : i+j], i + j, true
}

// writeClass writes class contents cls as a class (or, inside a class,
// inline). Negation inside a class is not expressible and is written as the
// positive class; callers only reach that with odd input.
func writeClass(b *strings.Builder, cls string, neg, inClass bool) {
	if inClass {
		b.WriteString(cls)
		return
	}
	if neg {
		b.WriteString("[^" + cls + "]")
		return
	}
	b.WriteString("[" + cls + "]")
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// approxForSets rewrites a Java pattern that only regexp2 can run into one
// Go's regexp can parse and that matches at least the strings it matches
// (look-arounds dropped, possessive quantifiers and atomic groups made
// ordinary, class intersections widened to their first operand,
// back-references to "anything"). The segmenter uses it only to compute
// which bytes can start or end a match, to filter positions.
func approxForSets(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			n := p[i+1]
			switch {
			case n >= '1' && n <= '9', n == 'k':
				b.WriteString(`(?s:.*)`)
				i++
				if n == 'k' && i+1 < len(p) && p[i+1] == '<' {
					if j := strings.IndexByte(p[i:], '>'); j >= 0 {
						i += j
					}
				}
				continue
			case (n == 'p' || n == 'P') && i+2 < len(p) && p[i+2] == '{':
				j := strings.IndexByte(p[i:], '}')
				if j < 0 {
					b.WriteString(p[i:])
					return b.String()
				}
				b.WriteString(p[i : i+j+1])
				i += j
				continue
			}
			b.WriteByte(c)
			b.WriteByte(n)
			i++
		case c == '[':
			end := classEnd(p, i)
			if end < 0 {
				b.WriteString(p[i:])
				return b.String()
			}
			cls := p[i:end]
			if k := strings.Index(cls, "&&"); k >= 0 {
				cls = cls[:k] + "]"
			}
			b.WriteString(cls)
			i = end - 1
		case c == '(' && strings.HasPrefix(p[i:], "(?="), c == '(' && strings.HasPrefix(p[i:], "(?!"),
			c == '(' && strings.HasPrefix(p[i:], "(?<="), c == '(' && strings.HasPrefix(p[i:], "(?<!"):
			end := groupEnd(p, i)
			if end < 0 {
				return b.String()
			}
			i = end - 1
		case c == '(' && strings.HasPrefix(p[i:], "(?>"):
			b.WriteString("(?:")
			i += 2
		case (c == '*' || c == '+' || c == '?' || c == '}') && i+1 < len(p) && p[i+1] == '+':
			b.WriteByte(c)
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// classEnd returns the index after the Java class starting at p[i], nested
// classes included, or -1.
func classEnd(p string, i int) int {
	depth := 0
	for j := i; j < len(p); j++ {
		switch p[j] {
		case '\\':
			j++
		case '[':
			depth++
		case ']':
			if j > i+1 && !(j == i+2 && p[i+1] == '^') {
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
	}
	return -1
}

// groupEnd returns the index after the group starting at p[i], or -1.
func groupEnd(p string, i int) int {
	depth := 0
	for j := i; j < len(p); j++ {
		switch p[j] {
		case '\\':
			j++
		case '[':
			e := classEnd(p, j)
			if e < 0 {
				return -1
			}
			j = e - 1
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return -1
}
