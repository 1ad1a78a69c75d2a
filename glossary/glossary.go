// Package glossary is Tolk's concept-oriented termbase: concepts with Dutch
// and English terms stored in bbolt, and a recognizer that finds the
// glossary's Dutch terms in running text even when Dutch inflects,
// hyphenates or compounds them.
//
// The model follows TBX: a Concept holds terms in several languages; each
// Term has a status (preferred, admitted, deprecated, forbidden). The Store
// persists concepts and keeps a Matcher in step with them; a Matcher can
// also be built on its own from a slice of concepts (NewMatcher).
package glossary

import (
	"strconv"
	"strings"
	"time"

	"github.com/tolkdev/tolk"
)

// Status is the normative status of a term. The empty status means admitted.
type Status string

// The term statuses, from best to worst.
const (
	StatusPreferred  Status = "preferred"
	StatusAdmitted   Status = "admitted"
	StatusDeprecated Status = "deprecated"
	StatusForbidden  Status = "forbidden"
)

// rank orders statuses for sorting: preferred first, forbidden last.
func (s Status) rank() int {
	switch s {
	case StatusPreferred:
		return 0
	case StatusAdmitted, "":
		return 1
	case StatusDeprecated:
		return 2
	case StatusForbidden:
		return 3
	}
	return 1
}

// Discouraged reports whether a term of this status should be replaced by
// the concept's preferred term (deprecated or forbidden).
func (s Status) Discouraged() bool { return s == StatusDeprecated || s == StatusForbidden }

// ParseStatus maps the status vocabularies of TBX and of tabular glossaries
// ("preferredTerm-admn-sts", "admittedTerm", "deprecatedTerm-admn-sts",
// "supersededTerm", "forbidden", "not recommended", ...) onto a Status. The
// empty string gives "" (admitted); an unknown word gives ok == false.
func ParseStatus(s string) (st Status, ok bool) {
	f := strings.ToLower(strings.TrimSpace(s))
	f = strings.TrimSuffix(f, "-admn-sts")
	f = strings.TrimSuffix(f, "term")
	f = strings.TrimSpace(f)
	switch f {
	case "":
		return "", true
	case "preferred", "preferredterm", "preferred term", "standardized", "standardizedterm", "recommended", "approved":
		return StatusPreferred, true
	case "admitted", "admittedterm", "admitted term", "permitted", "proposed", "new", "regular", "accepted":
		return StatusAdmitted, true
	case "deprecated", "deprecatedterm", "deprecated term", "superseded", "supersededterm", "obsolete", "not recommended", "notrecommended", "legal", "archaic":
		return StatusDeprecated, true
	case "forbidden", "forbiddenterm", "forbidden term", "prohibited", "do not use", "donotuse", "rejected":
		return StatusForbidden, true
	}
	return "", false
}

// Term is one designation of a concept in one language.
type Term struct {
	Lang    string `json:"lang"`              // BCP 47 language tag, lower case ("nl", "en-gb")
	Text    string `json:"text"`              // the term as written
	Status  Status `json:"status,omitempty"`  // empty = admitted
	POS     string `json:"pos,omitempty"`     // part of speech ("noun", "verb", ...), free text
	Usage   string `json:"usage,omitempty"`   // usage note ("formal", "US only", ...)
	Example string `json:"example,omitempty"` // a context sentence
	Note    string `json:"note,omitempty"`    // any other remark
}

// Concept is one meaning with its terms in every language.
type Concept struct {
	ID         string    `json:"id"`
	Glossary   string    `json:"glossary,omitempty"` // the named glossary it belongs to; on writes "" is DefaultGlossary
	Subject    string    `json:"subject,omitempty"`  // subject field ("diplomacy/treaties")
	Definition string    `json:"definition,omitempty"`
	Note       string    `json:"note,omitempty"`
	ValidFrom  time.Time `json:"valid_from,omitzero"`  // zero = no lower bound
	ValidUntil time.Time `json:"valid_until,omitzero"` // zero = no upper bound
	Terms      []Term    `json:"terms"`
	Changed    time.Time `json:"changed,omitzero"` // set by the Store on every write
}

// Valid reports whether the concept is within its validity dates at t. A
// zero t counts as always valid.
func (c *Concept) Valid(t time.Time) bool {
	if t.IsZero() {
		return true
	}
	if !c.ValidFrom.IsZero() && t.Before(c.ValidFrom) {
		return false
	}
	if !c.ValidUntil.IsZero() && t.After(c.ValidUntil) {
		return false
	}
	return true
}

// Hit is one glossary term found in a text.
type Hit struct {
	Start, End   int    // UTF-8 byte offsets into the input, half-open
	Text         string // surface form in the input
	ConceptID    string
	Term         Term   // the Dutch term matched
	Targets      []Term // English terms, preferred first
	Compound     bool   // found inside a closed compound (vredesverdrag)
	Expired      bool   // concept outside its validity dates at the time given
	Alternatives []Term // for a deprecated/forbidden Dutch term: the preferred Dutch term(s) of the concept
	Subject      string
	Glossary     string // the glossary of the concept
	// Others holds the hits of the same words in glossaries of lower
	// priority than Glossary, highest first (see Matcher.FindIn).
	Others []Hit
}

// NormLang returns a language tag in the form the glossary stores: trimmed,
// lower case, '_' replaced by '-' ("EN_us" → "en-us").
func NormLang(s string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "_", "-")
}

// PrimaryLang returns the primary subtag of a language tag ("en-GB" → "en").
func PrimaryLang(s string) string {
	s = NormLang(s)
	if i := strings.IndexByte(s, '-'); i >= 0 {
		return s[:i]
	}
	return s
}

// validLang reports whether s looks like a BCP 47 tag: 2–3 letter primary
// subtag followed by alphanumeric subtags of 1–8 characters.
func validLang(s string) bool {
	if s == "" {
		return false
	}
	for i, part := range strings.Split(s, "-") {
		if len(part) == 0 || len(part) > 8 || (i == 0 && (len(part) < 2 || len(part) > 3)) {
			return false
		}
		for _, c := range part {
			isLetter := c >= 'a' && c <= 'z'
			if i == 0 && !isLetter {
				return false
			}
			if !isLetter && !(c >= '0' && c <= '9') {
				return false
			}
		}
	}
	return true
}

// LooksLikeLang reports whether s (any case) is a plausible language tag such
// as "nl", "en-GB" or "pt_BR". Tabular readers use it to tell language
// columns from field columns.
func LooksLikeLang(s string) bool { return validLang(NormLang(s)) }

// Normalize trims the concept's fields, lower-cases language tags, drops
// terms with empty text and fills in nothing else. It returns the cleaned
// copy; the caller's slice is not modified.
func Normalize(c Concept) Concept {
	c.ID = strings.TrimSpace(c.ID)
	c.Glossary = strings.TrimSpace(c.Glossary)
	c.Subject = strings.TrimSpace(c.Subject)
	c.Definition = strings.TrimSpace(c.Definition)
	c.Note = strings.TrimSpace(c.Note)
	terms := make([]Term, 0, len(c.Terms))
	for _, t := range c.Terms {
		t.Lang = NormLang(t.Lang)
		t.Text = strings.TrimSpace(t.Text)
		if t.Text == "" {
			continue
		}
		terms = append(terms, t)
	}
	c.Terms = terms
	return c
}

// Validate checks a normalized concept and returns an EINVALID *tolk.Error
// naming the field to fix: a concept needs at least one term, every term a
// valid language tag and a known status, and ValidFrom must not be after
// ValidUntil. field prefixes the error's Field ("concepts[3]").
func Validate(c Concept, field string) error {
	if len(c.Terms) == 0 {
		return tolk.Invalidf(field+".terms", "concept %q has no term: give it at least one non-empty term", c.ID)
	}
	if !c.ValidFrom.IsZero() && !c.ValidUntil.IsZero() && c.ValidFrom.After(c.ValidUntil) {
		return tolk.Invalidf(field+".valid_from", "concept %q is valid from %s, after its end %s", c.ID, c.ValidFrom.Format(time.DateOnly), c.ValidUntil.Format(time.DateOnly))
	}
	if strings.ContainsAny(c.ID, "\x00\n") || len(c.ID) > 200 {
		return tolk.Invalidf(field+".id", "concept id %.40q is too long or holds control characters", c.ID)
	}
	for i, t := range c.Terms {
		f := field + ".terms[" + strconv.Itoa(i) + "]"
		if !validLang(t.Lang) {
			return tolk.Invalidf(f+".lang", "term %q has language %q, which is not a language tag such as nl or en-GB", t.Text, t.Lang)
		}
		switch t.Status {
		case "", StatusPreferred, StatusAdmitted, StatusDeprecated, StatusForbidden:
		default:
			return tolk.Invalidf(f+".status", "term %q has status %q: use preferred, admitted, deprecated or forbidden", t.Text, t.Status)
		}
		if len(t.Text) > 1000 {
			return tolk.Invalidf(f+".text", "term starting %.40q is longer than 1000 bytes", t.Text)
		}
	}
	return nil
}
