// Package memory is Tolk's translation memory: named Dutch→English memories
// of translation units stored in bbolt, with a lossless fuzzy lookup served
// from an in-memory inverted index, concordance search, placeable adaptation
// and streaming export. The score is published in SCORING.md.
package memory

import (
	"time"
)

// Memory describes a named translation memory.
type Memory struct {
	Name        string    // unique; letters, digits, '.', '_' and '-', at most 64 bytes
	SourceLang  string    // "nl" or "nl-XX"
	TargetLang  string    // "en" or "en-XX"
	Description string    // free text
	Created     time.Time // set by CreateMemory when zero
	Units       int       // number of units, maintained by the store (ignored on create)
}

// Code is an inline code of a segment, kept beside the text so that an
// export reproduces the original markup while matching works on the text.
// In Unit.Source and Unit.Target the code with index n in SourceCodes or
// TargetCodes stands as the rune segment.CodeRune(n).
type Code struct {
	// Kind is the TMX element: "bpt", "ept", "it", "ph", "ut" or "hi".
	// A <hi> span is two codes: Pos "begin" where it opens and "end"
	// where it closes.
	Kind string
	// I, X, Type, Pos and Assoc are the TMX attributes i, x, type, pos
	// (it; and begin/end for hi) and assoc (ph), empty when absent.
	I, X, Type, Pos, Assoc string
	// Content is the element's content as TMX XML: escaped native code
	// text, possibly with <sub> elements ("&lt;b&gt;", escaped as
	// encoding/xml.EscapeText does). The caller owes well-formed XML
	// here; the TMX writer writes it as is.
	Content string
}

// Prop is a typed property (TMX <prop type="...">).
type Prop struct {
	Type, Value string
}

// Unit is one translation unit.
type Unit struct {
	ID     uint64 // assigned by Add, unique within its memory
	Memory string // the memory's name, set by the store

	Source, Target           string // text; inline codes stand as segment.CodeRune(n)
	SourceCodes, TargetCodes []Code

	PrevSource, NextSource string // the source segments before and after (context)

	Props []Prop   // unit properties (domain, client, project, ...)
	Notes []string // unit notes
	// SourceProps, TargetProps, SourceNotes and TargetNotes are the
	// properties and notes of the source and target variants (TMX <tuv>).
	SourceProps, TargetProps []Prop
	SourceNotes, TargetNotes []string
	TUID                     string // external unit id (TMX tuid), kept for export
	// SourceLang and TargetLang are the language tags of the variants as
	// the file wrote them ("nl-BE", "en-US"), kept for export; "" means
	// the memory's. Matching does not look at them: nl-BE is Dutch.
	SourceLang, TargetLang string

	Origin  string // "human", "imported", "aligned", "confirmed", ...
	Penalty int    // score points (0..100) subtracted on every match (e.g. low alignment confidence)

	Created, Changed, LastUsed time.Time
	CreatedBy, ChangedBy       string
	UsageCount                 int
}

// Policy says what Add does with a unit whose source and context (previous
// and next source) are identical to those of a unit already in the memory.
type Policy int

const (
	// Overwrite replaces the existing unit's target and metadata, keeping
	// its id and creation date. It is the default.
	Overwrite Policy = iota
	// KeepBoth adds the new unit beside the existing one, unless the
	// existing one also has the same target (then the new one is skipped).
	KeepBoth
	// KeepNewer overwrites the existing unit only when the new unit's
	// Changed (or Created) date is later; otherwise the new one is skipped.
	KeepNewer
)

// String returns the policy's lower-case name.
func (p Policy) String() string {
	switch p {
	case Overwrite:
		return "overwrite"
	case KeepBoth:
		return "keep_both"
	case KeepNewer:
		return "keep_newer"
	}
	return "unknown"
}

// AddResult reports what Add did.
type AddResult struct {
	Added, Updated, Skipped int
	// IDs has one entry per input unit: the id of the unit it became or
	// updated, or, when skipped, the id of the existing unit that won.
	IDs []uint64
}

// MatchType classifies a match.
type MatchType int

// Match types, from worst to best.
const (
	None    MatchType = iota // no match
	Fuzzy                    // similar source
	Exact                    // identical source (score 100 before penalties)
	Context                  // identical source and context (score 101 before penalties)
)

// String returns the type's lower-case name.
func (t MatchType) String() string {
	switch t {
	case None:
		return "none"
	case Fuzzy:
		return "fuzzy"
	case Exact:
		return "exact"
	case Context:
		return "context"
	}
	return "unknown"
}

// Penalty is a number of score points subtracted for a reason.
type Penalty struct {
	Reason string
	Points int
}

// Breakdown explains a score: the edits by kind that turn the unit's source
// into the query and the penalties applied. SCORING.md defines each field.
type Breakdown struct {
	Version     string // the score's version, ScoreVersion
	WordEdits   int    // words (and numbers) inserted, deleted or replaced
	CaseEdits   int    // words differing only in case or typography
	PunctEdits  int    // punctuation inserted, deleted or replaced
	SpaceEdits  int    // whitespace present on one side only between two tokens
	NumberEdits int    // placeables (numbers, Dutch month names) replaced by another
	CodeEdits   int    // inline codes inserted, deleted or replaced
	Cost        int    // the weighted edit cost
	Length      int    // the weighted length the cost is divided by
	Similarity  int    // the score before penalties
	Penalties   []Penalty
}

// Match is one result of Lookup.
type Match struct {
	Unit      Unit
	Score     int // 0..101, see SCORING.md
	Type      MatchType
	Breakdown Breakdown
	// Target is Unit.Target with placeables (numbers, times, dates)
	// adapted to the query where the query differs from the unit's source
	// in them, and with the query's inline codes: its code runes are the
	// query's (segment.CodeRune(n) for the query's code n), not indexes
	// into Unit.TargetCodes, and stand where the query's codes stand
	// (SCORING.md §7; Codes says what could not be kept in place).
	// Without codes or placeables to adapt it equals Unit.Target.
	Target string
	// Codes reports the inline codes that Target moved, lacks or left out.
	Codes CodePlacement
	// Unadapted lists the query's placeables that Target does not carry:
	// a number, time or month that replaces one the unit's target does
	// not hold (or writes as words), or that the unit has no counterpart
	// for. Empty when every placeable of the query is in Target.
	Unadapted []string
}

// Query is a fuzzy lookup request.
type Query struct {
	Text       string   // the source segment to translate (codes as segment.CodeRune(n))
	Prev, Next string   // its context: the previous and next source segments
	Memories   []string // memories to search in priority order; empty means all
	MinScore   int      // lowest score returned; 0 means DefaultMinScore; see CheckMinScore
	Limit      int      // most matches returned; 0 means 5; at most MaxLimit
	Props      []Prop   // wanted properties; units that differ are penalised
}

// MaxLimit is the largest Query.Limit and ConcordanceQuery.PageSize.
const MaxLimit = 1000

// ConcordanceQuery asks for the units containing words or a phrase.
type ConcordanceQuery struct {
	Text      string   // words to find (all of them), or a phrase
	Memories  []string // memories to search; empty means all
	Target    bool     // search the target side instead of the source
	Phrase    bool     // the words must appear together, in this order
	PageSize  int      // 0 means 20; at most MaxLimit
	PageToken string   // from a previous page's NextPageToken; "" for the first
}

// ConcordancePage is one page of concordance results, in memory then id
// order.
type ConcordancePage struct {
	Units         []Unit
	NextPageToken string // "" on the last page
	Total         int    // number of matching units over all pages
}
