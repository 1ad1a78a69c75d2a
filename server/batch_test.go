package server_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/memory/tmgen"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/segment"
	"github.com/tolkdev/tolk/server"
	"github.com/tolkdev/tolk/translate"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
)

// seedQueries cuts the seed article into segments as a CAT tool would,
// with ids and neighbours.
func seedQueries() []*tolkv1.SegmentQuery {
	segs := segment.Split(seeds.Article())
	qs := make([]*tolkv1.SegmentQuery, len(segs))
	for i, s := range segs {
		q := &tolkv1.SegmentQuery{Id: fmt.Sprintf("seg-%d", i+1), Text: s.Text}
		if i > 0 {
			q.Prev = segs[i-1].Text
		}
		if i+1 < len(segs) {
			q.Next = segs[i+1].Text
		}
		qs[i] = q
	}
	return qs
}

// TestLookupSegments looks up the seed article's sentences as a CAT tool's
// segments: each result has its id, and the same match, draft and term
// hits as Translate gives the sentence (offsets into the segment itself).
// The stream answers two batches in order.
func TestLookupSegments(t *testing.T) {
	ctx := context.Background()
	conn := startServer(t, server.Limits{})
	tr := tolkv1.NewTranslationServiceClient(conn)
	mem := tolkv1.NewMemoryServiceClient(conn)
	qs := seedQueries()
	resp, err := mem.LookupSegments(ctx, &tolkv1.LookupSegmentsRequest{Segments: qs})
	if err != nil {
		t.Fatal(err)
	}
	whole, err := tr.Translate(ctx, &tolkv1.TranslateRequest{Text: seeds.Article()})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetResults()) != len(qs) || len(qs) != len(whole.GetSegments()) {
		t.Fatalf("%d results for %d segments (Translate: %d)", len(resp.GetResults()), len(qs), len(whole.GetSegments()))
	}
	for i, r := range resp.GetResults() {
		a, w := r.GetSegment(), whole.GetSegments()[i]
		if r.GetId() != qs[i].GetId() {
			t.Errorf("result %d has id %q, want %q", i, r.GetId(), qs[i].GetId())
		}
		if a.GetBest().GetScore() != 101 || a.GetTarget() != w.GetTarget() || len(a.GetTerms()) != len(w.GetTerms()) {
			t.Errorf("segment %d: score %d, %d terms, draft %q; Translate: %d terms, %q",
				i, a.GetBest().GetScore(), len(a.GetTerms()), a.GetTarget(), len(w.GetTerms()), w.GetTarget())
		}
		if a.GetStart() != 0 || int(a.GetEnd()) != len(qs[i].GetText()) {
			t.Errorf("segment %d spans %d–%d, want 0–%d", i, a.GetStart(), a.GetEnd(), len(qs[i].GetText()))
		}
		for _, h := range a.GetTerms() {
			if qs[i].GetText()[h.GetStart():h.GetEnd()] != h.GetText() {
				t.Errorf("segment %d: hit %q at %d–%d is %q in the segment", i, h.GetText(), h.GetStart(), h.GetEnd(), qs[i].GetText()[h.GetStart():h.GetEnd()])
			}
		}
	}
	// Without context the seed sentences are exact (100), not in-context.
	one, err := mem.LookupSegments(ctx, &tolkv1.LookupSegmentsRequest{Segments: []*tolkv1.SegmentQuery{{Id: "x", Text: qs[3].GetText()}}})
	if err != nil || one.GetResults()[0].GetSegment().GetBest().GetScore() != 100 {
		t.Errorf("a seed sentence without its neighbours: %v, %v; want score 100", one, err)
	}

	stream, err := mem.LookupSegmentsStream(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, batch := range [][]*tolkv1.SegmentQuery{qs[:4], qs[4:]} {
		if err := stream.Send(&tolkv1.LookupSegmentsStreamRequest{Segments: batch}); err != nil {
			t.Fatal(err)
		}
		got, err := stream.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if len(got.GetResults()) != len(batch) || got.GetResults()[0].GetId() != batch[0].GetId() {
			t.Errorf("stream batch: %d results, first %q; want %d, %q", len(got.GetResults()), got.GetResults()[0].GetId(), len(batch), batch[0].GetId())
		}
	}
	if err := stream.CloseSend(); err != nil {
		t.Fatal(err)
	}
}

// TestLookupSegmentsSameAsLookup checks every batch answer against what a
// CAT tool gets from one Lookup (limit 1 + DefaultAlternatives) and one
// LookupTerms call for the same segment: the same best match and
// alternatives, field for field, and the same term hits. The batch holds
// in-context, exact, fuzzy and unmatched segments, and repeated texts with
// the same and with other neighbours, so that a batch looks some of them
// up once.
func TestLookupSegmentsSameAsLookup(t *testing.T) {
	ctx := context.Background()
	conn := startServer(t, server.Limits{})
	mem := tolkv1.NewMemoryServiceClient(conn)
	gl := tolkv1.NewGlossaryServiceClient(conn)
	qs := seedQueries()
	n := len(qs)
	// Variants of one sentence give it more matches than the batch keeps.
	var variants []*tolkv1.Unit
	for _, w := range []string{"Echt.", "Zeker.", "Nou.", "Ja.", "Toch.", "Goed."} {
		variants = append(variants, &tolkv1.Unit{Source: qs[1].GetText() + " " + w, Target: "Variant " + w})
	}
	if _, err := mem.AddUnits(ctx, &tolkv1.AddUnitsRequest{Memory: seeds.MemoryName, Units: variants}); err != nil {
		t.Fatal(err)
	}
	for i, q := range qs[:n] {
		qs = append(qs,
			&tolkv1.SegmentQuery{Id: fmt.Sprintf("bare-%d", i), Text: q.GetText()},
			&tolkv1.SegmentQuery{Id: fmt.Sprintf("again-%d", i), Text: q.GetText(), Prev: q.GetPrev(), Next: q.GetNext()},
			&tolkv1.SegmentQuery{Id: fmt.Sprintf("fuzzy-%d", i), Text: strings.Replace(q.GetText(), " de ", " een ", 1) + " Echt."})
	}
	qs = append(qs, &tolkv1.SegmentQuery{Id: "none", Text: "Zeventien blauwe olifanten dansen op het dak."})
	resp, err := mem.LookupSegments(ctx, &tolkv1.LookupSegmentsRequest{Segments: qs})
	if err != nil {
		t.Fatal(err)
	}
	var fuzzy, exact, full int
	for i, r := range resp.GetResults() {
		q, a := qs[i], r.GetSegment()
		one, err := mem.Lookup(ctx, &tolkv1.LookupRequest{Text: q.GetText(), Prev: q.GetPrev(), Next: q.GetNext(), Limit: 1 + translate.DefaultAlternatives})
		if err != nil {
			t.Fatal(err)
		}
		terms, err := gl.LookupTerms(ctx, &tolkv1.LookupTermsRequest{Text: q.GetText()})
		if err != nil {
			t.Fatal(err)
		}
		if r.GetId() != q.GetId() || int(a.GetIndex()) != i {
			t.Errorf("result %d: id %q, index %d; want %q, %d", i, r.GetId(), a.GetIndex(), q.GetId(), i)
		}
		var got []*tolkv1.Match
		if a.GetBest() != nil {
			got = append([]*tolkv1.Match{a.GetBest()}, a.GetAlternatives()...)
		}
		if len(got) != len(one.GetMatches()) {
			t.Fatalf("segment %s: %d matches in the batch, %d from Lookup", q.GetId(), len(got), len(one.GetMatches()))
		}
		if len(got) == 1+translate.DefaultAlternatives {
			full++
		}
		for j, m := range one.GetMatches() {
			if !proto.Equal(got[j], m) {
				t.Errorf("segment %s match %d:\nbatch  %v\nLookup %v", q.GetId(), j, got[j], m)
			}
		}
		if len(a.GetTerms()) != len(terms.GetHits()) {
			t.Fatalf("segment %s: %d term hits in the batch, %d from LookupTerms", q.GetId(), len(a.GetTerms()), len(terms.GetHits()))
		}
		for j, h := range terms.GetHits() {
			bh := proto.Clone(a.GetTerms()[j]).(*tolkv1.TermHit)
			bh.Check = tolkv1.TermCheck_TERM_CHECK_UNSPECIFIED // the batch also checks the draft against the hit
			if !proto.Equal(bh, h) {
				t.Errorf("segment %s hit %d:\nbatch       %v\nLookupTerms %v", q.GetId(), j, bh, h)
			}
		}
		switch a.GetStatus() {
		case tolkv1.SegmentStatus_SEGMENT_STATUS_FUZZY:
			fuzzy++
		case tolkv1.SegmentStatus_SEGMENT_STATUS_EXACT:
			exact++
		}
	}
	if fuzzy == 0 || exact == 0 || full == 0 {
		t.Errorf("%d fuzzy, %d exact segments, %d with the most matches: the test needs each", fuzzy, exact, full)
	}
}

// TestLookupSegmentsOverLong: a segment longer than a lookup takes does
// not fail the batch; it comes back with status NONE and the reason. (The
// refused batches are cases of TestErrorMapping.)
func TestLookupSegmentsOverLong(t *testing.T) {
	ctx := context.Background()
	conn := startServer(t, server.Limits{})
	mem := tolkv1.NewMemoryServiceClient(conn)
	long := strings.Repeat("Een zin die maar doorgaat. ", 3000)
	resp, err := mem.LookupSegments(ctx, &tolkv1.LookupSegmentsRequest{Segments: []*tolkv1.SegmentQuery{
		{Id: "a", Text: seedQueries()[0].GetText()}, {Id: "long", Text: long}}})
	if err != nil {
		t.Fatal(err)
	}
	if s := resp.GetResults()[0].GetSegment(); s.GetBest().GetScore() != 100 {
		t.Errorf("the ordinary segment scores %d, want 100", s.GetBest().GetScore())
	}
	if s := resp.GetResults()[1].GetSegment(); s.GetSkipped() == "" || s.GetStatus() != tolkv1.SegmentStatus_SEGMENT_STATUS_NONE {
		t.Errorf("an over-long segment: status %v, skipped %q; want NONE and a reason", s.GetStatus(), s.GetSkipped())
	}
}

// TestOffsetUnits asks Segment, Translate, LookupSegments and LookupTerms
// for offsets in UTF-8 bytes, UTF-16 code units and code points, over a
// text with accents and a character outside the Basic Multilingual Plane
// (two UTF-16 units): cutting the text in that unit at each answer's
// offsets gives back the segment's or the hit's own text.
func TestOffsetUnits(t *testing.T) {
	ctx := context.Background()
	conn := startServer(t, server.Limits{})
	tr := tolkv1.NewTranslationServiceClient(conn)
	mem := tolkv1.NewMemoryServiceClient(conn)
	gl := tolkv1.NewGlossaryServiceClient(conn)
	text := "Één 😀 zin vooraf. De VN-Veiligheidsraad veroordeelde de antiterreurmaatregelen 😀 gisteren."
	cut := map[tolkv1.OffsetUnit]func(s string, start, end int32) string{
		tolkv1.OffsetUnit_OFFSET_UNIT_UNSPECIFIED: func(s string, a, b int32) string { return s[a:b] },
		tolkv1.OffsetUnit_OFFSET_UNIT_UTF16: func(s string, a, b int32) string {
			return string(utf16.Decode(utf16.Encode([]rune(s))[a:b]))
		},
		tolkv1.OffsetUnit_OFFSET_UNIT_CODE_POINTS: func(s string, a, b int32) string { return string([]rune(s)[a:b]) },
	}
	for unit, cutAt := range cut {
		t.Run(unit.String(), func(t *testing.T) {
			check := func(what, text, want string, start, end int32) {
				t.Helper()
				if got := cutAt(text, start, end); got != want {
					t.Errorf("%s at %d–%d cuts %q from the text, want %q", what, start, end, got, want)
				}
			}
			segs, err := tr.Segment(ctx, &tolkv1.SegmentRequest{Text: text, OffsetUnit: unit})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range segs.GetSegments() {
				check("Segment", text, s.GetText(), s.GetStart(), s.GetEnd())
			}
			hits := 0
			translated, err := tr.Translate(ctx, &tolkv1.TranslateRequest{Text: text, Options: &tolkv1.TranslateOptions{OffsetUnit: unit}})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range translated.GetSegments() {
				check("Translate segment", text, a.GetSource(), a.GetStart(), a.GetEnd())
				for _, h := range a.GetTerms() {
					check("Translate hit", text, h.GetText(), h.GetStart(), h.GetEnd())
					hits++
				}
			}
			terms, err := gl.LookupTerms(ctx, &tolkv1.LookupTermsRequest{Text: text, OffsetUnit: unit})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range terms.GetHits() {
				check("LookupTerms hit", text, h.GetText(), h.GetStart(), h.GetEnd())
			}
			q := segs.GetSegments()[1].GetText()
			batch, err := mem.LookupSegments(ctx, &tolkv1.LookupSegmentsRequest{
				Segments: []*tolkv1.SegmentQuery{{Id: "s", Text: q}}, Options: &tolkv1.TranslateOptions{OffsetUnit: unit}})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range batch.GetResults()[0].GetSegment().GetTerms() {
				check("LookupSegments hit", q, h.GetText(), h.GetStart(), h.GetEnd())
				hits++
			}
			if hits < 4 || len(terms.GetHits()) < 2 {
				t.Errorf("%d hits in Translate and LookupSegments, %d in LookupTerms: the test needs terms after the emoji", hits, len(terms.GetHits()))
			}
		})
	}
}

// BenchmarkLookupSegments looks up a 500-segment file (NTREX news
// sentences with their neighbours) against the seed memory alone and with
// 10,000 units generated from the parallel corpora, with the seed glossary,
// over one real TCP connection: as one LookupSegments call, and against
// two baselines: 500 Lookup calls (the matches only, as issue #16 words
// it), and 500 Lookup + 500 LookupTerms calls, which is what a CAT tool
// needs per segment to get what a batch answer carries (matches and term
// hits; the batch also adds diffs and checks). Each iteration runs all
// three, one after the other, so that they meet the same load on a shared
// machine; it reports the median of the iterations' wall-time ratios and
// the ratio of the CPU time (client and server, one process) used in all.
//
//	go test ./server -run '^$' -bench LookupSegments -benchtime 20x -v
func BenchmarkLookupSegments(b *testing.B) {
	for _, units := range []int{0, 10000} {
		b.Run(fmt.Sprintf("units=%d", units), func(b *testing.B) { benchLookupSegments(b, units) })
	}
}

func benchLookupSegments(b *testing.B, units int) {
	ctx := context.Background()
	conn, qs := batchBench(b, units, 500)
	mem := tolkv1.NewMemoryServiceClient(conn)
	gl := tolkv1.NewGlossaryServiceClient(conn)
	call := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	runs := []struct {
		name string
		run  func()
		wall []time.Duration
		cpu  time.Duration
	}{
		{name: "LookupSegments", run: func() {
			_, err := mem.LookupSegments(ctx, &tolkv1.LookupSegmentsRequest{Segments: qs})
			call(err)
		}},
		{name: "Lookup", run: func() {
			for _, q := range qs {
				_, err := mem.Lookup(ctx, &tolkv1.LookupRequest{Text: q.GetText(), Prev: q.GetPrev(), Next: q.GetNext()})
				call(err)
			}
		}},
		{name: "Lookup+LookupTerms", run: func() {
			for _, q := range qs {
				_, err := mem.Lookup(ctx, &tolkv1.LookupRequest{Text: q.GetText(), Prev: q.GetPrev(), Next: q.GetNext(), Limit: 1 + translate.DefaultAlternatives})
				call(err)
				_, err = gl.LookupTerms(ctx, &tolkv1.LookupTermsRequest{Text: q.GetText()})
				call(err)
			}
		}},
	}
	for b.Loop() {
		for i := range runs {
			w, c := time.Now(), cpuTime()
			runs[i].run()
			runs[i].wall = append(runs[i].wall, time.Since(w))
			runs[i].cpu += cpuTime() - c
		}
	}
	batch := &runs[0]
	segs := float64(len(batch.wall) * len(qs))
	for _, r := range runs[1:] {
		ratios := make([]float64, len(r.wall))
		for i := range r.wall {
			ratios[i] = float64(r.wall[i]) / float64(batch.wall[i])
		}
		slices.Sort(ratios)
		median, cpu := ratios[len(ratios)/2], float64(r.cpu)/float64(max(batch.cpu, 1))
		b.ReportMetric(median, "wall-ratio-"+r.name)
		b.ReportMetric(cpu, "cpu-ratio-"+r.name)
		b.Logf("LookupSegments vs 500× %s: median wall ratio %.1f× over %d rounds, CPU %.1f× (%.1f vs %.1f µs a segment)",
			r.name, median, len(ratios), cpu, float64(batch.cpu.Microseconds())/segs, float64(r.cpu.Microseconds())/segs)
	}
}

// batchBench starts a real server over TCP on 127.0.0.1 with a memory of
// units generated from the shared parallel corpora and the seed glossary,
// and returns a connection and n NTREX sentences as segment queries.
func batchBench(b *testing.B, units, n int) (*grpc.ClientConn, []*tolkv1.SegmentQuery) {
	b.Helper()
	ctx := context.Background()
	root, ok := shareddata.Root()
	if !ok {
		b.Skip("shared data folder not found: set TOLK_DATA")
	}
	db, mem, gl := openStores(b, true)
	pairs, err := tmgen.LoadCorpus(root)
	if err != nil {
		b.Fatal(err)
	}
	gen := tmgen.New(pairs, 1)
	batch := make([]memory.Unit, 0, units)
	for len(batch) < units {
		if u := gen.Unit(); strings.TrimSpace(u.Source) != "" {
			batch = append(batch, u)
		}
	}
	if len(batch) > 0 {
		if _, err := mem.Add(ctx, "seed", batch, memory.KeepBoth); err != nil {
			b.Fatal(err)
		}
	}
	nl, err := os.ReadFile(filepath.Join(root, "parallel/ntrex128/newstest2019-ref.nld.txt"))
	if err != nil {
		b.Fatal(err)
	}
	lines := strings.Split(strings.ReplaceAll(string(nl), "\r\n", "\n"), "\n")[:n]
	qs := make([]*tolkv1.SegmentQuery, n)
	for i, l := range lines {
		qs[i] = &tolkv1.SegmentQuery{Id: fmt.Sprint(i), Text: l}
		if i > 0 {
			qs[i].Prev = lines[i-1]
		}
		if i+1 < n {
			qs[i].Next = lines[i+1]
		}
	}
	srv := server.New(server.Config{DB: db, Memory: mem, Glossary: gl})
	g := grpc.NewServer(srv.ServerOptions()...)
	srv.Register(g)
	return dialTCP(b, serveTCP(b, g)), qs
}
