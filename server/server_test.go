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
	"google.golang.org/genproto/googleapis/rpc/errdetails"
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
	ctx := context.Background()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "tolk.db"), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	mem, err := memory.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	gl, err := glossary.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seeds.Load(ctx, mem, gl); err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{DB: db, Memory: mem, Glossary: gl, Limits: limits})
	g := grpc.NewServer(srv.ServerOptions()...)
	srv.Register(g)
	return dialBufconn(t, g)
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

// TestErrorMapping checks that each kind of bad request gets its gRPC code
// and, for invalid arguments, a field violation naming the field.
func TestErrorMapping(t *testing.T) {
	conn := startServer(t, server.Limits{MaxTextBytes: 1000, MaxUnits: 5, MaxSegments: 3})
	ctx := context.Background()
	mem := tolkv1.NewMemoryServiceClient(conn)
	tr := tolkv1.NewTranslationServiceClient(conn)
	gl := tolkv1.NewGlossaryServiceClient(conn)
	tests := []struct {
		name  string
		call  func() error
		code  codes.Code
		field string
	}{
		{"empty text", func() error { _, err := tr.Translate(ctx, &tolkv1.TranslateRequest{}); return err }, codes.InvalidArgument, "text"},
		{"blank lookup", func() error { _, err := mem.Lookup(ctx, &tolkv1.LookupRequest{Text: "  "}); return err }, codes.InvalidArgument, "text"},
		{"min score out of range", func() error {
			_, err := mem.Lookup(ctx, &tolkv1.LookupRequest{Text: "x", MinScore: 20})
			return err
		}, codes.InvalidArgument, "min_score"},
		{"unit without target", func() error {
			_, err := mem.AddUnits(ctx, &tolkv1.AddUnitsRequest{Memory: "seed", Units: []*tolkv1.Unit{{Source: "a"}}})
			return err
		}, codes.InvalidArgument, "units[0].target"},
		{"unknown memory", func() error {
			_, err := mem.AddUnits(ctx, &tolkv1.AddUnitsRequest{Memory: "nope", Units: []*tolkv1.Unit{{Source: "a", Target: "b"}}})
			return err
		}, codes.NotFound, ""},
		{"delete unknown unit", func() error {
			_, err := mem.DeleteUnit(ctx, &tolkv1.DeleteUnitRequest{Memory: "seed", UnitId: 999999})
			return err
		}, codes.NotFound, ""},
		{"memory exists", func() error {
			_, err := mem.CreateMemory(ctx, &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{Name: "seed", SourceLanguage: "nl", TargetLanguage: "en"}})
			return err
		}, codes.AlreadyExists, ""},
		{"text too long", func() error {
			_, err := tr.Translate(ctx, &tolkv1.TranslateRequest{Text: strings.Repeat("a ", 600)})
			return err
		}, codes.ResourceExhausted, ""},
		{"blank terms text", func() error { _, err := gl.LookupTerms(ctx, &tolkv1.LookupTermsRequest{Text: "\n"}); return err }, codes.InvalidArgument, "text"},
		{"bad language", func() error {
			_, err := tr.Segment(ctx, &tolkv1.SegmentRequest{Text: "Zin.", Language: "fr"})
			return err
		}, codes.InvalidArgument, "language"},
		{"bad SRX", func() error {
			_, err := tr.Segment(ctx, &tolkv1.SegmentRequest{Text: "Zin.", Srx: "<srx"})
			return err
		}, codes.InvalidArgument, "srx"},
		{"unknown concept", func() error {
			_, err := gl.DeleteTerm(ctx, &tolkv1.DeleteTermRequest{ConceptId: "no-such"})
			return err
		}, codes.NotFound, ""},
		{"concept without terms", func() error {
			_, err := gl.UpsertTerms(ctx, &tolkv1.UpsertTermsRequest{Concepts: []*tolkv1.Concept{{Id: "x"}}})
			return err
		}, codes.InvalidArgument, "concepts[0].terms"},
		{"export without format", func() error {
			s, err := gl.ExportGlossary(ctx, &tolkv1.ExportGlossaryRequest{})
			if err != nil {
				return err
			}
			_, err = s.Recv()
			return err
		}, codes.InvalidArgument, "format"},
		{"too many segments", func() error {
			_, err := tr.Translate(ctx, &tolkv1.TranslateRequest{Text: "Een. Twee. Drie. Vier."})
			return err
		}, codes.ResourceExhausted, ""},
		{"too many units", func() error {
			units := make([]*tolkv1.Unit, 6)
			for i := range units {
				units[i] = &tolkv1.Unit{Source: "a", Target: "b"}
			}
			_, err := mem.AddUnits(ctx, &tolkv1.AddUnitsRequest{Memory: "seed", Units: units})
			return err
		}, codes.ResourceExhausted, ""},
		{"malformed TMX", func() error {
			return importTMX(ctx, mem, "broken", "<tmx version=\"1.4\"><header srclang=\"nl\"/><body><tu><tuv xml:lang=\"nl\"><seg>a</seg></tuv><tuv xml:lang=\"en\"><seg>b</seg></tuv></tu><tu><tuv xml:lang=\"nl\"><seg>c</tuv></tu></body></tmx>")
		}, codes.InvalidArgument, ""},
		{"invalid TBX", func() error {
			s, err := gl.ImportGlossary(ctx)
			if err != nil {
				return err
			}
			s.Send(&tolkv1.ImportGlossaryRequest{Format: tolkv1.GlossaryFormat_GLOSSARY_FORMAT_TBX, Chunk: []byte("<tbx><text><body><conceptEntry")})
			_, err = s.CloseAndRecv()
			return err
		}, codes.InvalidArgument, ""},
		{"deadline", func() error {
			dctx, cancel := context.WithTimeout(ctx, time.Nanosecond)
			defer cancel()
			time.Sleep(time.Millisecond)
			_, err := tr.Translate(dctx, &tolkv1.TranslateRequest{Text: "Een zin."})
			return err
		}, codes.DeadlineExceeded, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			st := status.Convert(err)
			if st.Code() != tt.code {
				t.Fatalf("code = %v (%q), want %v", st.Code(), st.Message(), tt.code)
			}
			if st.Message() == "" {
				t.Error("empty message")
			}
			if tt.field == "" {
				return
			}
			var fields []string
			for _, d := range st.Details() {
				if br, ok := d.(*errdetails.BadRequest); ok {
					for _, v := range br.GetFieldViolations() {
						fields = append(fields, v.GetField())
					}
				}
			}
			if len(fields) != 1 || fields[0] != tt.field {
				t.Errorf("field violations = %q, want [%q]", fields, tt.field)
			}
		})
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
