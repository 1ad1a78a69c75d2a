package server_test

import (
	"context"
	"slices"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

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
