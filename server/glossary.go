package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

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
		return nil, err
	}
	at, err := timeFromProto("at", req.GetAt())
	if err != nil {
		return nil, err
	}
	if at.IsZero() {
		at = g.s.now()
	}
	unit, err := offsetUnitFromProto("offset_unit", req.GetOffsetUnit())
	if err != nil {
		return nil, err
	}
	if err := g.s.gl.CheckGlossaries("glossaries", req.GetGlossaries()); err != nil {
		return nil, err
	}
	hits := g.s.gl.FindIn(req.GetText(), at, req.GetGlossaries())
	resp := &tolkv1.LookupTermsResponse{Hits: make([]*tolkv1.TermHit, len(hits))}
	for i, h := range hits {
		resp.Hits[i] = hitToProto(h)
	}
	newOffsets(req.GetText(), unit).hits(resp.Hits)
	return resp, nil
}

func (g *glossaryService) SearchTerms(ctx context.Context, req *tolkv1.SearchTermsRequest) (*tolkv1.SearchTermsResponse, error) {
	if err := checkText("query", req.GetQuery(), 1<<10); err != nil {
		return nil, err
	}
	cs, next, err := g.s.gl.SearchPage(ctx, glossary.SearchQuery{Text: req.GetQuery(), Lang: req.GetLanguage(), Fuzzy: req.GetFuzzy(), Limit: int(req.GetLimit())}, req.GetPageToken())
	if err != nil {
		return nil, inRequest(err, renamed(map[string]string{"text": "query"}))
	}
	resp := &tolkv1.SearchTermsResponse{NextPageToken: next}
	for _, c := range cs {
		resp.Concepts = append(resp.Concepts, conceptToProto(c))
	}
	return resp, nil
}

func (g *glossaryService) UpsertTerms(ctx context.Context, req *tolkv1.UpsertTermsRequest) (*tolkv1.UpsertTermsResponse, error) {
	ps := req.GetConcepts()
	if len(ps) == 0 {
		return nil, tolk.Invalidf("concepts", "required: send at least one concept")
	}
	if len(ps) > g.s.limits.MaxConcepts {
		return nil, &tolk.Error{Code: tolk.ELIMIT, Reason: tolk.ReasonTooManyItems, Field: "concepts",
			Message: fmt.Sprintf("%d concepts in one request is more than the limit of %d; send them in batches or use ImportGlossary", len(ps), g.s.limits.MaxConcepts)}
	}
	if err := g.s.gl.CheckGlossary("glossary", req.GetGlossary()); err != nil {
		return nil, err
	}
	cs := make([]glossary.Concept, len(ps))
	for i, p := range ps {
		// glossary.Validate checks the concepts, after Normalize has dropped
		// terms without text, as a file import needs; on the wire such a term
		// is a mistake, and refused here while its index is still the
		// request's.
		for j, t := range p.GetTerms() {
			if strings.TrimSpace(t.GetText()) == "" {
				return nil, tolk.Invalidf(fmt.Sprintf("concepts[%d].terms[%d].text", i, j), "required: a term needs a text")
			}
		}
		c, err := conceptFromProto(fieldIndex("concepts", i, ""), p)
		if err != nil {
			return nil, err
		}
		c.Glossary = req.GetGlossary()
		cs[i] = c
	}
	res, err := g.s.w.UpsertConcepts(ctx, cs)
	if err != nil {
		return nil, inRequest(err, func(f string) string {
			if p, ok := strings.CutSuffix(f, ".lang"); ok {
				return p + ".language"
			}
			return f
		})
	}
	return &tolkv1.UpsertTermsResponse{Created: int32(res.Created), Updated: int32(res.Updated), ConceptIds: res.IDs}, nil
}

func (g *glossaryService) DeleteTerm(ctx context.Context, req *tolkv1.DeleteTermRequest) (*tolkv1.DeleteTermResponse, error) {
	if req.GetConceptId() == "" {
		return nil, tolk.Invalidf("concept_id", "required: the id of the concept to delete")
	}
	if err := g.s.w.DeleteConcept(ctx, req.GetConceptId()); err != nil {
		return nil, err
	}
	return &tolkv1.DeleteTermResponse{}, nil
}

// ImportGlossary reads the file from the stream as it arrives and stores it
// with Store.Import, which commits in batches and rebuilds the recognizer
// once at the end.
func (g *glossaryService) ImportGlossary(stream tolkv1.GlossaryService_ImportGlossaryServer) error {
	ctx := stream.Context()
	first, err := stream.Recv()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return tolk.Invalidf("chunk", "the stream was empty: send the file in chunks")
		}
		return err
	}
	r := chunkReader(first.GetChunk(), func() ([]byte, error) {
		msg, err := stream.Recv()
		return msg.GetChunk(), err
	})
	format, err := formatFromProto("format", first.GetFormat())
	if err != nil {
		return err
	}
	if err := g.s.gl.CheckGlossary("glossary", first.GetGlossary()); err != nil {
		return err
	}
	dec, err := termfile.NewDecoder(r, format, termfile.Options{SourceLang: first.GetSourceLanguage(), TargetLang: first.GetTargetLanguage(), Encoding: first.GetEncoding()})
	if err != nil {
		return importOptionError(err)
	}
	src := &termCounter{Decoder: dec}
	res, err := g.s.w.ImportGlossary(ctx, first.GetGlossary(), src, func(stored int) {
		g.s.log.InfoContext(ctx, "glossary import batch committed", "glossary", first.GetGlossary(), "committed", stored)
	})
	terms := src.terms
	concepts := int64(res.Created + res.Updated)
	if err != nil {
		return fmt.Errorf("%w (%d concepts were committed before the error)", fileError("chunk", err), concepts)
	}
	return stream.SendAndClose(&tolkv1.ImportGlossaryResponse{Concepts: concepts, Terms: terms, Skipped: int64(dec.Skipped()), Warnings: res.Warnings})
}

// termCounter counts the terms of the concepts a Decoder returns; its Pos
// names records in the import's warnings.
type termCounter struct {
	*termfile.Decoder
	terms int64
}

// Next returns the decoder's next concept.
func (c *termCounter) Next() (glossary.Concept, error) {
	con, err := c.Decoder.Next()
	c.terms += int64(len(con.Terms))
	return con, err
}

// importOptionError maps an error of termfile.NewDecoder: one about an
// import option (an unknown encoding, a bad language, or languages the
// file does not show and the request must give) names the request field;
// any other is about the file (fileError).
func importOptionError(err error) error {
	switch tolk.ErrorField(err) {
	case "encoding", "source_language", "target_language", "source_lang", "target_lang":
		return inRequest(err, renamed(map[string]string{"source_lang": "source_language", "target_lang": "target_language"}))
	}
	return fileError("chunk", err)
}

func (g *glossaryService) ExportGlossary(req *tolkv1.ExportGlossaryRequest, stream tolkv1.GlossaryService_ExportGlossaryServer) error {
	ctx := stream.Context()
	format, err := formatFromProto("format", req.GetFormat())
	if err != nil {
		return err
	}
	if format == termfile.AutoDetect {
		return tolk.Invalidf("format", "required: TBX, TBX2, CSV, TSV or JSONL")
	}
	status, err := statusFromProto("status", req.GetStatus())
	if err != nil {
		return err
	}
	since, err := timeFromProto("changed_since", req.GetChangedSince())
	if err != nil {
		return err
	}
	if err := g.s.gl.CheckGlossary("glossary", req.GetGlossary()); err != nil {
		return err
	}
	cw := newChunkWriter(func(b []byte) error {
		return stream.Send(&tolkv1.ExportGlossaryResponse{Chunk: b})
	})
	enc, err := termfile.NewEncoder(cw, format)
	if err != nil {
		return err
	}
	filter := glossary.Filter{
		Subject:      req.GetSubject(),
		Status:       status,
		ChangedSince: since,
		Glossary:     req.GetGlossary(),
	}
	if err := g.s.gl.Each(ctx, filter, enc.Encode); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return cw.Flush()
}

func glossaryToProto(g glossary.Glossary) *tolkv1.Glossary {
	return &tolkv1.Glossary{
		Name:           g.Name,
		Description:    g.Description,
		SourceLanguage: g.SourceLang,
		TargetLanguage: g.TargetLang,
		CreateTime:     timeToProto(g.Created),
		UpdateTime:     timeToProto(g.Changed),
		Concepts:       int64(g.Concepts),
	}
}

func (g *glossaryService) CreateGlossary(ctx context.Context, req *tolkv1.CreateGlossaryRequest) (*tolkv1.CreateGlossaryResponse, error) {
	p := req.GetGlossary()
	created, err := g.s.w.CreateGlossary(ctx, glossary.Glossary{
		Name:        p.GetName(),
		Description: p.GetDescription(),
		SourceLang:  p.GetSourceLanguage(),
		TargetLang:  p.GetTargetLanguage(),
	})
	if err != nil {
		return nil, inRequest(err, renamed(map[string]string{
			"name": "glossary.name", "source_lang": "glossary.source_language", "target_lang": "glossary.target_language"}))
	}
	return &tolkv1.CreateGlossaryResponse{Glossary: glossaryToProto(created)}, nil
}

func (g *glossaryService) ListGlossaries(ctx context.Context, req *tolkv1.ListGlossariesRequest) (*tolkv1.ListGlossariesResponse, error) {
	page, err := g.s.gl.ListGlossaries(ctx, glossary.GlossaryQuery{Prefix: req.GetNamePrefix(), PageSize: int(req.GetPageSize()), PageToken: req.GetPageToken()})
	if err != nil {
		return nil, err
	}
	resp := &tolkv1.ListGlossariesResponse{NextPageToken: page.NextPageToken}
	for _, gl := range page.Glossaries {
		resp.Glossaries = append(resp.Glossaries, glossaryToProto(gl))
	}
	return resp, nil
}

func (g *glossaryService) UpdateGlossary(ctx context.Context, req *tolkv1.UpdateGlossaryRequest) (*tolkv1.UpdateGlossaryResponse, error) {
	if req.GetName() == "" {
		return nil, tolk.Invalidf("name", "required: the name of the glossary to update")
	}
	updated, err := g.s.w.UpdateGlossary(ctx, req.GetName(), glossary.GlossaryUpdate{
		Description: req.Description,
		SourceLang:  req.SourceLanguage,
		TargetLang:  req.TargetLanguage,
	})
	if err != nil {
		return nil, inRequest(err, renamed(map[string]string{"source_lang": "source_language", "target_lang": "target_language"}))
	}
	return &tolkv1.UpdateGlossaryResponse{Glossary: glossaryToProto(updated)}, nil
}

func (g *glossaryService) DeleteGlossary(ctx context.Context, req *tolkv1.DeleteGlossaryRequest) (*tolkv1.DeleteGlossaryResponse, error) {
	if req.GetName() == "" {
		return nil, tolk.Invalidf("name", "required: the name of the glossary to delete")
	}
	n, err := g.s.w.DeleteGlossary(ctx, req.GetName())
	if err != nil {
		return nil, err
	}
	return &tolkv1.DeleteGlossaryResponse{Concepts: int64(n)}, nil
}
