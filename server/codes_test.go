package server_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/server"
)

// TestInlineCodesOnTheWire stores a unit with a pair of codes and a
// placeholder through AddUnits, and finds them again, with their kinds,
// ids and data, on the match Lookup returns and in the TMX ExportTmx
// writes (as <bpt>/<ept>/<ph> holding the escaped native code).
func TestInlineCodesOnTheWire(t *testing.T) {
	ctx := context.Background()
	conn := startServer(t, server.Limits{})
	mem := tolkv1.NewMemoryServiceClient(conn)
	codes := []*tolkv1.InlineCode{
		{Kind: tolkv1.InlineCode_KIND_OPEN, Id: "1", Data: "<b>"},
		{Kind: tolkv1.InlineCode_KIND_CLOSE, Id: "1", Data: "</b>"},
		{Kind: tolkv1.InlineCode_KIND_STANDALONE, Id: "2", Data: "<br/>"},
	}
	src := "De \U00100000minister\U00100001 reist morgen naar Brussel.\U00100002"
	trg := "The \U00100000minister\U00100001 travels to Brussels tomorrow.\U00100002"
	_, err := mem.AddUnits(ctx, &tolkv1.AddUnitsRequest{Memory: "seed", Units: []*tolkv1.Unit{
		{Source: src, Target: trg, SourceCodes: codes, TargetCodes: codes}}})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := mem.Lookup(ctx, &tolkv1.LookupRequest{Text: src})
	if err != nil || len(resp.GetMatches()) == 0 {
		t.Fatalf("lookup: %v, %v", resp, err)
	}
	m := resp.GetMatches()[0]
	if m.GetScore() != 100 || len(m.GetSourceCodes()) != 3 || len(m.GetTargetCodes()) != 3 {
		t.Fatalf("match %d with %d/%d codes, want 100 with 3/3", m.GetScore(), len(m.GetSourceCodes()), len(m.GetTargetCodes()))
	}
	for i, c := range m.GetTargetCodes() {
		if c.GetKind() != codes[i].GetKind() || c.GetId() != codes[i].GetId() || c.GetData() != codes[i].GetData() {
			t.Errorf("target code %d: %v, stored %v", i, c, codes[i])
		}
	}
	stream, err := mem.ExportTmx(ctx, &tolkv1.ExportTmxRequest{Memory: "seed"})
	if err != nil {
		t.Fatal(err)
	}
	var tmx bytes.Buffer
	for {
		msg, err := stream.Recv()
		if err != nil {
			break
		}
		tmx.Write(msg.GetChunk())
	}
	for _, want := range []string{`<bpt i="1">&lt;b&gt;</bpt>minister<ept i="1">&lt;/b&gt;</ept>`, `<ph x="2">&lt;br/&gt;</ph>`} {
		if !strings.Contains(tmx.String(), want) {
			t.Errorf("the TMX export lacks %s", want)
		}
	}
}
