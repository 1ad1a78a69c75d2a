package server_test

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/memory"
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
	srv := server.New(server.Config{DB: db, Memory: mem, Glossary: gl})
	g := grpc.NewServer(srv.ServerOptions()...)
	srv.Register(g)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go g.Serve(lis)
	t.Cleanup(g.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
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
