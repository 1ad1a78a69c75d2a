package server_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/server"
)

// TestNamedGlossaries drives named glossaries through a real server: the
// seeds are in "diplomatic"; a house glossary imported from a file holds
// "verdrag" as "accord"; LookupTerms and Translate follow the priority
// order given, keeping the other glossary's English as an alternative; an
// import into an unknown glossary changes nothing; export, list and delete
// work per glossary.
func TestNamedGlossaries(t *testing.T) {
	ctx := context.Background()
	conn := startServer(t, server.Limits{})
	gc := tolkv1.NewGlossaryServiceClient(conn)
	tc := tolkv1.NewTranslationServiceClient(conn)

	if _, err := gc.CreateGlossary(ctx, &tolkv1.CreateGlossaryRequest{Glossary: &tolkv1.Glossary{Name: "house", Description: "desk B", TargetLanguage: "en-GB"}}); err != nil {
		t.Fatal(err)
	}
	doc := []byte("nl,en\nverdrag,accord\nkrant,paper\n")
	if _, err := importGlossary(ctx, conn, &tolkv1.ImportGlossaryRequest{Glossary: "nope"}, doc); status.Code(err) != codes.NotFound {
		t.Fatalf("import into unknown glossary: %v, want NotFound", err)
	}
	res, err := importGlossary(ctx, conn, &tolkv1.ImportGlossaryRequest{Glossary: "house"}, doc)
	if err != nil || res.GetConcepts() != 2 {
		t.Fatalf("import into house: %v %v", res, err)
	}
	list, err := gc.ListGlossaries(ctx, &tolkv1.ListGlossariesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, g := range list.GetGlossaries() {
		counts[g.GetName()] = g.GetConcepts()
	}
	if len(counts) != 2 || counts["house"] != 2 || counts["diplomatic"] < 800 {
		t.Fatalf("glossaries after import: %v (the refused import must add no glossary)", counts)
	}
	// Paging: one a page, the token carries on.
	p1, err := gc.ListGlossaries(ctx, &tolkv1.ListGlossariesRequest{PageSize: 1})
	if err != nil || len(p1.GetGlossaries()) != 1 || p1.GetGlossaries()[0].GetName() != "diplomatic" || p1.GetNextPageToken() == "" {
		t.Fatalf("page 1: %v %v", p1, err)
	}
	p2, err := gc.ListGlossaries(ctx, &tolkv1.ListGlossariesRequest{PageSize: 1, PageToken: p1.GetNextPageToken()})
	if err != nil || len(p2.GetGlossaries()) != 1 || p2.GetGlossaries()[0].GetName() != "house" || p2.GetNextPageToken() != "" {
		t.Fatalf("page 2: %v %v", p2, err)
	}

	text := "De krant schreef over het verdrag."
	verdrag := func(hits []*tolkv1.TermHit) *tolkv1.TermHit {
		t.Helper()
		var got *tolkv1.TermHit
		for _, h := range hits {
			if h.GetText() == "verdrag" {
				if got != nil {
					t.Fatalf("two hits for verdrag: %v", hits)
				}
				got = h
			}
		}
		if got == nil {
			t.Fatalf("no hit for verdrag: %v", hits)
		}
		return got
	}
	for _, order := range [][]string{{"house", "diplomatic"}, {"diplomatic", "house"}} {
		want := map[string]string{"house": "accord", "diplomatic": "treaty"}
		lt, err := gc.LookupTerms(ctx, &tolkv1.LookupTermsRequest{Text: text, Glossaries: order})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := tc.Translate(ctx, &tolkv1.TranslateRequest{Text: text, Options: &tolkv1.TranslateOptions{Glossaries: order}})
		if err != nil {
			t.Fatal(err)
		}
		for name, hits := range map[string][]*tolkv1.TermHit{"LookupTerms": lt.GetHits(), "Translate": tr.GetSegments()[0].GetTerms()} {
			h := verdrag(hits)
			if h.GetGlossary() != order[0] || h.GetTarget() != want[order[0]] {
				t.Errorf("%s %v: hit from %q as %q, want %q from %q", name, order, h.GetGlossary(), h.GetTarget(), want[order[0]], order[0])
			}
			if o := h.GetOtherGlossaries(); len(o) != 1 || o[0].GetGlossary() != order[1] || o[0].GetTarget() != want[order[1]] || o[0].GetStart() != h.GetStart() {
				t.Errorf("%s %v: other glossaries %v, want %q from %q at the same offsets", name, order, o, want[order[1]], order[1])
			}
		}
	}
	// One glossary only: the other's terms are not found.
	lt, err := gc.LookupTerms(ctx, &tolkv1.LookupTermsRequest{Text: text, Glossaries: []string{"diplomatic"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range lt.GetHits() {
		if h.GetGlossary() != "diplomatic" || h.GetText() == "krant" {
			t.Errorf("diplomatic only: hit %v", h)
		}
	}

	// Export per glossary.
	s, err := gc.ExportGlossary(ctx, &tolkv1.ExportGlossaryRequest{Format: tolkv1.GlossaryFormat_GLOSSARY_FORMAT_TSV, Glossary: "house"})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for {
		m, err := s.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		out.Write(m.GetChunk())
	}
	if !strings.Contains(out.String(), "accord") || strings.Contains(out.String(), "treaty") {
		t.Fatalf("house export:\n%s", out.String())
	}

	up, err := gc.UpdateGlossary(ctx, &tolkv1.UpdateGlossaryRequest{Name: "house", Description: strPtr("desk C")})
	if err != nil || up.GetGlossary().GetDescription() != "desk C" || up.GetGlossary().GetTargetLanguage() != "en-GB" {
		t.Fatalf("update: %v %v", up, err)
	}
	del, err := gc.DeleteGlossary(ctx, &tolkv1.DeleteGlossaryRequest{Name: "house"})
	if err != nil || del.GetConcepts() != 2 {
		t.Fatalf("delete: %v %v", del, err)
	}
	lt, err = gc.LookupTerms(ctx, &tolkv1.LookupTermsRequest{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	if h := verdrag(lt.GetHits()); h.GetTarget() != "treaty" || len(h.GetOtherGlossaries()) != 0 {
		t.Fatalf("after deleting house: %v", h)
	}
}

func strPtr(s string) *string { return &s }
