// Package tabular reads and writes glossaries as tables: CSV (or TSV) with a
// header naming languages and fields (the MateCat layout, and the SKOS
// label tables of the EU authority lists), OmegaT's tab-separated glossary,
// and JSON Lines (one concept per line, Tolk's lossless export format).
//
// Readers stream: Next returns one normalized, validated concept at a time
// and io.EOF at the end; an error says where (line, column) and why.
// Writers stream too and keep no concept after Write returns.
package tabular

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
)

// posError returns an EINVALID error whose Field is the position.
func posError(pos, format string, args ...any) error {
	return tolk.Invalidf(pos, format, args...)
}

// checkLang validates a language code from a header or a caller: it must be
// a well-formed BCP 47 tag that golang.org/x/text knows, and not name the
// unknown region ZZ. It returns the normalized (lower-case) tag.
func checkLang(s string) (string, error) {
	l := glossary.NormLang(s)
	if !glossary.LooksLikeLang(l) {
		return "", fmt.Errorf("%q is not a language code such as nl or en-GB", s)
	}
	t, err := language.Parse(l)
	if err != nil {
		return "", fmt.Errorf("%q is not a known language code: %v", s, err)
	}
	if r, conf := t.Region(); conf == language.Exact && r.String() == "ZZ" {
		return "", fmt.Errorf("%q names the unknown region ZZ: use a real region such as en-GB, or just en", s)
	}
	return l, nil
}

// finish normalizes and validates a concept read at pos; ok is false for a
// concept left without terms (an empty row), which readers skip.
func finish(c glossary.Concept, pos string) (glossary.Concept, bool, error) {
	c = glossary.Normalize(c)
	if len(c.Terms) == 0 {
		return c, false, nil
	}
	if err := glossary.Validate(c, pos); err != nil {
		return c, false, err
	}
	return c, true, nil
}

// parseDate accepts YYYY-MM-DD or RFC 3339.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.UTC().Format(time.DateOnly)
	}
	return t.UTC().Format(time.RFC3339)
}

// truthy reports whether a flag cell is set.
func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "y", "x", "forbidden", "ja", "waar":
		return true
	}
	return false
}
