package server

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/tolkdev/tolk"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/segment"
	"github.com/tolkdev/tolk/translate"
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
		return &tolk.Error{Code: tolk.ELIMIT, Field: field,
			Message: byteSize(len(text)) + " is more than the limit of " + byteSize(max) + "; split the text or use TranslateStream"}
	case !utf8.ValidString(text):
		return tolk.Invalidf(field, "not valid UTF-8")
	}
	return nil
}

func (t *translationService) Segment(ctx context.Context, req *tolkv1.SegmentRequest) (*tolkv1.SegmentResponse, error) {
	const method = "Segment"
	if err := checkText("text", req.GetText(), t.s.limits.MaxTextBytes); err != nil {
		return nil, t.s.toStatus(ctx, method, err)
	}
	split, err := splitter(req.GetLanguage(), req.GetSrx())
	if err != nil {
		return nil, t.s.toStatus(ctx, method, err)
	}
	segs := split(req.GetText())
	resp := &tolkv1.SegmentResponse{Segments: make([]*tolkv1.Segment, len(segs))}
	for i, sg := range segs {
		resp.Segments[i] = segmentToProto(sg)
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
	const method = "Translate"
	if err := checkText("text", req.GetText(), t.s.limits.MaxTextBytes); err != nil {
		return nil, t.s.toStatus(ctx, method, err)
	}
	segs, err := t.s.pipeline.Translate(ctx, req.GetText(), optionsFromProto(req.GetOptions()))
	if err != nil {
		return nil, t.s.toStatus(ctx, method, err)
	}
	resp := &tolkv1.TranslateResponse{Segments: make([]*tolkv1.AlignedSegment, len(segs))}
	for i, a := range segs {
		resp.Segments[i] = alignedToProto(a)
	}
	return resp, nil
}

func (t *translationService) TranslateStream(req *tolkv1.TranslateStreamRequest, stream tolkv1.TranslationService_TranslateStreamServer) error {
	const method = "TranslateStream"
	ctx := stream.Context()
	docs := req.GetDocuments()
	if len(docs) == 0 {
		return t.s.toStatus(ctx, method, tolk.Invalidf("documents", "required: send at least one document"))
	}
	for i, d := range docs {
		if err := checkText(fieldIndex("documents", i, "text"), d.GetText(), t.s.limits.MaxStreamBytes); err != nil {
			return t.s.toStatus(ctx, method, err)
		}
	}
	opt := optionsFromProto(req.GetOptions())
	for _, d := range docs {
		err := t.s.pipeline.Each(ctx, d.GetText(), opt, func(a translate.AlignedSegment) error {
			return stream.Send(&tolkv1.TranslateStreamResponse{DocumentId: d.GetId(), Segment: alignedToProto(a)})
		})
		if err != nil {
			return t.s.toStatus(ctx, method, err)
		}
	}
	return nil
}

func (t *translationService) ConfirmSegments(context.Context, *tolkv1.ConfirmSegmentsRequest) (*tolkv1.ConfirmSegmentsResponse, error) {
	return nil, unimplemented("ConfirmSegments", "translate pipeline: the confirm loop")
}

func (t *translationService) Align(context.Context, *tolkv1.AlignRequest) (*tolkv1.AlignResponse, error) {
	return nil, unimplemented("Align", "document alignment")
}
