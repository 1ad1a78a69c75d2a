package server

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/align"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/memory/tmx"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/segment"
	"github.com/tolkdev/tolk/translate"
	"github.com/tolkdev/tolk/translate/xliff"
)

type translationService struct {
	tolkv1.UnimplementedTranslationServiceServer
	s *Server
}

// checkText validates a required text field against a size limit.
func checkText(field, text string, max int) error {
	switch {
	case strings.TrimSpace(text) == "":
		return tolk.Invalidf(field, "required, and must not be blank")
	case len(text) > max:
		return &tolk.Error{Code: tolk.ELIMIT, Reason: tolk.ReasonTextTooLong, Field: field,
			Message: byteSize(len(text)) + " is more than the limit of " + byteSize(max) + "; split the text or use TranslateStream"}
	case !utf8.ValidString(text):
		return tolk.Invalidf(field, "not valid UTF-8")
	}
	return nil
}

func (t *translationService) Segment(ctx context.Context, req *tolkv1.SegmentRequest) (*tolkv1.SegmentResponse, error) {
	if err := checkText("text", req.GetText(), t.s.limits.MaxTextBytes); err != nil {
		return nil, err
	}
	unit, err := offsetUnitFromProto("offset_unit", req.GetOffsetUnit())
	if err != nil {
		return nil, err
	}
	split, err := splitter(req.GetLanguage(), req.GetSrx())
	if err != nil {
		return nil, err
	}
	segs := split(req.GetText())
	off := newOffsets(req.GetText(), unit)
	resp := &tolkv1.SegmentResponse{Segments: make([]*tolkv1.Segment, len(segs))}
	for i, sg := range segs {
		p := segmentToProto(sg)
		p.Start, p.End = off.at(sg.Start), off.at(sg.End)
		resp.Segments[i] = p
	}
	return resp, nil
}

// splitter returns the split function for a language ("" means Dutch) and
// optional user SRX rules.
func splitter(lang, srx string) (func(string) []segment.Segment, error) {
	switch strings.ToLower(lang) {
	case "", "nl", "nl-nl", "nl-be":
		lang = "nl"
	case "en", "en-gb", "en-us":
		lang = "en"
	default:
		return nil, tolk.Invalidf("language", "%q is not supported: use \"nl\" or \"en\"", lang)
	}
	if srx != "" {
		x, err := segment.ParseSRX(strings.NewReader(srx))
		if err != nil {
			return nil, tolk.Invalidf("srx", "the rules cannot be used: %v", err)
		}
		sg, err := x.Segmenter(lang)
		if err != nil {
			return nil, tolk.Invalidf("srx", "no rules for %q: %v", lang, err)
		}
		return sg.Split, nil
	}
	if lang == "en" {
		return segment.English().Split, nil
	}
	return segment.Dutch().Split, nil
}

func (t *translationService) Translate(ctx context.Context, req *tolkv1.TranslateRequest) (*tolkv1.TranslateResponse, error) {
	if err := checkText("text", req.GetText(), t.s.limits.MaxTextBytes); err != nil {
		return nil, err
	}
	if err := checkDocumentFormat("document_format", req.GetDocumentFormat()); err != nil {
		return nil, err
	}
	unit, err := offsetUnitFromProto("options.offset_unit", req.GetOptions().GetOffsetUnit())
	if err != nil {
		return nil, err
	}
	opt := optionsFromProto(req.GetOptions())
	opt.MaxSegments = t.s.limits.MaxSegments
	segs, err := t.s.pipeline.Translate(ctx, req.GetText(), opt)
	if err != nil {
		return nil, err
	}
	off := newOffsets(req.GetText(), unit)
	resp := &tolkv1.TranslateResponse{Segments: make([]*tolkv1.AlignedSegment, len(segs))}
	for i, a := range segs {
		resp.Segments[i] = alignedToProto(a)
		off.aligned(resp.Segments[i])
	}
	var doc bytes.Buffer
	switch req.GetDocumentFormat() {
	case tolkv1.DocumentFormat_DOCUMENT_FORMAT_XLIFF:
		err = xliff.Write(&doc, translate.XLIFF(req.GetDocumentName(), req.GetText(), segs))
	case tolkv1.DocumentFormat_DOCUMENT_FORMAT_XLIFF12:
		err = xliff.Write12(&doc, translate.XLIFF12(req.GetDocumentName(), req.GetText(), segs))
	case tolkv1.DocumentFormat_DOCUMENT_FORMAT_TMX:
		err = translate.WriteTMX(&doc, segs)
	}
	if err != nil {
		return nil, fmt.Errorf("writing the %v document: %w", req.GetDocumentFormat(), err)
	}
	resp.Document = doc.Bytes()
	return resp, nil
}

func (t *translationService) TranslateStream(req *tolkv1.TranslateStreamRequest, stream tolkv1.TranslationService_TranslateStreamServer) error {
	ctx := stream.Context()
	docs := req.GetDocuments()
	if len(docs) == 0 {
		return tolk.Invalidf("documents", "required: send at least one document")
	}
	ids := make(map[string]int, len(docs))
	for i, d := range docs {
		if d.GetId() == "" {
			return tolk.Invalidf(fieldIndex("documents", i, "id"), "required: the responses carry it to say which document a segment is from")
		}
		if j, ok := ids[d.GetId()]; ok {
			return tolk.Invalidf(fieldIndex("documents", i, "id"), "%q is also the id of documents[%d]: give each document its own", d.GetId(), j)
		}
		ids[d.GetId()] = i
		if err := checkText(fieldIndex("documents", i, "text"), d.GetText(), t.s.limits.MaxStreamBytes); err != nil {
			return err
		}
	}
	unit, err := offsetUnitFromProto("options.offset_unit", req.GetOptions().GetOffsetUnit())
	if err != nil {
		return err
	}
	opt := optionsFromProto(req.GetOptions())
	stepAside := t.s.heavy.fg.stepper(ctx)
	for _, d := range docs {
		off := newOffsets(d.GetText(), unit)
		err := t.s.pipeline.Stream(ctx, strings.NewReader(d.GetText()), opt, func(a translate.AlignedSegment) error {
			p := alignedToProto(a)
			off.aligned(p)
			if err := stream.Send(&tolkv1.TranslateStreamResponse{DocumentId: d.GetId(), Segment: p}); err != nil {
				return err
			}
			stepAside() // in the background of lookups (see foreground)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ConfirmSegments stores translators' final translations as units of the
// named memory, with their context and user, overwriting the unit with the
// same source and context, and counts the use of the units they came from.
// It checks everything first (the segments, the memory, every origin unit)
// and writes only a request that passes.
func (t *translationService) ConfirmSegments(ctx context.Context, req *tolkv1.ConfirmSegmentsRequest) (*tolkv1.ConfirmSegmentsResponse, error) {
	if req.GetMemory() == "" {
		return nil, tolk.Invalidf("memory", "required: name the memory to store the translations in")
	}
	segs := req.GetSegments()
	if len(segs) == 0 {
		return nil, tolk.Invalidf("segments", "required: send at least one confirmed segment")
	}
	if len(segs) > t.s.limits.MaxUnits {
		return nil, &tolk.Error{Code: tolk.ELIMIT, Reason: tolk.ReasonTooManyItems, Field: "segments",
			Message: fmt.Sprintf("%d segments in one request is more than the limit of %d; send them in batches", len(segs), t.s.limits.MaxUnits)}
	}
	if _, err := t.s.mem.Memory(ctx, req.GetMemory()); err != nil {
		return nil, inRequest(err, func(string) string { return "memory" })
	}
	now := t.s.now().UTC()
	units := make([]memory.Unit, len(segs))
	used := map[string][]uint64{} // origin memory → unit ids
	for i, sg := range segs {
		units[i] = memory.Unit{
			Source: sg.GetSource(), Target: sg.GetTarget(),
			PrevSource: sg.GetPrevSource(), NextSource: sg.GetNextSource(),
			Origin: "confirmed", Created: now, Changed: now,
			CreatedBy: req.GetUser(), ChangedBy: req.GetUser(),
		}
		var err error
		if units[i].SourceCodes, err = codesFromProto(fieldIndex("segments", i, "source_codes"), sg.GetSourceCodes()); err != nil {
			return nil, err
		}
		if units[i].TargetCodes, err = codesFromProto(fieldIndex("segments", i, "target_codes"), sg.GetTargetCodes()); err != nil {
			return nil, err
		}
		if id := sg.GetOriginUnitId(); id != 0 {
			m := cmp.Or(sg.GetOriginMemory(), req.GetMemory())
			if err := t.s.checkOrigin(ctx, i, m, id); err != nil {
				return nil, err
			}
			used[m] = append(used[m], id)
		}
	}
	memory.Stamp(units, time.Now())
	res, err := t.s.w.AddUnits(ctx, req.GetMemory(), units, memory.Overwrite)
	if err != nil {
		return nil, inRequest(err, func(f string) string {
			if rest, ok := strings.CutPrefix(f, "units["); ok {
				return "segments[" + rest
			}
			return f
		})
	}
	for m, ids := range used {
		// The origins were checked; only a memory deleted meanwhile fails here.
		if err := t.s.w.RecordUsage(ctx, m, ids, now); err != nil {
			return nil, fmt.Errorf("the translations are stored, but counting the use of their origin units failed: %w", err)
		}
	}
	return &tolkv1.ConfirmSegmentsResponse{Added: int32(res.Added), Updated: int32(res.Updated)}, nil
}

// checkOrigin checks that the origin unit id of segment i exists in memory
// m, and names the field that is wrong when it does not.
func (s *Server) checkOrigin(ctx context.Context, i int, m string, id uint64) error {
	_, err := s.mem.Unit(ctx, m, id)
	switch tolk.ErrorReason(err) {
	case tolk.ReasonMemoryNotFound:
		return inRequest(err, func(string) string { return fieldIndex("segments", i, "origin_memory") })
	case tolk.ReasonUnitNotFound:
		return inRequest(err, func(string) string { return fieldIndex("segments", i, "origin_unit_id") })
	}
	return err
}

// Align segments a Dutch text and its English version, aligns their
// sentences and, when asked, stores the confident pairs as units.
func (t *translationService) Align(ctx context.Context, req *tolkv1.AlignRequest) (*tolkv1.AlignResponse, error) {
	if err := checkText("source_text", req.GetSourceText(), t.s.limits.MaxStreamBytes); err != nil {
		return nil, err
	}
	if err := checkText("target_text", req.GetTargetText(), t.s.limits.MaxStreamBytes); err != nil {
		return nil, err
	}
	if err := checkDocumentFormat("document_format", req.GetDocumentFormat()); err != nil {
		return nil, err
	}
	minConf := req.GetMinConfidence()
	if minConf == 0 {
		minConf = align.DefaultMinConfidence
	}
	a, err := align.AlignTexts(ctx, req.GetSourceText(), req.GetTargetText(), segment.Dutch().Split, segment.English().Split,
		align.Options{Lexicon: align.GlossaryLexicon(t.s.gl), MinConfidence: minConf})
	if err != nil {
		return nil, err
	}
	kept, dropped := a.Pairs()
	resp := &tolkv1.AlignResponse{}
	for _, p := range kept {
		resp.Pairs = append(resp.Pairs, &tolkv1.AlignedPair{Source: p.NL, Target: p.EN, Confidence: p.Confidence})
	}
	for _, p := range dropped {
		resp.LeftOut = append(resp.LeftOut, &tolkv1.AlignedPair{Source: p.NL, Target: p.EN, Confidence: p.Confidence})
	}
	now := t.s.now().UTC()
	units := make([]memory.Unit, len(kept))
	for i, p := range kept {
		units[i] = memory.Unit{
			Source: p.NL, Target: p.EN, Origin: "aligned",
			Penalty: alignedPenalty(p.Confidence), Created: now, Changed: now,
		}
		if i > 0 {
			units[i].PrevSource = kept[i-1].NL
		}
		if i+1 < len(kept) {
			units[i].NextSource = kept[i+1].NL
		}
		if d := req.GetDocumentName(); d != "" {
			units[i].Props = []memory.Prop{{Type: "x-document", Value: d}}
		}
	}
	switch req.GetDocumentFormat() {
	case tolkv1.DocumentFormat_DOCUMENT_FORMAT_UNSPECIFIED:
	case tolkv1.DocumentFormat_DOCUMENT_FORMAT_TMX:
		var doc bytes.Buffer
		if err := tmx.WriteAll(&doc, tmx.Header{SrcLang: "nl", CreationTool: "tolk"}, units); err != nil {
			return nil, err
		}
		resp.Document = doc.Bytes()
	default:
		return nil, tolk.Invalidf("document_format", "alignments are returned as TMX only")
	}
	if name := req.GetImportMemory(); name != "" && len(kept) > 0 {
		if err := t.s.ensureMemory(ctx, "import_memory", name, true); err != nil {
			return nil, err
		}
		memory.Stamp(units, time.Now())
		res, err := t.s.w.AddUnits(ctx, name, units, memory.KeepBoth)
		if err != nil {
			return nil, err
		}
		resp.Imported = int32(res.Added)
	}
	return resp, nil
}

// alignedPenalty is the score penalty of an aligned unit: at least 1, so an
// aligned unit never outranks a human one with the same text, and up to 11
// as the alignment's confidence falls to 0.
func alignedPenalty(confidence float64) int {
	return 1 + int(math.Round(10*(1-confidence)))
}
