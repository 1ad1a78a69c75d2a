package server_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/server"
)

// crudUnits creates memory "crud" with five units: the odd ones have the
// property domain=law, the third is changed by "anna".
func crudUnits(t *testing.T, ctx context.Context, mem tolkv1.MemoryServiceClient) []uint64 {
	t.Helper()
	if _, err := mem.CreateMemory(ctx, &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{Name: "crud", SourceLanguage: "nl", TargetLanguage: "en"}}); err != nil {
		t.Fatal(err)
	}
	var units []*tolkv1.Unit
	for i, s := range []string{"De kat zit op de mat.", "De hond slaapt.", "Het huis is groot.", "De boom is oud.", "Het water is koud."} {
		u := &tolkv1.Unit{Source: s, Target: "target " + s, ChangedBy: "bob"}
		if i%2 == 0 {
			u.Props = []*tolkv1.Prop{{Type: "domain", Value: "law"}}
		}
		if i == 2 {
			u.ChangedBy = "anna"
		}
		units = append(units, u)
	}
	resp, err := mem.AddUnits(ctx, &tolkv1.AddUnitsRequest{Memory: "crud", Units: units})
	if err != nil {
		t.Fatal(err)
	}
	return resp.GetUnitIds()
}

func TestUpdateUnitReachesLookupAndConcordance(t *testing.T) {
	ctx := context.Background()
	mem := tolkv1.NewMemoryServiceClient(startServer(t, server.Limits{}))
	ids := crudUnits(t, ctx, mem)
	before, err := mem.GetUnit(ctx, &tolkv1.GetUnitRequest{Memory: "crud", UnitId: ids[0]})
	if err != nil {
		t.Fatal(err)
	}

	// Build the target postings first, so that the update must change them.
	if c, err := mem.Concordance(ctx, &tolkv1.ConcordanceRequest{Query: "target", Memories: []string{"crud"}, SearchTarget: true}); err != nil || len(c.GetUnits()) != 5 {
		t.Fatalf("target concordance before the update: %v, %v", c, err)
	}

	// A refused update changes nothing.
	_, err = mem.UpdateUnit(ctx, &tolkv1.UpdateUnitRequest{Unit: &tolkv1.Unit{Memory: "crud", Id: ids[0], Source: "Iets anders.", Target: "x"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"target", "source"}}})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("changing the source: %v, want InvalidArgument", err)
	}
	if got, _ := mem.GetUnit(ctx, &tolkv1.GetUnitRequest{Memory: "crud", UnitId: ids[0]}); got.GetUnit().GetTarget() != before.GetUnit().GetTarget() {
		t.Fatalf("a refused update changed the target to %q", got.GetUnit().GetTarget())
	}

	resp, err := mem.UpdateUnit(ctx, &tolkv1.UpdateUnitRequest{
		Unit:       &tolkv1.Unit{Memory: "crud", Id: ids[0], Target: "The cat is sitting on the mat.", Notes: []string{"checked"}, ChangedBy: "carla"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"target", "notes"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := mem.GetUnit(ctx, &tolkv1.GetUnitRequest{Memory: "crud", UnitId: ids[0]})
	if err != nil {
		t.Fatal(err)
	}
	u := got.GetUnit()
	if u.GetTarget() != "The cat is sitting on the mat." || u.GetChangedBy() != "carla" || len(u.GetNotes()) != 1 ||
		u.GetSource() != "De kat zit op de mat." || len(u.GetProps()) != 1 || u.GetId() != ids[0] || resp.GetUnit().GetTarget() != u.GetTarget() {
		t.Fatalf("after the update the unit is %v", u)
	}
	if !u.GetCreateTime().AsTime().Equal(before.GetUnit().GetCreateTime().AsTime()) {
		t.Errorf("create time changed from %v to %v", before.GetUnit().GetCreateTime().AsTime(), u.GetCreateTime().AsTime())
	}
	lk, err := mem.Lookup(ctx, &tolkv1.LookupRequest{Text: "De kat zit op de mat.", Memories: []string{"crud"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(lk.GetMatches()) != 1 || lk.GetMatches()[0].GetTarget() != "The cat is sitting on the mat." {
		t.Fatalf("lookup after the update: %v", lk.GetMatches())
	}
	for word, want := range map[string]int{"sitting": 1, "target": 4} {
		c, err := mem.Concordance(ctx, &tolkv1.ConcordanceRequest{Query: word, Memories: []string{"crud"}, SearchTarget: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.GetUnits()) != want {
			t.Errorf("target concordance of %q after the update: %d units, want %d", word, len(c.GetUnits()), want)
		}
	}
}

func TestListUnitsFiltersAndPages(t *testing.T) {
	ctx := context.Background()
	mem := tolkv1.NewMemoryServiceClient(startServer(t, server.Limits{}))
	ids := crudUnits(t, ctx, mem)
	list := func(req *tolkv1.ListUnitsRequest) []uint64 {
		t.Helper()
		var got []uint64
		req.Memory, req.PageSize = "crud", 2
		for pages := 0; ; pages++ {
			resp, err := mem.ListUnits(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.GetUnits()) > 2 || pages > 5 {
				t.Fatalf("page of %d units, page %d", len(resp.GetUnits()), pages)
			}
			for _, u := range resp.GetUnits() {
				got = append(got, u.GetId())
			}
			if resp.GetNextPageToken() == "" {
				return got
			}
			req.PageToken = resp.GetNextPageToken()
		}
	}
	law := []*tolkv1.Prop{{Type: "domain", Value: "law"}}
	future := timestamppb.New(time.Now().Add(time.Hour))
	past := timestamppb.New(time.Now().Add(-time.Hour))
	for _, tt := range []struct {
		name string
		req  *tolkv1.ListUnitsRequest
		want []uint64
	}{
		{"all", &tolkv1.ListUnitsRequest{}, ids},
		{"prop", &tolkv1.ListUnitsRequest{Props: law}, []uint64{ids[0], ids[2], ids[4]}},
		{"prop type", &tolkv1.ListUnitsRequest{Props: []*tolkv1.Prop{{Type: "domain"}}}, []uint64{ids[0], ids[2], ids[4]}},
		{"prop nobody has", &tolkv1.ListUnitsRequest{Props: []*tolkv1.Prop{{Type: "client", Value: "none"}}}, nil},
		{"user", &tolkv1.ListUnitsRequest{ChangedBy: "anna"}, []uint64{ids[2]}},
		{"user and prop", &tolkv1.ListUnitsRequest{ChangedBy: "bob", Props: law}, []uint64{ids[0], ids[4]}},
		{"changed since an hour ago", &tolkv1.ListUnitsRequest{ChangedSince: past}, ids},
		{"changed since the future", &tolkv1.ListUnitsRequest{ChangedSince: future}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := list(tt.req)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}

	first, err := mem.ListUnits(ctx, &tolkv1.ListUnitsRequest{Memory: "crud", PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = mem.ListUnits(ctx, &tolkv1.ListUnitsRequest{Memory: "crud", PageSize: 1, Props: law, PageToken: first.GetNextPageToken()})
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "page token") {
		t.Fatalf("a token with other filters: %v, want INVALID_PAGE_TOKEN", err)
	}
	_, err = mem.ListMemories(ctx, &tolkv1.ListMemoriesRequest{PageSize: 1, PageToken: first.GetNextPageToken()})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("a ListUnits token to ListMemories: %v, want INVALID_PAGE_TOKEN", err)
	}

	var names []string
	req := &tolkv1.ListMemoriesRequest{PageSize: 1}
	for {
		resp, err := mem.ListMemories(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.GetMemories()) != 1 {
			t.Fatalf("page of %d memories", len(resp.GetMemories()))
		}
		names = append(names, resp.GetMemories()[0].GetName())
		if req.PageToken = resp.GetNextPageToken(); req.PageToken == "" {
			break
		}
	}
	all, err := mem.ListMemories(ctx, &tolkv1.ListMemoriesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != len(all.GetMemories()) || len(names) < 2 || all.GetNextPageToken() != "" {
		t.Fatalf("paged memories %v, unpaged %d", names, len(all.GetMemories()))
	}
}

func TestUpdateAndGetMemory(t *testing.T) {
	ctx := context.Background()
	mem := tolkv1.NewMemoryServiceClient(startServer(t, server.Limits{}))
	crudUnits(t, ctx, mem)
	if _, err := mem.CreateMemory(ctx, &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{Name: "empty", SourceLanguage: "nl", TargetLanguage: "en"}}); err != nil {
		t.Fatal(err)
	}
	// Languages of a memory with units: refused, nothing written.
	_, err := mem.UpdateMemory(ctx, &tolkv1.UpdateMemoryRequest{Memory: &tolkv1.Memory{Name: "crud", Description: "new", TargetLanguage: "en-GB"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"description", "target_language"}}})
	if status.Code(err) != codes.FailedPrecondition {
		t.Fatalf("changing the language of a memory with units: %v, want FailedPrecondition", err)
	}
	got, err := mem.GetMemory(ctx, &tolkv1.GetMemoryRequest{Name: "crud"})
	if err != nil {
		t.Fatal(err)
	}
	if got.GetMemory().GetDescription() != "" || got.GetMemory().GetTargetLanguage() != "en" || got.GetMemory().GetUnitCount() != 5 {
		t.Fatalf("after a refused update: %v", got.GetMemory())
	}
	if _, err := mem.UpdateMemory(ctx, &tolkv1.UpdateMemoryRequest{Memory: &tolkv1.Memory{Name: "crud", Description: "Legal texts"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := mem.UpdateMemory(ctx, &tolkv1.UpdateMemoryRequest{Memory: &tolkv1.Memory{Name: "empty", TargetLanguage: "en-GB"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"target_language"}}}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][2]string{"crud": {"Legal texts", "en"}, "empty": {"", "en-GB"}} {
		got, err := mem.GetMemory(ctx, &tolkv1.GetMemoryRequest{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		if got.GetMemory().GetDescription() != want[0] || got.GetMemory().GetTargetLanguage() != want[1] {
			t.Errorf("%s: %v, want description %q, target %q", name, got.GetMemory(), want[0], want[1])
		}
	}
}

func TestExportTmxFiltered(t *testing.T) {
	ctx := context.Background()
	mem := tolkv1.NewMemoryServiceClient(startServer(t, server.Limits{}))
	crudUnits(t, ctx, mem)
	export := func(req *tolkv1.ExportTmxRequest) string {
		t.Helper()
		req.Memory = "crud"
		s, err := mem.ExportTmx(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		for {
			m, err := s.Recv()
			if err == io.EOF {
				return b.String()
			}
			if err != nil {
				t.Fatal(err)
			}
			b.Write(m.GetChunk())
		}
	}
	for _, tt := range []struct {
		name string
		req  *tolkv1.ExportTmxRequest
		want int
	}{
		{"all", &tolkv1.ExportTmxRequest{}, 5},
		{"prop", &tolkv1.ExportTmxRequest{Props: []*tolkv1.Prop{{Type: "domain", Value: "law"}}}, 3},
		{"user", &tolkv1.ExportTmxRequest{ChangedBy: "anna"}, 1},
		{"since the future", &tolkv1.ExportTmxRequest{ChangedSince: timestamppb.New(time.Now().Add(time.Hour))}, 0},
	} {
		doc := export(tt.req)
		if n := strings.Count(doc, "<tu ") + strings.Count(doc, "<tu>"); n != tt.want {
			t.Errorf("%s: %d units exported, want %d", tt.name, n, tt.want)
		}
		if !strings.Contains(doc, "</tmx>") {
			t.Errorf("%s: not a whole TMX document", tt.name)
		}
	}
}

func TestLookupPropertyPenaltyAndBreakdown(t *testing.T) {
	ctx := context.Background()
	mem := tolkv1.NewMemoryServiceClient(startServer(t, server.Limits{}))
	crudUnits(t, ctx, mem)
	for _, tt := range []struct {
		props   []*tolkv1.Prop
		score   int32
		penalty int32
	}{
		{nil, 100, 0},
		{[]*tolkv1.Prop{{Type: "domain", Value: "law"}}, 100, 0},
		{[]*tolkv1.Prop{{Type: "domain", Value: "medicine"}}, 98, 2},
		{[]*tolkv1.Prop{{Type: "client", Value: "x"}}, 99, 1},
	} {
		resp, err := mem.Lookup(ctx, &tolkv1.LookupRequest{Text: "De kat zit op de mat.", Memories: []string{"crud"}, Props: tt.props})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.GetMatches()) != 1 {
			t.Fatalf("props %v: %d matches", tt.props, len(resp.GetMatches()))
		}
		m := resp.GetMatches()[0]
		var pen int32
		for _, p := range m.GetBreakdown().GetPenalties() {
			if p.GetReason() == "property mismatch" {
				pen = p.GetPoints()
			}
		}
		if m.GetScore() != tt.score || pen != tt.penalty {
			t.Errorf("props %v: score %d, property penalty %d; want %d, %d", tt.props, m.GetScore(), pen, tt.score, tt.penalty)
		}
	}
	resp, err := mem.Lookup(ctx, &tolkv1.LookupRequest{Text: "De kat zit op het matje.", Memories: []string{"crud"}, MinScore: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetMatches()) != 1 {
		t.Fatalf("%d fuzzy matches", len(resp.GetMatches()))
	}
	bd := resp.GetMatches()[0].GetBreakdown()
	if bd.GetCost() <= 0 || bd.GetLength() <= 0 || bd.GetSimilarity() != (100*(bd.GetLength()-bd.GetCost()))/bd.GetLength() || bd.GetSimilarity() != resp.GetMatches()[0].GetScore() {
		t.Errorf("breakdown %v, score %d: similarity must be floor(100 × (length − cost) / length)", bd, resp.GetMatches()[0].GetScore())
	}
}
