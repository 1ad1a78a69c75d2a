package server_test

import (
	"context"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/server"
)

// TestListConceptsAndSearchPages walks the seed glossary (862 concepts)
// page by page and checks the pages against one big page, and a search
// in pages against the same search in one answer.
func TestListConceptsAndSearchPages(t *testing.T) {
	ctx := context.Background()
	gl := tolkv1.NewGlossaryServiceClient(startServer(t, server.Limits{}))
	all, err := gl.ListConcepts(ctx, &tolkv1.ListConceptsRequest{PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(all.GetConcepts()); n < 800 || all.GetNextPageToken() != "" {
		t.Fatalf("one page of 1000: %d concepts, next %q", n, all.GetNextPageToken())
	}
	var ids []string
	req := &tolkv1.ListConceptsRequest{PageSize: 100}
	for {
		resp, err := gl.ListConcepts(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range resp.GetConcepts() {
			ids = append(ids, c.GetId())
		}
		if req.PageToken = resp.GetNextPageToken(); req.PageToken == "" {
			break
		}
	}
	if len(ids) != len(all.GetConcepts()) {
		t.Fatalf("pages of 100 gave %d concepts, one page %d", len(ids), len(all.GetConcepts()))
	}
	for i, c := range all.GetConcepts() {
		if ids[i] != c.GetId() {
			t.Fatalf("concept %d: %s in pages, %s in one page", i, ids[i], c.GetId())
		}
	}
	first := all.GetConcepts()[0]
	got, err := gl.GetConcept(ctx, &tolkv1.GetConceptRequest{ConceptId: first.GetId()})
	if err != nil || got.GetConcept().GetId() != first.GetId() || len(got.GetConcept().GetTerms()) != len(first.GetTerms()) {
		t.Fatalf("GetConcept(%s): %v, %v", first.GetId(), got, err)
	}
	none, err := gl.ListConcepts(ctx, &tolkv1.ListConceptsRequest{Subject: "no such subject"})
	if err != nil || len(none.GetConcepts()) != 0 {
		t.Fatalf("a subject no concept has: %v, %v", none, err)
	}
	if sub := first.GetSubject(); sub != "" {
		bySub, err := gl.ListConcepts(ctx, &tolkv1.ListConceptsRequest{Subject: sub, PageSize: 1000})
		if err != nil || len(bySub.GetConcepts()) == 0 || len(bySub.GetConcepts()) == len(all.GetConcepts()) {
			t.Fatalf("subject %q: %d concepts, %v", sub, len(bySub.GetConcepts()), err)
		}
	}

	whole, err := gl.SearchTerms(ctx, &tolkv1.SearchTermsRequest{Query: "mi", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.GetConcepts()) < 5 || whole.GetNextPageToken() != "" {
		t.Fatalf("search mi: %d concepts, next %q", len(whole.GetConcepts()), whole.GetNextPageToken())
	}
	var found []string
	sreq := &tolkv1.SearchTermsRequest{Query: "mi", Limit: 2}
	for {
		resp, err := gl.SearchTerms(ctx, sreq)
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.GetConcepts()) > 2 {
			t.Fatalf("a page of %d", len(resp.GetConcepts()))
		}
		for _, c := range resp.GetConcepts() {
			found = append(found, c.GetId())
		}
		if sreq.PageToken = resp.GetNextPageToken(); sreq.PageToken == "" {
			break
		}
	}
	if len(found) != len(whole.GetConcepts()) {
		t.Fatalf("search in pages of 2: %d concepts, in one answer %d", len(found), len(whole.GetConcepts()))
	}
	for i, c := range whole.GetConcepts() {
		if found[i] != c.GetId() {
			t.Fatalf("search result %d: %s in pages, %s in one", i, found[i], c.GetId())
		}
	}
	p1, _ := gl.SearchTerms(ctx, &tolkv1.SearchTermsRequest{Query: "mi", Limit: 2})
	_, err = gl.SearchTerms(ctx, &tolkv1.SearchTermsRequest{Query: "ma", Limit: 2, PageToken: p1.GetNextPageToken()})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("a search token for another query: %v", err)
	}
}

func TestListTokensPages(t *testing.T) {
	conn, admin, _ := startServerWithTokens(t, server.Limits{})
	ctx := withToken(context.Background(), admin)
	adm := tolkv1.NewAdminServiceClient(conn)
	var names []string
	req := &tolkv1.ListTokensRequest{PageSize: 1}
	for {
		resp, err := adm.ListTokens(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.GetTokens()) != 1 {
			t.Fatalf("a page of %d tokens", len(resp.GetTokens()))
		}
		names = append(names, resp.GetTokens()[0].GetName())
		if req.PageToken = resp.GetNextPageToken(); req.PageToken == "" {
			break
		}
	}
	if len(names) != 2 || names[0] != "admin" || names[1] != "reader" {
		t.Fatalf("tokens in pages of 1: %v", names)
	}
}
