package cli

import (
	"fmt"
	"io"
	"strings"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

func matchTypeName(t tolkv1.MatchType) string {
	return strings.ToLower(strings.TrimPrefix(t.String(), "MATCH_TYPE_"))
}

func statusName(s tolkv1.SegmentStatus) string {
	return strings.ToLower(strings.TrimPrefix(s.String(), "SEGMENT_STATUS_"))
}

// hitFlags describes what is special about a term hit, or "".
func hitFlags(h *tolkv1.TermHit) string {
	var f []string
	if h.GetCompound() {
		f = append(f, "in compound")
	}
	switch h.GetStatus() {
	case tolkv1.TermStatus_TERM_STATUS_FORBIDDEN, tolkv1.TermStatus_TERM_STATUS_DEPRECATED:
		s := strings.ToLower(strings.TrimPrefix(h.GetStatus().String(), "TERM_STATUS_"))
		if alts := h.GetAlternatives(); len(alts) > 0 {
			s += ", use " + strings.Join(alts, " or ")
		}
		f = append(f, s)
	}
	if h.GetExpired() {
		f = append(f, "outside its validity dates")
	}
	switch h.GetCheck() {
	case tolkv1.TermCheck_TERM_CHECK_MISSING:
		f = append(f, "missing from the draft")
	case tolkv1.TermCheck_TERM_CHECK_FORBIDDEN:
		f = append(f, "draft uses a forbidden term")
	}
	if g := h.GetGlossary(); g != "" {
		f = append(f, "glossary "+g)
	}
	for _, o := range h.GetOtherGlossaries() {
		f = append(f, "also "+o.GetTarget()+" in "+o.GetGlossary())
	}
	if len(f) == 0 {
		return ""
	}
	return " (" + strings.Join(f, "; ") + ")"
}

// renderSegments writes the plain text view of translated segments: each
// Dutch sentence, its English draft with the score, and its terms.
func renderSegments(w io.Writer, segs []*tolkv1.AlignedSegment) error {
	for _, s := range segs {
		score := "   "
		if b := s.GetBest(); b != nil {
			score = fmt.Sprintf("%3d", b.GetScore())
		}
		fmt.Fprintf(w, "[%d] %s %s  %d-%d\n", s.GetIndex()+1, score, statusName(s.GetStatus()), s.GetStart(), s.GetEnd())
		fmt.Fprintf(w, "  nl: %s\n", s.GetSource())
		if t := s.GetTarget(); t != "" {
			fmt.Fprintf(w, "  en: %s\n", t)
		} else {
			fmt.Fprintln(w, "  en: —")
		}
		for _, h := range s.GetTerms() {
			fmt.Fprintf(w, "  term: %s → %s%s\n", h.GetText(), h.GetTarget(), hitFlags(h))
		}
		if c := s.GetCodeCheck(); c != nil {
			fmt.Fprintf(w, "  codes: the draft lacks %d and adds %d of the segment's inline codes\n", c.GetMissing(), c.GetExtra())
		}
		if _, err := fmt.Fprintln(w); err != nil {
			return err
		}
	}
	return nil
}
