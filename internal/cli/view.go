package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// terminalWidth returns the width of w when it is a terminal, or 0.
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width < 40 {
		return 0
	}
	return width
}

// ANSI styles of the terminal view.
const (
	styleReset   = "\x1b[0m"
	styleChanged = "\x1b[1;33m" // words of the segment not in the matched source
	styleTerm    = "\x1b[4;36m" // glossary terms
	styleDim     = "\x1b[2m"
)

// word is a word of a column with its style ("" for plain).
type word struct{ text, style string }

// sourceWords splits a segment's source into words styled by the diff (an
// inserted word is one the translator must change in the draft) and the
// glossary hits.
func sourceWords(s *tolkv1.AlignedSegment) []word {
	src := s.GetSource()
	style := make([]string, len(src)) // per byte
	pos := 0
	for _, op := range s.GetDiff() {
		switch op.GetKind() {
		case tolkv1.DiffOp_KIND_EQUAL:
			pos += len(op.GetText())
		case tolkv1.DiffOp_KIND_INSERT:
			for i := pos; i < pos+len(op.GetText()) && i < len(src); i++ {
				style[i] = styleChanged
			}
			pos += len(op.GetText())
		}
	}
	for _, h := range s.GetTerms() {
		for i := int(h.GetStart() - s.GetStart()); i < int(h.GetEnd()-s.GetStart()) && i < len(src); i++ {
			if i >= 0 && style[i] == "" {
				style[i] = styleTerm
			}
		}
	}
	var out []word
	for i := 0; i < len(src); {
		if src[i] == ' ' {
			i++
			continue
		}
		j := i
		for j < len(src) && src[j] != ' ' {
			j++
		}
		st := ""
		for k := i; k < j; k++ {
			if style[k] != "" {
				st = style[k]
				break
			}
		}
		out = append(out, word{src[i:j], st})
		i = j
	}
	return out
}

func plainWords(s string) []word {
	var out []word
	for _, f := range strings.Fields(s) {
		out = append(out, word{text: f})
	}
	return out
}

// wrap lays words out in lines of at most width visible characters; a
// longer word gets a line of its own.
func wrap(words []word, width int) [][]word {
	var lines [][]word
	var line []word
	n := 0
	for _, w := range words {
		l := utf8.RuneCountInString(w.text)
		if n > 0 && n+1+l > width {
			lines = append(lines, line)
			line, n = nil, 0
		}
		if n > 0 {
			n++
		}
		line = append(line, w)
		n += l
	}
	if len(line) > 0 {
		lines = append(lines, line)
	}
	return lines
}

// pad renders a line of words padded to width visible characters.
func pad(line []word, width int) string {
	var b strings.Builder
	n := 0
	for i, w := range line {
		if i > 0 {
			b.WriteByte(' ')
			n++
		}
		if w.style != "" {
			b.WriteString(w.style + w.text + styleReset)
		} else {
			b.WriteString(w.text)
		}
		n += utf8.RuneCountInString(w.text)
	}
	if n < width {
		b.WriteString(strings.Repeat(" ", width-n))
	}
	return b.String()
}

// renderSideBySide writes the terminal view: Dutch on the left with the
// words that differ from the match highlighted and the terms underlined,
// the English draft on the right, the score and status above, and the
// terms with their English and any terminology flag below.
func renderSideBySide(w io.Writer, width int, segs []*tolkv1.AlignedSegment) error {
	col := (width - 3) / 2
	for _, s := range segs {
		score := "  —"
		if b := s.GetBest(); b != nil {
			score = fmt.Sprintf("%3d", b.GetScore())
		}
		fmt.Fprintf(w, "%s[%d] %s %s%s\n", styleDim, s.GetIndex()+1, score, statusName(s.GetStatus()), styleReset)
		left := wrap(sourceWords(s), col)
		right := wrap(plainWords(s.GetTarget()), col)
		for i := 0; i < max(len(left), len(right)); i++ {
			var l, r []word
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				r = right[i]
			}
			fmt.Fprintf(w, "%s │ %s\n", pad(l, col), strings.TrimRight(pad(r, col), " "))
		}
		for _, h := range s.GetTerms() {
			fmt.Fprintf(w, "  %s%s%s → %s%s\n", styleTerm, h.GetText(), styleReset, h.GetTarget(), hitFlags(h))
		}
		if _, err := fmt.Fprintln(w); err != nil {
			return err
		}
	}
	return nil
}
