package server

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/glossary/termfile"
	"github.com/tolkdev/tolk/memory"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/segment"
	"github.com/tolkdev/tolk/translate"
	"github.com/tolkdev/tolk/translate/diff"
)

// Conversions between domain types and the wire. Protobuf types stop here.

// fieldIndex returns the path of field in the i'th element of list
// ("units[3].target"), or of the element when field is "" ("units[3]").
func fieldIndex(list string, i int, field string) string {
	if field == "" {
		return fmt.Sprintf("%s[%d]", list, i)
	}
	return fmt.Sprintf("%s[%d].%s", list, i, field)
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KiB"
	}
	return strconv.Itoa(n) + " bytes"
}

func timeToProto(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

// timeFromProto converts the timestamp in the named field; nil is the zero
// time. A timestamp outside what google.protobuf.Timestamp allows (years
// 1–9999, nanos 0–999,999,999) is refused.
func timeFromProto(field string, ts *timestamppb.Timestamp) (time.Time, error) {
	if ts == nil {
		return time.Time{}, nil
	}
	if err := ts.CheckValid(); err != nil {
		return time.Time{}, tolk.Invalidf(field, "not a valid timestamp (seconds %d, nanos %d): seconds must fall in the years 1 to 9999 and nanos between 0 and 999999999", ts.GetSeconds(), ts.GetNanos())
	}
	return ts.AsTime(), nil
}

// times converts several timestamps of one message and keeps the first
// error.
type times struct{ err error }

func (c *times) from(field string, ts *timestamppb.Timestamp) time.Time {
	t, err := timeFromProto(field, ts)
	if c.err == nil {
		c.err = err
	}
	return t
}

func segmentToProto(sg segment.Segment) *tolkv1.Segment {
	return &tolkv1.Segment{Start: int32(sg.Start), End: int32(sg.End), Text: sg.Text}
}

func optionsFromProto(o *tolkv1.TranslateOptions) translate.Options {
	return translate.Options{
		Memories:        o.GetMemories(),
		MinScore:        int(o.GetMinScore()),
		MaxAlternatives: int(o.GetMaxAlternatives()),
		SkipGlossary:    o.GetSkipGlossary(),
		Glossaries:      o.GetGlossaries(),
	}
}

func alignedToProto(a translate.AlignedSegment) *tolkv1.AlignedSegment {
	p := &tolkv1.AlignedSegment{
		Index:   int32(a.Index),
		Start:   int32(a.Start),
		End:     int32(a.End),
		Source:  a.Text,
		Target:  a.Target,
		Status:  segmentStatusToProto(a.Status),
		Skipped: a.Skipped,
	}
	if !a.Codes.OK() {
		p.CodeCheck = &tolkv1.CodeCheck{Missing: int32(a.Codes.Missing), Extra: int32(a.Codes.Extra)}
	}
	if a.Best != nil {
		p.Best = matchToProto(*a.Best)
	}
	for _, m := range a.Alternatives {
		p.Alternatives = append(p.Alternatives, matchToProto(m))
	}
	for i, h := range a.Terms {
		hp := hitToProto(h)
		if i < len(a.Checks) {
			hp.Check = termCheckToProto(a.Checks[i])
		}
		p.Terms = append(p.Terms, hp)
	}
	for _, op := range a.Diff {
		p.Diff = append(p.Diff, &tolkv1.DiffOp{Kind: diffKindToProto(op.Kind), Text: op.Text})
	}
	return p
}

func matchTypeToProto(t memory.MatchType) tolkv1.MatchType {
	switch t {
	case memory.Fuzzy:
		return tolkv1.MatchType_MATCH_TYPE_FUZZY
	case memory.Exact:
		return tolkv1.MatchType_MATCH_TYPE_EXACT
	case memory.Context:
		return tolkv1.MatchType_MATCH_TYPE_CONTEXT
	}
	return tolkv1.MatchType_MATCH_TYPE_UNSPECIFIED
}

func matchToProto(m memory.Match) *tolkv1.Match {
	b := m.Breakdown
	p := &tolkv1.Match{
		UnitId:        m.Unit.ID,
		Memory:        m.Unit.Memory,
		Source:        m.Unit.Source,
		Target:        m.Unit.Target,
		Score:         int32(m.Score),
		Type:          matchTypeToProto(m.Type),
		AdaptedTarget: m.Target,
		Origin:        m.Unit.Origin,
		ChangeTime:    timeToProto(m.Unit.Changed),
		ChangedBy:     m.Unit.ChangedBy,
		Breakdown: &tolkv1.ScoreBreakdown{
			Version:     b.Version,
			WordEdits:   int32(b.WordEdits),
			CaseEdits:   int32(b.CaseEdits),
			PunctEdits:  int32(b.PunctEdits),
			SpaceEdits:  int32(b.SpaceEdits),
			NumberEdits: int32(b.NumberEdits),
			CodeEdits:   int32(b.CodeEdits),
			Cost:        int32(b.Cost),
			Length:      int32(b.Length),
			Similarity:  int32(b.Similarity),
		},
	}
	for _, pen := range b.Penalties {
		p.Breakdown.Penalties = append(p.Breakdown.Penalties, &tolkv1.Penalty{Reason: pen.Reason, Points: int32(pen.Points)})
	}
	p.UnadaptedPlaceables = m.Unadapted
	p.SourceCodes, p.TargetCodes = codesToProto(m.Unit.SourceCodes), codesToProto(m.Unit.TargetCodes)
	p.MovedCodes, p.UnplacedCodes, p.DroppedCodes = int32s(m.Codes.Moved), int32s(m.Codes.Unplaced), int32s(m.Codes.Dropped)
	return p
}

func memoryToProto(m memory.Memory) *tolkv1.Memory {
	return &tolkv1.Memory{
		Name:           m.Name,
		SourceLanguage: m.SourceLang,
		TargetLanguage: m.TargetLang,
		Description:    m.Description,
		CreateTime:     timeToProto(m.Created),
		UnitCount:      int64(m.Units),
	}
}

func unitToProto(u memory.Unit) *tolkv1.Unit {
	p := &tolkv1.Unit{
		Id:             u.ID,
		Memory:         u.Memory,
		Source:         u.Source,
		Target:         u.Target,
		PrevSource:     u.PrevSource,
		NextSource:     u.NextSource,
		Notes:          u.Notes,
		Origin:         u.Origin,
		CreateTime:     timeToProto(u.Created),
		ChangeTime:     timeToProto(u.Changed),
		CreatedBy:      u.CreatedBy,
		ChangedBy:      u.ChangedBy,
		UsageCount:     int32(u.UsageCount),
		LastUsedTime:   timeToProto(u.LastUsed),
		SourceCodes:    codesToProto(u.SourceCodes),
		TargetCodes:    codesToProto(u.TargetCodes),
		SourceLanguage: u.SourceLang,
		TargetLanguage: u.TargetLang,
	}
	for _, pr := range u.Props {
		p.Props = append(p.Props, &tolkv1.Prop{Type: pr.Type, Value: pr.Value})
	}
	return p
}

// unitFromProto converts the unit at path field of the request.
func unitFromProto(field string, p *tolkv1.Unit) (memory.Unit, error) {
	var ts times
	u := memory.Unit{
		ID:         p.GetId(),
		Source:     p.GetSource(),
		Target:     p.GetTarget(),
		PrevSource: p.GetPrevSource(),
		NextSource: p.GetNextSource(),
		Notes:      p.GetNotes(),
		Origin:     p.GetOrigin(),
		Created:    ts.from(field+".create_time", p.GetCreateTime()),
		Changed:    ts.from(field+".change_time", p.GetChangeTime()),
		CreatedBy:  p.GetCreatedBy(),
		ChangedBy:  p.GetChangedBy(),
		UsageCount: int(p.GetUsageCount()),
		LastUsed:   ts.from(field+".last_used_time", p.GetLastUsedTime()),
		SourceLang: p.GetSourceLanguage(),
		TargetLang: p.GetTargetLanguage(),
	}
	for _, pr := range p.GetProps() {
		u.Props = append(u.Props, memory.Prop{Type: pr.GetType(), Value: pr.GetValue()})
	}
	var err error
	if u.SourceCodes, err = codesFromProto(field+".source_codes", p.GetSourceCodes()); err != nil {
		return u, err
	}
	if u.TargetCodes, err = codesFromProto(field+".target_codes", p.GetTargetCodes()); err != nil {
		return u, err
	}
	return u, ts.err
}

// Enum conversions are explicit switches, each way. From the wire, a number
// the .proto does not define is refused with unknownEnum naming the field;
// to the wire, a domain value without a proto value is UNSPECIFIED.

// unknownEnum is the error for an enum field holding a number its enum
// does not define.
func unknownEnum(field string, v protoreflect.Enum) error {
	d := v.Descriptor()
	var names []string
	for i := range d.Values().Len() {
		names = append(names, string(d.Values().Get(i).Name()))
	}
	return &tolk.Error{Code: tolk.EINVALID, Reason: tolk.ReasonUnknownEnum, Field: field,
		Message: fmt.Sprintf("%d is not a %s: use one of %s", v.Number(), d.Name(), strings.Join(names, ", "))}
}

func policyFromProto(field string, p tolkv1.UpdatePolicy) (memory.Policy, error) {
	switch p {
	case tolkv1.UpdatePolicy_UPDATE_POLICY_UNSPECIFIED, tolkv1.UpdatePolicy_UPDATE_POLICY_OVERWRITE:
		return memory.Overwrite, nil
	case tolkv1.UpdatePolicy_UPDATE_POLICY_KEEP_BOTH:
		return memory.KeepBoth, nil
	case tolkv1.UpdatePolicy_UPDATE_POLICY_KEEP_NEWER:
		return memory.KeepNewer, nil
	}
	return 0, unknownEnum(field, p)
}

// formatFromProto converts a glossary file format; UNSPECIFIED is
// termfile.AutoDetect, which only an import accepts.
func formatFromProto(field string, f tolkv1.GlossaryFormat) (termfile.Format, error) {
	switch f {
	case tolkv1.GlossaryFormat_GLOSSARY_FORMAT_UNSPECIFIED:
		return termfile.AutoDetect, nil
	case tolkv1.GlossaryFormat_GLOSSARY_FORMAT_TBX:
		return termfile.TBX, nil
	case tolkv1.GlossaryFormat_GLOSSARY_FORMAT_CSV:
		return termfile.CSV, nil
	case tolkv1.GlossaryFormat_GLOSSARY_FORMAT_TSV:
		return termfile.TSV, nil
	case tolkv1.GlossaryFormat_GLOSSARY_FORMAT_JSONL:
		return termfile.JSONL, nil
	case tolkv1.GlossaryFormat_GLOSSARY_FORMAT_TBX2:
		return termfile.TBX2, nil
	}
	return 0, unknownEnum(field, f)
}

// checkDocumentFormat refuses a document format the .proto does not
// define; the RPCs switch on the known ones themselves.
func checkDocumentFormat(field string, f tolkv1.DocumentFormat) error {
	switch f {
	case tolkv1.DocumentFormat_DOCUMENT_FORMAT_UNSPECIFIED, tolkv1.DocumentFormat_DOCUMENT_FORMAT_XLIFF,
		tolkv1.DocumentFormat_DOCUMENT_FORMAT_XLIFF12, tolkv1.DocumentFormat_DOCUMENT_FORMAT_TMX:
		return nil
	}
	return unknownEnum(field, f)
}

func segmentStatusToProto(s translate.Status) tolkv1.SegmentStatus {
	switch s {
	case translate.None:
		return tolkv1.SegmentStatus_SEGMENT_STATUS_NONE
	case translate.Fuzzy:
		return tolkv1.SegmentStatus_SEGMENT_STATUS_FUZZY
	case translate.Exact:
		return tolkv1.SegmentStatus_SEGMENT_STATUS_EXACT
	case translate.Context:
		return tolkv1.SegmentStatus_SEGMENT_STATUS_CONTEXT
	}
	return tolkv1.SegmentStatus_SEGMENT_STATUS_UNSPECIFIED
}

func termCheckToProto(c translate.TermCheck) tolkv1.TermCheck {
	switch c {
	case translate.TermOK:
		return tolkv1.TermCheck_TERM_CHECK_OK
	case translate.TermMissing:
		return tolkv1.TermCheck_TERM_CHECK_MISSING
	case translate.TermForbidden:
		return tolkv1.TermCheck_TERM_CHECK_FORBIDDEN
	}
	return tolkv1.TermCheck_TERM_CHECK_UNSPECIFIED // translate.Unchecked
}

func diffKindToProto(k diff.Kind) tolkv1.DiffOp_Kind {
	switch k {
	case diff.Equal:
		return tolkv1.DiffOp_KIND_EQUAL
	case diff.Insert:
		return tolkv1.DiffOp_KIND_INSERT
	case diff.Delete:
		return tolkv1.DiffOp_KIND_DELETE
	}
	return tolkv1.DiffOp_KIND_UNSPECIFIED
}

func statusToProto(s glossary.Status) tolkv1.TermStatus {
	switch s {
	case glossary.StatusPreferred:
		return tolkv1.TermStatus_TERM_STATUS_PREFERRED
	case glossary.StatusAdmitted:
		return tolkv1.TermStatus_TERM_STATUS_ADMITTED
	case glossary.StatusDeprecated:
		return tolkv1.TermStatus_TERM_STATUS_DEPRECATED
	case glossary.StatusForbidden:
		return tolkv1.TermStatus_TERM_STATUS_FORBIDDEN
	}
	return tolkv1.TermStatus_TERM_STATUS_UNSPECIFIED
}

func statusFromProto(field string, s tolkv1.TermStatus) (glossary.Status, error) {
	switch s {
	case tolkv1.TermStatus_TERM_STATUS_UNSPECIFIED:
		return "", nil
	case tolkv1.TermStatus_TERM_STATUS_PREFERRED:
		return glossary.StatusPreferred, nil
	case tolkv1.TermStatus_TERM_STATUS_ADMITTED:
		return glossary.StatusAdmitted, nil
	case tolkv1.TermStatus_TERM_STATUS_DEPRECATED:
		return glossary.StatusDeprecated, nil
	case tolkv1.TermStatus_TERM_STATUS_FORBIDDEN:
		return glossary.StatusForbidden, nil
	}
	return "", unknownEnum(field, s)
}

func termToProto(t glossary.Term) *tolkv1.Term {
	return &tolkv1.Term{
		Language:     t.Lang,
		Text:         t.Text,
		Status:       statusToProto(t.Status),
		PartOfSpeech: t.POS,
		Usage:        t.Usage,
		Example:      t.Example,
		Note:         t.Note,
	}
}

// termFromProto converts the term at path field of the request.
func termFromProto(field string, p *tolkv1.Term) (glossary.Term, error) {
	status, err := statusFromProto(field+".status", p.GetStatus())
	return glossary.Term{
		Lang:    p.GetLanguage(),
		Text:    p.GetText(),
		Status:  status,
		POS:     p.GetPartOfSpeech(),
		Usage:   p.GetUsage(),
		Example: p.GetExample(),
		Note:    p.GetNote(),
	}, err
}

func conceptToProto(c glossary.Concept) *tolkv1.Concept {
	p := &tolkv1.Concept{
		Id:         c.ID,
		Subject:    c.Subject,
		Definition: c.Definition,
		Note:       c.Note,
		ValidFrom:  timeToProto(c.ValidFrom),
		ValidUntil: timeToProto(c.ValidUntil),
		ChangeTime: timeToProto(c.Changed),
		Glossary:   c.Glossary,
	}
	for _, t := range c.Terms {
		p.Terms = append(p.Terms, termToProto(t))
	}
	return p
}

// conceptFromProto converts the concept at path field of the request.
func conceptFromProto(field string, p *tolkv1.Concept) (glossary.Concept, error) {
	var ts times
	c := glossary.Concept{
		ID:         p.GetId(),
		Subject:    p.GetSubject(),
		Definition: p.GetDefinition(),
		Note:       p.GetNote(),
		ValidFrom:  ts.from(field+".valid_from", p.GetValidFrom()),
		ValidUntil: ts.from(field+".valid_until", p.GetValidUntil()),
	}
	if ts.err != nil {
		return glossary.Concept{}, ts.err
	}
	for i, t := range p.GetTerms() {
		term, err := termFromProto(fieldIndex(field+".terms", i, ""), t)
		if err != nil {
			return glossary.Concept{}, err
		}
		c.Terms = append(c.Terms, term)
	}
	return c, nil
}

func hitToProto(h glossary.Hit) *tolkv1.TermHit {
	p := &tolkv1.TermHit{
		Start:     int32(h.Start),
		End:       int32(h.End),
		Text:      h.Text,
		Term:      h.Term.Text,
		Status:    statusToProto(h.Term.Status),
		ConceptId: h.ConceptID,
		Compound:  h.Compound,
		Expired:   h.Expired,
		Subject:   h.Subject,
		Glossary:  h.Glossary,
	}
	for _, o := range h.Others {
		p.OtherGlossaries = append(p.OtherGlossaries, hitToProto(o))
	}
	for i, t := range h.Targets {
		if i == 0 {
			p.Target = t.Text
		}
		p.Targets = append(p.Targets, termToProto(t))
	}
	for _, t := range h.Alternatives {
		p.Alternatives = append(p.Alternatives, t.Text)
	}
	return p
}

// int32s converts code numbers for the wire; nil stays nil.
func int32s(ns []int) []int32 {
	if ns == nil {
		return nil
	}
	out := make([]int32, len(ns))
	for i, n := range ns {
		out[i] = int32(n)
	}
	return out
}
