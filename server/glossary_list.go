package server

import (
	"context"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

func (g *glossaryService) GetConcept(ctx context.Context, req *tolkv1.GetConceptRequest) (*tolkv1.GetConceptResponse, error) {
	if req.GetConceptId() == "" {
		return nil, tolk.Invalidf("concept_id", "required: the id of the concept")
	}
	c, err := g.s.gl.Concept(ctx, req.GetConceptId())
	if err != nil {
		return nil, notFoundAt(err, map[tolk.Reason]string{tolk.ReasonConceptNotFound: "concept_id"})
	}
	return &tolkv1.GetConceptResponse{Concept: conceptToProto(c)}, nil
}

func (g *glossaryService) ListConcepts(ctx context.Context, req *tolkv1.ListConceptsRequest) (*tolkv1.ListConceptsResponse, error) {
	status, err := statusFromProto("status", req.GetStatus())
	if err != nil {
		return nil, err
	}
	since, err := timeFromProto("changed_since", req.GetChangedSince())
	if err != nil {
		return nil, err
	}
	page, err := g.s.gl.ListConcepts(ctx, glossary.Filter{Subject: req.GetSubject(), Status: status, ChangedSince: since},
		int(req.GetPageSize()), req.GetPageToken())
	if err != nil {
		return nil, err
	}
	resp := &tolkv1.ListConceptsResponse{NextPageToken: page.NextPageToken}
	for _, c := range page.Concepts {
		resp.Concepts = append(resp.Concepts, conceptToProto(c))
	}
	return resp, nil
}
