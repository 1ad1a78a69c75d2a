// Package xliff writes XLIFF 2.1 documents for CAT tools and reads
// translated XLIFF 1.0–1.2 and 2.x documents back.
//
// The package is self-contained: it knows nothing of Tolk's memories,
// glossaries or wire types. Its Document is a plain bilingual view (files of
// units of segments, with translation candidates and glossary hits) that
// callers convert from and to their own types.
//
// Inline codes (XLIFF ph, x, bx, ex, bpt, ept, it, g, sc, ec, pc) stand in
// Source and Target text as placeholder runes segment.CodeRune(n): n counts
// the distinct codes of a segment in order of first appearance in its
// source, and the same code in the target gets the same rune. Segment.Codes
// says what each stands for: a standalone placeholder, or the opening or
// closing half of a pair (a <g> or <pc> that encloses text is two codes),
// with its id and its original data. Annotations (mrk, sm/em) are dropped
// and their text kept. Write turns the placeholder runes back into <ph/>
// elements, so text read from one CAT tool can be written for another
// without losing the codes' places.
//
// Two values XLIFF has no place for travel in extension attributes of the
// namespace urn:tolkdev:tolk:xliff:1, which other tools ignore: a
// candidate's Ref (tolk:ref on mtc:match) and a term's Status (tolk:status
// on gls:glossEntry).
package xliff

// Segment states, as in XLIFF 2.x. Read maps XLIFF 1.2 states onto them.
const (
	StateInitial    = "initial"    // not translated yet (or a draft)
	StateTranslated = "translated" // translated, not reviewed
	StateReviewed   = "reviewed"   // reviewed
	StateFinal      = "final"      // signed off
)

// Match types of the XLIFF Translation Candidates module (mtc:type).
const (
	MatchAssembled = "am"    // assembled from smaller matches
	MatchMT        = "mt"    // machine translation
	MatchICE       = "icm"   // in-context exact match
	MatchIdentical = "idm"   // identical in content and its identifiers
	MatchTermbase  = "tb"    // from a termbase
	MatchTM        = "tm"    // from a translation memory
	MatchOther     = "other" // anything else
)

// Document is one XLIFF document: a source and a target language and the
// files translated between them.
type Document struct {
	// SrcLang and TrgLang are BCP 47 tags. Write uses "nl" and "en" when
	// they are empty. Read takes them from the root (2.x) or the first
	// file (1.x); they may be wrong in real files (see SOURCES.md).
	SrcLang, TrgLang string
	Files            []File
}

// File is one original document (an article, a resource bundle).
type File struct {
	ID       string // unique in the document; Write numbers empty ones f1, f2…
	Original string // the original file's name or path; may be empty
	Units    []Unit
}

// Unit is one paragraph, or one XLIFF 1.2 trans-unit.
type Unit struct {
	ID       string // unique in the file; Write numbers empty ones u1, u2…
	Segments []Segment
	Notes    []string // plain-text notes (comments, descriptions, locations)
}

// Segment is one sentence of a unit with its translation and the help a
// translator gets for it.
type Segment struct {
	// ID is unique in the unit (an XML NMTOKEN); Write numbers empty ones
	// s1, s2… Read gives an XLIFF 1.2 trans-unit without seg-source the
	// unit's id, and a seg-source segment its mid.
	ID     string
	Source string
	Target string // "" when there is none
	// State is one of StateInitial, StateTranslated, StateReviewed,
	// StateFinal; Write treats "" as StateInitial.
	State string
	// StateQualifier qualifies State: XLIFF 1.2's state-qualifier on
	// <target> as written (such as "exact-match" or Tolk's
	// QualifierSourceCopy). Write12 writes it when the segment has a
	// target; Write ignores it.
	StateQualifier string
	Matches        []Match // translation candidates, best first
	Terms          []Term  // glossary hits in Source
	// PrevSource and NextSource are the sources of the segments before and
	// after this one in the same file ("" at the ends): the context that
	// in-context (101 %) matching compares. Read fills them; Write ignores
	// them.
	PrevSource, NextSource string
	// Codes are the inline codes of Source and Target: Codes[n] is what
	// the rune segment.CodeRune(n) stands for. Read fills it; Write
	// ignores it.
	Codes []Code
}

// CodeKind says which part of the markup an inline code is.
type CodeKind int

// The kinds of inline code.
const (
	CodeStandalone CodeKind = iota // a placeholder: <x/>, <ph>, 2.x <ph/>
	CodeOpen                       // the start of a pair: <bx/>, <bpt>, a <g>'s start tag, <sc/>, a <pc>'s start
	CodeClose                      // the end of a pair: <ex/>, <ept>, </g>, <ec/>, a <pc>'s end
)

// Code is an inline code: what a placeholder rune in a segment's text
// stands for.
type Code struct {
	Kind CodeKind
	// ID is the code's id in the file; the two halves of a pair share it
	// (XLIFF 1.2 rid, 2.x startRef). It may be empty.
	ID string
	// Data is the code's original data as text: the native markup a
	// <ph>, <bpt>, <ept> or <it> holds, the 2.x <originalData> a dataRef
	// names, or else the XLIFF element itself as written (such as
	// `<x id="1" equiv-text="{{name}}"/>` or `</g>`).
	Data string
}

// Match is a translation candidate (mtc:match).
type Match struct {
	Similarity   float64 // 0–100: how close Source is to the segment's source (mtc:similarity)
	MatchQuality float64 // 0–100, 0 meaning unknown: the quality of Target (mtc:matchQuality)
	Origin       string  // where the candidate comes from, e.g. a memory name (mtc:origin)
	Type         string  // one of the Match* constants, or "" (mtc:type)
	Source       string  // the candidate's source text
	Target       string  // the candidate's target text
	// Ref is an opaque identifier of the candidate in its origin (a
	// memory unit id), kept in the extension attribute tolk:ref.
	Ref string
	// Tool is the id of the tool that proposed the candidate (XLIFF 1.2
	// alt-trans tool-id; Write12 declares it in the file's header). Write
	// ignores it.
	Tool string
}

// ToolTolk is the tool id under which Write12's callers mark Tolk's own
// candidates (Match.Tool).
const ToolTolk = "tolk"

// QualifierSourceCopy is the XLIFF 1.2 state-qualifier of a target that
// holds a copy of its source as a placeholder for the translation (see
// translate.XLIFF12): the copy is no translation, so a target whose text
// still equals its source is untranslated whatever its state.
const QualifierSourceCopy = "x-tolk-source-copy"

// Term is a glossary hit in a segment (gls:glossEntry).
type Term struct {
	Source      string // the term as the glossary has it (gls:term)
	Translation string // its translation (gls:translation)
	Definition  string // gls:definition, may be empty
	// Status is the term's usage status in the glossary (preferred,
	// admitted, deprecated, forbidden…), kept in the extension attribute
	// tolk:status.
	Status string
	// Start and End are the UTF-8 byte offsets, half-open, of the term's
	// occurrence in the segment's Source; Start == End when unknown.
	// Write marks the span with <mrk type="term">.
	Start, End int
}

// XML namespaces written and read.
const (
	nsCore20 = "urn:oasis:names:tc:xliff:document:2.0"
	nsCore22 = "urn:oasis:names:tc:xliff:document:2.2"
	nsMtc    = "urn:oasis:names:tc:xliff:matches:2.0"
	nsGls    = "urn:oasis:names:tc:xliff:glossary:2.0"
	nsMda    = "urn:oasis:names:tc:xliff:metadata:2.0"
	nsTolk   = "urn:tolkdev:tolk:xliff:1"
	nsXML    = "http://www.w3.org/XML/1998/namespace"
	nsSDL    = "http://sdl.com/FileTypes/SdlXliff/1.0"
)
