package server_test

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	rpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"

	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/memory"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/server"
)

// startServer runs a real server over a real bbolt file in t.TempDir(),
// seeded, on an in-memory listener, and returns a connection to it.
func startServer(t *testing.T, limits server.Limits) *grpc.ClientConn {
	t.Helper()
	db, mem, gl := openStores(t, true)
	srv := server.New(server.Config{DB: db, Memory: mem, Glossary: gl, Limits: limits})
	g := grpc.NewServer(srv.ServerOptions()...)
	srv.Register(g)
	return dialBufconn(t, g)
}

// openStores opens the memory and glossary stores of a new bbolt file in
// tb.TempDir(), seeded with the seed article and glossary when seed is
// set. The file closes when the test ends.
func openStores(tb testing.TB, seed bool) (*bbolt.DB, *memory.Store, *glossary.Store) {
	tb.Helper()
	ctx := context.Background()
	db, err := bbolt.Open(filepath.Join(tb.TempDir(), "tolk.db"), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	mem, err := memory.Open(ctx, db)
	if err != nil {
		tb.Fatal(err)
	}
	gl, err := glossary.Open(ctx, db)
	if err != nil {
		tb.Fatal(err)
	}
	if seed {
		if _, err := seeds.Load(ctx, mem, gl); err != nil {
			tb.Fatal(err)
		}
	}
	return db, mem, gl
}

// serveTCP serves g on a real TCP listener on 127.0.0.1 until the test
// ends and returns its address.
func serveTCP(tb testing.TB, g *grpc.Server) string {
	tb.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go g.Serve(lis)
	tb.Cleanup(g.Stop)
	return lis.Addr().String()
}

// dialTCP returns a plaintext connection to addr that closes with the test.
func dialTCP(tb testing.TB, addr string) *grpc.ClientConn {
	tb.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	return conn
}

// dialBufconn serves g on an in-memory listener and returns a connection
// to it; both end with the test.
func dialBufconn(tb testing.TB, g *grpc.Server) *grpc.ClientConn {
	tb.Helper()
	lis := bufconn.Listen(1 << 20)
	go g.Serve(lis)
	tb.Cleanup(g.Stop)
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	return conn
}

func TestHealthAndReflection(t *testing.T) {
	conn := startServer(t, server.Limits{})
	ctx := context.Background()
	for _, svc := range []string{"", "tolk.v1.TranslationService", "tolk.v1.MemoryService", "tolk.v1.GlossaryService", "tolk.v1.AdminService"} {
		resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: svc})
		if err != nil || resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			t.Errorf("health of %q = %v, %v; want SERVING", svc, resp.GetStatus(), err)
		}
	}
	stream, err := rpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Send(&rpb.ServerReflectionRequest{MessageRequest: &rpb.ServerReflectionRequest_ListServices{}}); err != nil {
		t.Fatal(err)
	}
	resp, err := stream.Recv()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range resp.GetListServicesResponse().GetService() {
		names = append(names, s.GetName())
	}
	got := strings.Join(names, " ")
	for _, want := range []string{"tolk.v1.TranslationService", "tolk.v1.MemoryService", "tolk.v1.GlossaryService", "tolk.v1.AdminService", "grpc.health.v1.Health"} {
		if !strings.Contains(got, want) {
			t.Errorf("reflection lists %q, missing %s", got, want)
		}
	}
}

func TestTranslateSeedArticle(t *testing.T) {
	conn := startServer(t, server.Limits{})
	resp, err := tolkv1.NewTranslationServiceClient(conn).Translate(context.Background(),
		&tolkv1.TranslateRequest{Text: seeds.Article()})
	if err != nil {
		t.Fatal(err)
	}
	units, err := seeds.Units()
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetSegments()) != len(units) {
		t.Fatalf("got %d segments, want %d", len(resp.GetSegments()), len(units))
	}
	terms := 0
	for i, s := range resp.GetSegments() {
		if s.GetSource() != units[i].Source || seeds.Article()[s.GetStart():s.GetEnd()] != s.GetSource() {
			t.Errorf("segment %d: source %q at %d-%d does not match the article", i, s.GetSource(), s.GetStart(), s.GetEnd())
		}
		if s.GetTarget() != units[i].Target {
			t.Errorf("segment %d: target %q, want %q", i, s.GetTarget(), units[i].Target)
		}
		if sc := s.GetBest().GetScore(); sc < 100 {
			t.Errorf("segment %d: score %d, want 100 or 101", i, sc)
		}
		terms += len(s.GetTerms())
	}
	if terms < 30 {
		t.Errorf("found %d glossary terms in the seed article, want at least 30", terms)
	}
}

// importTMX streams a TMX document into a new memory and returns the error.
func importTMX(ctx context.Context, mem tolkv1.MemoryServiceClient, name, doc string) error {
	s, err := mem.ImportTmx(ctx)
	if err != nil {
		return err
	}
	if err := s.Send(&tolkv1.ImportTmxRequest{Memory: name, Create: true, Chunk: []byte(doc)}); err != nil {
		return err
	}
	_, err = s.CloseAndRecv()
	return err
}

// TestFailedImportKeepsCommittedUnits checks that an import that hits a bad
// record says where and why and how many units were committed, and that
// those units are stored.
func TestFailedImportKeepsCommittedUnits(t *testing.T) {
	conn := startServer(t, server.Limits{ImportBatch: 2})
	ctx := context.Background()
	mem := tolkv1.NewMemoryServiceClient(conn)
	var doc strings.Builder
	doc.WriteString(`<tmx version="1.4"><header srclang="nl" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body>`)
	for i := 0; i < 5; i++ {
		fmt.Fprintf(&doc, `<tu><tuv xml:lang="nl"><seg>zin %d</seg></tuv><tuv xml:lang="en"><seg>sentence %d</seg></tuv></tu>`, i, i)
	}
	doc.WriteString(`<tu><tuv xml:lang="nl"><seg>kapot</tuv></tu></body></tmx>`)
	err := importTMX(ctx, mem, "partial", doc.String())
	st := status.Convert(err)
	if st.Code() != codes.InvalidArgument || !strings.Contains(st.Message(), "line") || !strings.Contains(st.Message(), "5 units were committed") {
		t.Fatalf("import error = %v %q; want InvalidArgument saying the line and 5 committed units", st.Code(), st.Message())
	}
	list, err := mem.ListMemories(ctx, &tolkv1.ListMemoriesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	units := -1
	for _, m := range list.GetMemories() {
		if m.GetName() == "partial" {
			units = int(m.GetUnitCount())
		}
	}
	if units != 5 {
		t.Errorf("memory partial holds %d units (-1: it does not exist), want the 5 committed", units)
	}
}

// TestLongSegmentSkipped checks that a sentence longer than one lookup
// takes comes back unmatched with the reason, and the others translated.
func TestLongSegmentSkipped(t *testing.T) {
	conn := startServer(t, server.Limits{})
	units, err := seeds.Units()
	if err != nil {
		t.Fatal(err)
	}
	long := "Dit" + strings.Repeat(" woord", 12000) + "."
	text := units[1].Source + " " + long + " " + units[2].Source
	resp, err := tolkv1.NewTranslationServiceClient(conn).Translate(context.Background(), &tolkv1.TranslateRequest{Text: text})
	if err != nil {
		t.Fatalf("Translate with one %d-byte sentence: %v", len(long), err)
	}
	segs := resp.GetSegments()
	if len(segs) != 3 {
		t.Fatalf("%d segments, want 3", len(segs))
	}
	for i, s := range segs {
		skipped := i == 1
		if got := s.GetSkipped() != ""; got != skipped {
			t.Errorf("segment %d: skipped %q, want skipped %v", i, s.GetSkipped(), skipped)
		}
		if skipped && s.GetStatus() != tolkv1.SegmentStatus_SEGMENT_STATUS_NONE {
			t.Errorf("segment %d: status %v, want NONE", i, s.GetStatus())
		}
		if want := units[1+i/2].Target; !skipped && s.GetTarget() != want {
			t.Errorf("segment %d: target %q, want %q", i, s.GetTarget(), want)
		}
	}
}

// TestConfirmWritesNothingWhenRefused checks that a ConfirmSegments that
// names an unknown origin memory or unit stores none of its segments.
func TestConfirmWritesNothingWhenRefused(t *testing.T) {
	conn := startServer(t, server.Limits{})
	ctx := context.Background()
	tr := tolkv1.NewTranslationServiceClient(conn)
	mem := tolkv1.NewMemoryServiceClient(conn)
	for _, origin := range []*tolkv1.ConfirmedSegment{
		{Source: "Tweede zin.", Target: "Second sentence.", OriginUnitId: 1, OriginMemory: "nope"},
		{Source: "Tweede zin.", Target: "Second sentence.", OriginUnitId: 999999},
	} {
		_, err := tr.ConfirmSegments(ctx, &tolkv1.ConfirmSegmentsRequest{Memory: "seed", Segments: []*tolkv1.ConfirmedSegment{
			{Source: "Eerste bevestigde zin.", Target: "First confirmed sentence."}, origin}})
		if status.Code(err) != codes.NotFound {
			t.Fatalf("confirm with origin %d in %q: %v, want NotFound", origin.GetOriginUnitId(), origin.GetOriginMemory(), err)
		}
		resp, err := mem.Lookup(ctx, &tolkv1.LookupRequest{Text: "Eerste bevestigde zin.", MinScore: 100})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(resp.GetMatches()); n != 0 {
			t.Errorf("after the refused confirm the memory holds %d units of its first segment, want 0", n)
		}
	}
}
