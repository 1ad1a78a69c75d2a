package server_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/tolkdev/tolk/glossary"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/server"
)

// importGlossary streams doc in two chunks as the first message req
// describes and returns the server's answer.
func importGlossary(ctx context.Context, conn *grpc.ClientConn, req *tolkv1.ImportGlossaryRequest, doc []byte) (*tolkv1.ImportGlossaryResponse, error) {
	s, err := tolkv1.NewGlossaryServiceClient(conn).ImportGlossary(ctx)
	if err != nil {
		return nil, err
	}
	half := len(doc) / 2
	req.Chunk = doc[:half]
	if err := s.Send(req); err != nil {
		return nil, err
	}
	if err := s.Send(&tolkv1.ImportGlossaryRequest{Chunk: doc[half:]}); err != nil {
		return nil, err
	}
	return s.CloseAndRecv()
}

// TestImportGlossaryEncoding checks that the request's encoding reaches the
// reader: a Latin-1 TSV is InvalidArgument naming the line without it and
// is stored right with it.
func TestImportGlossaryEncoding(t *testing.T) {
	ctx := context.Background()
	conn := startServer(t, server.Limits{})
	doc := []byte("vredesoverleg\tpeace talks\nco\xF6rdinator\tcoordinator\n")
	_, err := importGlossary(ctx, conn, &tolkv1.ImportGlossaryRequest{Format: tolkv1.GlossaryFormat_GLOSSARY_FORMAT_TSV, SourceLanguage: "nl", TargetLanguage: "en"}, doc)
	if st := status.Convert(err); st.Code() != codes.InvalidArgument {
		t.Fatalf("without encoding: %v, want InvalidArgument", err)
	}
	res, err := importGlossary(ctx, conn, &tolkv1.ImportGlossaryRequest{Format: tolkv1.GlossaryFormat_GLOSSARY_FORMAT_TSV, SourceLanguage: "nl", TargetLanguage: "en", Encoding: "windows-1252"}, doc)
	if err != nil {
		t.Fatal(err)
	}
	if res.GetConcepts() != 2 {
		t.Errorf("stored %d concepts, want 2", res.GetConcepts())
	}
	found, err := tolkv1.NewGlossaryServiceClient(conn).SearchTerms(ctx, &tolkv1.SearchTermsRequest{Query: "coördinator", Language: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, c := range found.GetConcepts() {
		for _, term := range c.GetTerms() {
			texts = append(texts, term.GetText())
		}
	}
	if !slices.Contains(texts, "coördinator") {
		t.Errorf("search for coördinator found %q", texts)
	}
}

// dialEmptyServer is startServer on a real TCP listener on 127.0.0.1, over
// an empty (unseeded) database, and a connection to it.
func dialEmptyServer(t *testing.T) *grpc.ClientConn {
	t.Helper()
	db, mem, gl := openStores(t, false)
	srv := server.New(server.Config{DB: db, Memory: mem, Glossary: gl})
	g := grpc.NewServer(srv.ServerOptions()...)
	srv.Register(g)
	return dialTCP(t, serveTCP(t, g))
}

// TestStalledImportBlocksNoOne sends a glossary import of more than one
// batch and stops in the middle of a line: once the first batch is
// committed (the import is provably under way), other glossary writes,
// reads and Stats must answer within a normal deadline; then the client
// sends the rest and the import completes. Before the store read the
// stream outside its lock, UpsertTerms and Stats waited for the stalled
// client.
func TestStalledImportBlocksNoOne(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn := dialEmptyServer(t)
	gl := tolkv1.NewGlossaryServiceClient(conn)
	var doc strings.Builder
	for i := range glossary.ImportBatch + 1 {
		fmt.Fprintf(&doc, "stalwoord%d\tstall word %d\ta note long enough to pass the 64 KiB that detection reads\n", i, i)
	}
	body := doc.String()
	cut := strings.LastIndex(body, "\n") - 3 // in the middle of the last line
	s, err := gl.ImportGlossary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(&tolkv1.ImportGlossaryRequest{Format: tolkv1.GlossaryFormat_GLOSSARY_FORMAT_TSV, SourceLanguage: "nl", TargetLanguage: "en", Chunk: []byte(body[:cut])}); err != nil {
		t.Fatal(err)
	}
	last := fmt.Sprintf("stalwoord%d", glossary.ImportBatch-1)
	for found := false; !found; time.Sleep(20 * time.Millisecond) {
		res, err := gl.SearchTerms(ctx, &tolkv1.SearchTermsRequest{Query: last, Language: "nl"})
		if err != nil {
			t.Fatal(err)
		}
		found = len(res.GetConcepts()) > 0
	}
	quick := func(name string, call func(context.Context) error) {
		t.Helper()
		qctx, qcancel := context.WithTimeout(ctx, 2*time.Second)
		defer qcancel()
		start := time.Now()
		if err := call(qctx); err != nil {
			t.Errorf("%s during a stalled import: %v after %v", name, err, time.Since(start))
		}
	}
	quick("UpsertTerms", func(ctx context.Context) error {
		_, err := gl.UpsertTerms(ctx, &tolkv1.UpsertTermsRequest{Concepts: []*tolkv1.Concept{{Terms: []*tolkv1.Term{
			{Language: "nl", Text: "tussendoor"}, {Language: "en", Text: "meanwhile"}}}}})
		return err
	})
	quick("DeleteTerm", func(ctx context.Context) error {
		_, err := gl.DeleteTerm(ctx, &tolkv1.DeleteTermRequest{ConceptId: "c1"})
		return err
	})
	quick("LookupTerms", func(ctx context.Context) error {
		_, err := gl.LookupTerms(ctx, &tolkv1.LookupTermsRequest{Text: "Het tussendoor."})
		return err
	})
	quick("Stats", func(ctx context.Context) error {
		_, err := tolkv1.NewAdminServiceClient(conn).Stats(ctx, &tolkv1.StatsRequest{})
		return err
	})
	if err := s.Send(&tolkv1.ImportGlossaryRequest{Chunk: []byte(body[cut:])}); err != nil {
		t.Fatal(err)
	}
	res, err := s.CloseAndRecv()
	if err != nil {
		t.Fatal(err)
	}
	if res.GetConcepts() != glossary.ImportBatch+1 {
		t.Errorf("import stored %d concepts, want %d", res.GetConcepts(), glossary.ImportBatch+1)
	}
}

// TestImportGlossaryOptionErrors checks that errors about the import's
// options name the request field, and that a bad byte in the file is
// MALFORMED_FILE on chunk naming the line, as the README's table says.
func TestImportGlossaryOptionErrors(t *testing.T) {
	ctx := context.Background()
	conn := startServer(t, server.Limits{})
	tests := []struct {
		name  string
		req   *tolkv1.ImportGlossaryRequest
		doc   string
		field string
		text  string
	}{
		{"unknown encoding", &tolkv1.ImportGlossaryRequest{Encoding: "klingon"}, "a\tb\n", "encoding", "unknown character encoding"},
		{"languages unknown", &tolkv1.ImportGlossaryRequest{}, "Addressee\tOntvanger\n", "source_language", "name the languages"},
		{"bad language", &tolkv1.ImportGlossaryRequest{SourceLanguage: "dutch!"}, "a\tb\n", "source_language", "not a language code"},
		{"bad byte", &tolkv1.ImportGlossaryRequest{SourceLanguage: "nl", TargetLanguage: "en"}, "vrede\tpeace\nco\xF6rdinator\tx\n", "chunk", "line 2: byte 0xF6 is not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := importGlossary(ctx, conn, tt.req, []byte(tt.doc))
			st := status.Convert(err)
			if st.Code() != codes.InvalidArgument || !strings.Contains(st.Message(), tt.text) {
				t.Fatalf("%v, want InvalidArgument saying %q", err, tt.text)
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
				t.Errorf("field violations %q, want [%q]", fields, tt.field)
			}
		})
	}
}
