package server

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/glossary/termfile"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

type glossaryService struct {
	tolkv1.UnimplementedGlossaryServiceServer
	s *Server
}

func (g *glossaryService) LookupTerms(ctx context.Context, req *tolkv1.LookupTermsRequest) (*tolkv1.LookupTermsResponse, error) {
	if err := checkText("text", req.GetText(), g.s.limits.MaxTextBytes); err != nil {
		return nil, g.s.toStatus(ctx, "LookupTerms", err)
	}
	at := g.s.now()
	if req.GetAt() != nil {
		at = req.GetAt().AsTime()
	}
	hits := g.s.gl.Find(req.GetText(), at)
	resp := &tolkv1.LookupTermsResponse{Hits: make([]*tolkv1.TermHit, len(hits))}
	for i, h := range hits {
		resp.Hits[i] = hitToProto(h)
	}
	return resp, nil
}

func (g *glossaryService) SearchTerms(ctx context.Context, req *tolkv1.SearchTermsRequest) (*tolkv1.SearchTermsResponse, error) {
	if err := checkText("query", req.GetQuery(), 1<<10); err != nil {
		return nil, g.s.toStatus(ctx, "SearchTerms", err)
	}
	if l := req.GetLimit(); l < 0 || l > 1000 {
		return nil, invalid("limit", fmt.Sprintf("must be between 1 and 1000 (or 0 for 20), got %d", l))
	}
	limit := int(req.GetLimit())
	if limit == 0 {
		limit = 20
	}
	cs, err := g.s.gl.Search(ctx, glossary.SearchQuery{Text: req.GetQuery(), Lang: req.GetLanguage(), Fuzzy: req.GetFuzzy(), Limit: limit})
	if err != nil {
		return nil, g.s.toStatus(ctx, "SearchTerms", err)
	}
	resp := &tolkv1.SearchTermsResponse{}
	for _, c := range cs {
		resp.Concepts = append(resp.Concepts, conceptToProto(c))
	}
	return resp, nil
}

func (g *glossaryService) UpsertTerms(ctx context.Context, req *tolkv1.UpsertTermsRequest) (*tolkv1.UpsertTermsResponse, error) {
	const method = "UpsertTerms"
	ps := req.GetConcepts()
	if len(ps) == 0 {
		return nil, invalid("concepts", "required: send at least one concept")
	}
	if len(ps) > g.s.limits.MaxConcepts {
		return nil, g.s.toStatus(ctx, method, &tolk.Error{Code: tolk.ELIMIT, Field: "concepts",
			Message: fmt.Sprintf("%d concepts in one request is more than the limit of %d; send them in batches or use ImportGlossary", len(ps), g.s.limits.MaxConcepts)})
	}
	cs := make([]glossary.Concept, len(ps))
	for i, p := range ps {
		if len(p.GetTerms()) == 0 {
			return nil, invalid(fieldIndex("concepts", i, "terms"), "a concept needs at least one term")
		}
		for j, t := range p.GetTerms() {
			if t.GetText() == "" {
				return nil, invalid(fmt.Sprintf("concepts[%d].terms[%d].text", i, j), "required: a term needs a text")
			}
			if t.GetLanguage() == "" {
				return nil, invalid(fmt.Sprintf("concepts[%d].terms[%d].language", i, j), "required: a language tag such as \"nl\" or \"en\"")
			}
		}
		cs[i] = conceptFromProto(p)
	}
	res, err := g.s.gl.Upsert(ctx, cs)
	if err != nil {
		return nil, g.s.toStatus(ctx, method, err)
	}
	return &tolkv1.UpsertTermsResponse{Created: int32(res.Created), Updated: int32(res.Updated), ConceptIds: res.IDs}, nil
}

func (g *glossaryService) DeleteTerm(ctx context.Context, req *tolkv1.DeleteTermRequest) (*tolkv1.DeleteTermResponse, error) {
	if req.GetConceptId() == "" {
		return nil, invalid("concept_id", "required: the id of the concept to delete")
	}
	if err := g.s.gl.Delete(ctx, req.GetConceptId()); err != nil {
		return nil, g.s.toStatus(ctx, "DeleteTerm", err)
	}
	return &tolkv1.DeleteTermResponse{}, nil
}

func formatFromProto(f tolkv1.GlossaryFormat) termfile.Format {
	switch f {
	case tolkv1.GlossaryFormat_GLOSSARY_FORMAT_TBX:
		return termfile.TBX
	case tolkv1.GlossaryFormat_GLOSSARY_FORMAT_CSV:
		return termfile.CSV
	case tolkv1.GlossaryFormat_GLOSSARY_FORMAT_TSV:
		return termfile.TSV
	case tolkv1.GlossaryFormat_GLOSSARY_FORMAT_JSONL:
		return termfile.JSONL
	}
	return termfile.AutoDetect
}

// ImportGlossary reads the file from the stream as it arrives and stores it
// with Store.Import, which commits in batches and rebuilds the recognizer
// once at the end.
func (g *glossaryService) ImportGlossary(stream tolkv1.GlossaryService_ImportGlossaryServer) error {
	const method = "ImportGlossary"
	ctx := stream.Context()
	first, err := stream.Recv()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return invalid("chunk", "the stream was empty: send the file in chunks")
		}
		return err
	}
	r := chunkReader(first.GetChunk(), func() ([]byte, error) {
		msg, err := stream.Recv()
		return msg.GetChunk(), err
	})
	dec, err := termfile.NewDecoder(r, formatFromProto(first.GetFormat()), termfile.Options{SourceLang: first.GetSourceLanguage(), TargetLang: first.GetTargetLanguage(), Encoding: first.GetEncoding()})
	if err != nil {
		return g.s.toStatus(ctx, method, err)
	}
	var terms int64
	res, err := g.s.gl.Import(ctx, func() (glossary.Concept, error) {
		c, err := dec.Next()
		terms += int64(len(c.Terms))
		return c, err
	}, nil)
	concepts := int64(res.Created + res.Updated)
	if err != nil {
		return g.s.toStatus(ctx, method, fmt.Errorf("%w (%d concepts were committed before the error)", err, concepts))
	}
	return stream.SendAndClose(&tolkv1.ImportGlossaryResponse{Concepts: concepts, Terms: terms, Skipped: int64(dec.Skipped()), Warnings: res.Warnings})
}

func (g *glossaryService) ExportGlossary(req *tolkv1.ExportGlossaryRequest, stream tolkv1.GlossaryService_ExportGlossaryServer) error {
	const method = "ExportGlossary"
	ctx := stream.Context()
	format := formatFromProto(req.GetFormat())
	if format == termfile.AutoDetect {
		return invalid("format", "required: TBX, CSV, TSV or JSONL")
	}
	cw := newChunkWriter(func(b []byte) error {
		return stream.Send(&tolkv1.ExportGlossaryResponse{Chunk: b})
	})
	enc, err := termfile.NewEncoder(cw, format)
	if err != nil {
		return g.s.toStatus(ctx, method, err)
	}
	filter := glossary.Filter{
		Subject:      req.GetSubject(),
		Status:       statusFromProto(req.GetStatus()),
		ChangedSince: timeFromProto(req.GetChangedSince()),
	}
	if err := g.s.gl.Each(ctx, filter, enc.Encode); err != nil {
		return g.s.toStatus(ctx, method, err)
	}
	if err := enc.Close(); err != nil {
		return g.s.toStatus(ctx, method, err)
	}
	return g.s.toStatus(ctx, method, cw.Flush())
}
