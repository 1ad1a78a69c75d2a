package server_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/access"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/server"
)

// errCase is a bad request and what it must get: the code, the ErrorInfo
// reason ("" only for a status the client's gRPC makes itself) and, when field is set, the field the error names (in ErrorInfo's
// metadata and, for InvalidArgument, in a BadRequest field violation). req
// is the request (the first message of a client stream) whose message
// descriptor field must resolve in.
type errCase struct {
	name   string
	req    proto.Message
	call   func(context.Context) error
	code   codes.Code
	reason tolk.Reason
	field  string
}

// bad builds an errCase that sends req with call.
func bad[T proto.Message](name string, req T, call func(context.Context, T) error, code codes.Code, reason tolk.Reason, field string) errCase {
	return errCase{name: name, req: req, call: func(ctx context.Context) error { return call(ctx, req) }, code: code, reason: reason, field: field}
}

// clients holds a client of each service and the calls the table uses,
// each returning only the error.
type clients struct {
	tr  tolkv1.TranslationServiceClient
	mem tolkv1.MemoryServiceClient
	gl  tolkv1.GlossaryServiceClient
	adm tolkv1.AdminServiceClient
}

func newClients(conn *grpc.ClientConn) clients {
	return clients{tolkv1.NewTranslationServiceClient(conn), tolkv1.NewMemoryServiceClient(conn),
		tolkv1.NewGlossaryServiceClient(conn), tolkv1.NewAdminServiceClient(conn)}
}

func (c clients) translate(ctx context.Context, r *tolkv1.TranslateRequest) error {
	_, err := c.tr.Translate(ctx, r)
	return err
}
func (c clients) segment(ctx context.Context, r *tolkv1.SegmentRequest) error {
	_, err := c.tr.Segment(ctx, r)
	return err
}
func (c clients) confirm(ctx context.Context, r *tolkv1.ConfirmSegmentsRequest) error {
	_, err := c.tr.ConfirmSegments(ctx, r)
	return err
}
func (c clients) align(ctx context.Context, r *tolkv1.AlignRequest) error {
	_, err := c.tr.Align(ctx, r)
	return err
}
func (c clients) translateStream(ctx context.Context, r *tolkv1.TranslateStreamRequest) error {
	s, err := c.tr.TranslateStream(ctx, r)
	if err != nil {
		return err
	}
	for {
		if _, err := s.Recv(); err != nil {
			return err
		}
	}
}
func (c clients) lookupSegments(ctx context.Context, r *tolkv1.LookupSegmentsRequest) error {
	_, err := c.mem.LookupSegments(ctx, r)
	return err
}
func (c clients) lookup(ctx context.Context, r *tolkv1.LookupRequest) error {
	_, err := c.mem.Lookup(ctx, r)
	return err
}
func (c clients) concordance(ctx context.Context, r *tolkv1.ConcordanceRequest) error {
	_, err := c.mem.Concordance(ctx, r)
	return err
}
func (c clients) addUnits(ctx context.Context, r *tolkv1.AddUnitsRequest) error {
	_, err := c.mem.AddUnits(ctx, r)
	return err
}
func (c clients) deleteUnit(ctx context.Context, r *tolkv1.DeleteUnitRequest) error {
	_, err := c.mem.DeleteUnit(ctx, r)
	return err
}
func (c clients) createMemory(ctx context.Context, r *tolkv1.CreateMemoryRequest) error {
	_, err := c.mem.CreateMemory(ctx, r)
	return err
}
func (c clients) deleteMemory(ctx context.Context, r *tolkv1.DeleteMemoryRequest) error {
	_, err := c.mem.DeleteMemory(ctx, r)
	return err
}
func (c clients) getUnit(ctx context.Context, r *tolkv1.GetUnitRequest) error {
	_, err := c.mem.GetUnit(ctx, r)
	return err
}
func (c clients) updateUnit(ctx context.Context, r *tolkv1.UpdateUnitRequest) error {
	_, err := c.mem.UpdateUnit(ctx, r)
	return err
}
func (c clients) listUnits(ctx context.Context, r *tolkv1.ListUnitsRequest) error {
	_, err := c.mem.ListUnits(ctx, r)
	return err
}
func (c clients) getMemory(ctx context.Context, r *tolkv1.GetMemoryRequest) error {
	_, err := c.mem.GetMemory(ctx, r)
	return err
}
func (c clients) updateMemory(ctx context.Context, r *tolkv1.UpdateMemoryRequest) error {
	_, err := c.mem.UpdateMemory(ctx, r)
	return err
}
func (c clients) listMemories(ctx context.Context, r *tolkv1.ListMemoriesRequest) error {
	_, err := c.mem.ListMemories(ctx, r)
	return err
}
func (c clients) getConcept(ctx context.Context, r *tolkv1.GetConceptRequest) error {
	_, err := c.gl.GetConcept(ctx, r)
	return err
}
func (c clients) listConcepts(ctx context.Context, r *tolkv1.ListConceptsRequest) error {
	_, err := c.gl.ListConcepts(ctx, r)
	return err
}
func (c clients) listTokens(ctx context.Context, r *tolkv1.ListTokensRequest) error {
	_, err := c.adm.ListTokens(ctx, r)
	return err
}
func (c clients) importTmxStream(ctx context.Context, r *tolkv1.ImportTmxStreamRequest) error {
	s, err := c.mem.ImportTmxStream(ctx)
	if err != nil {
		return err
	}
	if err := s.Send(r); err == nil {
		s.CloseSend()
	}
	for {
		if _, err := s.Recv(); err != nil {
			return err
		}
	}
}
func (c clients) importTmx(ctx context.Context, r *tolkv1.ImportTmxRequest) error {
	return c.importTmxMessages(ctx, r)
}

// importTmxMessages sends the messages of one ImportTmx call.
func (c clients) importTmxMessages(ctx context.Context, msgs ...*tolkv1.ImportTmxRequest) error {
	s, err := c.mem.ImportTmx(ctx)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if err := s.Send(m); err != nil {
			break // the server has answered; CloseAndRecv gives its status
		}
	}
	_, err = s.CloseAndRecv()
	return err
}
func (c clients) exportTmx(ctx context.Context, r *tolkv1.ExportTmxRequest) error {
	s, err := c.mem.ExportTmx(ctx, r)
	if err != nil {
		return err
	}
	for {
		if _, err := s.Recv(); err != nil {
			return err
		}
	}
}
func (c clients) lookupTerms(ctx context.Context, r *tolkv1.LookupTermsRequest) error {
	_, err := c.gl.LookupTerms(ctx, r)
	return err
}
func (c clients) searchTerms(ctx context.Context, r *tolkv1.SearchTermsRequest) error {
	_, err := c.gl.SearchTerms(ctx, r)
	return err
}
func (c clients) upsertTerms(ctx context.Context, r *tolkv1.UpsertTermsRequest) error {
	_, err := c.gl.UpsertTerms(ctx, r)
	return err
}
func (c clients) deleteTerm(ctx context.Context, r *tolkv1.DeleteTermRequest) error {
	_, err := c.gl.DeleteTerm(ctx, r)
	return err
}
func (c clients) importGlossary(ctx context.Context, r *tolkv1.ImportGlossaryRequest) error {
	s, err := c.gl.ImportGlossary(ctx)
	if err != nil {
		return err
	}
	if err := s.Send(r); err == nil {
		_, err = s.CloseAndRecv()
		return err
	}
	_, err = s.CloseAndRecv()
	return err
}
func (c clients) exportGlossary(ctx context.Context, r *tolkv1.ExportGlossaryRequest) error {
	s, err := c.gl.ExportGlossary(ctx, r)
	if err != nil {
		return err
	}
	for {
		if _, err := s.Recv(); err != nil {
			return err
		}
	}
}
func (c clients) createGlossary(ctx context.Context, r *tolkv1.CreateGlossaryRequest) error {
	_, err := c.gl.CreateGlossary(ctx, r)
	return err
}
func (c clients) listGlossaries(ctx context.Context, r *tolkv1.ListGlossariesRequest) error {
	_, err := c.gl.ListGlossaries(ctx, r)
	return err
}
func (c clients) updateGlossary(ctx context.Context, r *tolkv1.UpdateGlossaryRequest) error {
	_, err := c.gl.UpdateGlossary(ctx, r)
	return err
}
func (c clients) deleteGlossary(ctx context.Context, r *tolkv1.DeleteGlossaryRequest) error {
	_, err := c.gl.DeleteGlossary(ctx, r)
	return err
}
func (c clients) createToken(ctx context.Context, r *tolkv1.CreateTokenRequest) error {
	_, err := c.adm.CreateToken(ctx, r)
	return err
}
func (c clients) revokeToken(ctx context.Context, r *tolkv1.RevokeTokenRequest) error {
	_, err := c.adm.RevokeToken(ctx, r)
	return err
}
func (c clients) stats(ctx context.Context, r *tolkv1.StatsRequest) error {
	_, err := c.adm.Stats(ctx, r)
	return err
}

// rawCodec sends and receives messages as the raw bytes of a *[]byte, so a
// test can send what proto.Marshal refuses to make.
type rawCodec struct{}

func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	return mem.BufferSlice{mem.SliceBuffer(*v.(*[]byte))}, nil
}
func (rawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	*v.(*[]byte) = data.Materialize()
	return nil
}
func (rawCodec) Name() string { return "proto" }

// rawString returns a string field num holding Latin-1 "café", which is
// not valid UTF-8.
func rawString(num protowire.Number) []byte {
	b := protowire.AppendTag(nil, num, protowire.BytesType)
	return protowire.AppendString(b, "caf\xe9")
}

// rawMessage wraps the wire bytes inner as field num.
func rawMessage(num protowire.Number, inner []byte) []byte {
	b := protowire.AppendTag(nil, num, protowire.BytesType)
	return protowire.AppendBytes(b, inner)
}

// sendRaw calls a unary method, or opens a stream and sends one message,
// with the raw bytes b.
func sendRaw(ctx context.Context, conn *grpc.ClientConn, method string, stream bool, b []byte) error {
	if !stream {
		var resp []byte
		return conn.Invoke(ctx, method, &b, &resp, grpc.ForceCodecV2(rawCodec{}))
	}
	s, err := conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}, method, grpc.ForceCodecV2(rawCodec{}))
	if err != nil {
		return err
	}
	if err := s.SendMsg(&b); err != nil {
		return err
	}
	if err := s.CloseSend(); err != nil {
		return err
	}
	for {
		var resp []byte
		if err := s.RecvMsg(&resp); err != nil {
			return err
		}
	}
}

// withToken returns ctx carrying secret as a bearer token.
func withToken(ctx context.Context, secret string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+secret)
}

// startServerWithTokens is startServer with a token store holding an
// admin token and a read-only one; it returns their secrets.
func startServerWithTokens(t *testing.T, limits server.Limits) (conn *grpc.ClientConn, admin, reader string) {
	t.Helper()
	ctx := context.Background()
	db, mem, gl := openStores(t, false)
	acc, err := access.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, admin, err = acc.Create(ctx, "admin", []access.Scope{access.Admin}); err != nil {
		t.Fatal(err)
	}
	if _, reader, err = acc.Create(ctx, "reader", []access.Scope{access.Read}); err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{DB: db, Memory: mem, Glossary: gl, Access: acc, Limits: limits})
	g := grpc.NewServer(srv.ServerOptions()...)
	srv.Register(g)
	return dialBufconn(t, g), admin, reader
}

const brokenTMX = `<tmx version="1.4"><header srclang="nl"/><body><tu><tuv xml:lang="nl"><seg>a</seg></tuv><tuv xml:lang="en"><seg>b</seg></tuv></tu><tu><tuv xml:lang="nl"><seg>c</tuv></tu></body></tmx>`

// errorCases is every kind of bad request the tests know, on a server
// with limits {MaxTextBytes: 1000, MaxUnits: 5, MaxSegments: 3} (c, conn)
// and a server with tokens and messages of at most 1 MiB + 1 KiB (tc, its
// admin and reader secrets).
func errorCases(c, tc clients, conn *grpc.ClientConn, admin, reader string) []errCase {
	I, NF, AE, RE := codes.InvalidArgument, codes.NotFound, codes.AlreadyExists, codes.ResourceExhausted
	inv := tolk.ReasonInvalidArgument
	unit := &tolkv1.Unit{Source: "a", Target: "b"}
	tooMany := make([]*tolkv1.Unit, 6)
	for i := range tooMany {
		tooMany[i] = unit
	}
	term := func(lang, text string) *tolkv1.Term { return &tolkv1.Term{Language: lang, Text: text} }
	return []errCase{
		// TranslationService
		bad("empty text", &tolkv1.TranslateRequest{}, c.translate, I, inv, "text"),
		bad("blank text", &tolkv1.TranslateRequest{Text: " \n"}, c.translate, I, inv, "text"),
		bad("text too long", &tolkv1.TranslateRequest{Text: strings.Repeat("a ", 600)}, c.translate, RE, tolk.ReasonTextTooLong, "text"),
		bad("too many segments", &tolkv1.TranslateRequest{Text: "Een. Twee. Drie. Vier."}, c.translate, RE, tolk.ReasonTooManyItems, "text"),
		bad("translate min score out of range", &tolkv1.TranslateRequest{Text: "Zin.", Options: &tolkv1.TranslateOptions{MinScore: 20}}, c.translate, I, inv, "options.min_score"),
		bad("too many alternatives", &tolkv1.TranslateRequest{Text: "Zin.", Options: &tolkv1.TranslateOptions{MaxAlternatives: 21}}, c.translate, I, inv, "options.max_alternatives"),
		bad("negative alternatives", &tolkv1.TranslateRequest{Text: "Zin.", Options: &tolkv1.TranslateOptions{MaxAlternatives: -2}}, c.translate, I, inv, "options.max_alternatives"),
		bad("stream min score out of range", &tolkv1.TranslateStreamRequest{Documents: []*tolkv1.Document{{Id: "a", Text: "Zin."}}, Options: &tolkv1.TranslateOptions{MinScore: 102}}, c.translateStream, I, inv, "options.min_score"),
		bad("unsupported language", &tolkv1.SegmentRequest{Text: "Zin.", Language: "fr"}, c.segment, I, inv, "language"),
		bad("segment offset unit unknown", &tolkv1.SegmentRequest{Text: "Zin.", OffsetUnit: 99}, c.segment, I, tolk.ReasonUnknownEnum, "offset_unit"),
		bad("translate offset unit unknown", &tolkv1.TranslateRequest{Text: "Zin.", Options: &tolkv1.TranslateOptions{OffsetUnit: 99}}, c.translate, I, tolk.ReasonUnknownEnum, "options.offset_unit"),
		bad("terms offset unit unknown", &tolkv1.LookupTermsRequest{Text: "Zin.", OffsetUnit: 99}, c.lookupTerms, I, tolk.ReasonUnknownEnum, "offset_unit"),
		bad("lookup segments: none", &tolkv1.LookupSegmentsRequest{}, c.lookupSegments, I, inv, "segments"),
		bad("lookup segments: no id", &tolkv1.LookupSegmentsRequest{Segments: []*tolkv1.SegmentQuery{{Id: "a", Text: "Ja."}, {Text: "Nee."}}}, c.lookupSegments, I, inv, "segments[1].id"),
		bad("lookup segments: repeated id", &tolkv1.LookupSegmentsRequest{Segments: []*tolkv1.SegmentQuery{{Id: "a", Text: "Ja."}, {Id: "a", Text: "Nee."}}}, c.lookupSegments, I, inv, "segments[1].id"),
		bad("lookup segments: blank text", &tolkv1.LookupSegmentsRequest{Segments: []*tolkv1.SegmentQuery{{Id: "a", Text: " "}}}, c.lookupSegments, I, inv, "segments[0].text"),
		bad("lookup segments: too many", &tolkv1.LookupSegmentsRequest{Segments: []*tolkv1.SegmentQuery{{Id: "a", Text: "Ja."}, {Id: "b", Text: "Ja."}, {Id: "c", Text: "Ja."}, {Id: "d", Text: "Ja."}}}, c.lookupSegments, RE, tolk.ReasonTooManyItems, "segments"),
		bad("lookup segments: min score", &tolkv1.LookupSegmentsRequest{Segments: []*tolkv1.SegmentQuery{{Id: "a", Text: "Ja."}}, Options: &tolkv1.TranslateOptions{MinScore: 20}}, c.lookupSegments, I, inv, "options.min_score"),
		bad("broken SRX", &tolkv1.SegmentRequest{Text: "Zin.", Srx: "<srx"}, c.segment, I, inv, "srx"),
		bad("stream without documents", &tolkv1.TranslateStreamRequest{}, c.translateStream, I, inv, "documents"),
		bad("stream document without id", &tolkv1.TranslateStreamRequest{Documents: []*tolkv1.Document{{Id: "a", Text: "Een."}, {Text: "Twee."}}}, c.translateStream, I, inv, "documents[1].id"),
		bad("stream documents with one id", &tolkv1.TranslateStreamRequest{Documents: []*tolkv1.Document{{Id: "a", Text: "Een."}, {Id: "a", Text: "Twee."}}}, c.translateStream, I, inv, "documents[1].id"),
		bad("stream blank document", &tolkv1.TranslateStreamRequest{Documents: []*tolkv1.Document{{Id: "a", Text: " "}}}, c.translateStream, I, inv, "documents[0].text"),
		bad("confirm without memory", &tolkv1.ConfirmSegmentsRequest{Segments: []*tolkv1.ConfirmedSegment{{Source: "a", Target: "b"}}}, c.confirm, I, inv, "memory"),
		bad("confirm without target", &tolkv1.ConfirmSegmentsRequest{Memory: "seed", Segments: []*tolkv1.ConfirmedSegment{{Source: "a"}}}, c.confirm, I, inv, "segments[0].target"),
		bad("confirm into unknown memory", &tolkv1.ConfirmSegmentsRequest{Memory: "nope", Segments: []*tolkv1.ConfirmedSegment{{Source: "a", Target: "b"}}}, c.confirm, NF, tolk.ReasonMemoryNotFound, "memory"),
		bad("confirm from unknown origin memory", &tolkv1.ConfirmSegmentsRequest{Memory: "seed", Segments: []*tolkv1.ConfirmedSegment{{Source: "a", Target: "b"}, {Source: "c", Target: "d", OriginUnitId: 1, OriginMemory: "nope"}}}, c.confirm, NF, tolk.ReasonMemoryNotFound, "segments[1].origin_memory"),
		bad("confirm from unknown origin unit", &tolkv1.ConfirmSegmentsRequest{Memory: "seed", Segments: []*tolkv1.ConfirmedSegment{{Source: "a", Target: "b", OriginUnitId: 999999}}}, c.confirm, NF, tolk.ReasonUnitNotFound, "segments[0].origin_unit_id"),
		bad("align blank source", &tolkv1.AlignRequest{TargetText: "A."}, c.align, I, inv, "source_text"),
		bad("align confidence out of range", &tolkv1.AlignRequest{SourceText: "Een.", TargetText: "One.", MinConfidence: 2}, c.align, I, inv, "min_confidence"),
		bad("align into an invalid memory name", &tolkv1.AlignRequest{SourceText: "Een.", TargetText: "One.", ImportMemory: "no spaces"}, c.align, I, inv, "import_memory"),
		bad("unknown document format", &tolkv1.TranslateRequest{Text: "Zin.", DocumentFormat: 99}, c.translate, I, tolk.ReasonUnknownEnum, "document_format"),
		bad("align unknown document format", &tolkv1.AlignRequest{SourceText: "Een.", TargetText: "One.", DocumentFormat: 99}, c.align, I, tolk.ReasonUnknownEnum, "document_format"),
		bad("align as XLIFF", &tolkv1.AlignRequest{SourceText: "Een.", TargetText: "One.", DocumentFormat: tolkv1.DocumentFormat_DOCUMENT_FORMAT_XLIFF}, c.align, I, inv, "document_format"),

		// MemoryService
		bad("blank lookup", &tolkv1.LookupRequest{Text: "  "}, c.lookup, I, inv, "text"),
		bad("min score out of range", &tolkv1.LookupRequest{Text: "x", MinScore: 20}, c.lookup, I, inv, "min_score"),
		bad("negative limit", &tolkv1.LookupRequest{Text: "x", Limit: -1}, c.lookup, I, inv, "limit"),
		bad("limit over the most", &tolkv1.LookupRequest{Text: "x", Limit: 1001}, c.lookup, I, inv, "limit"),
		bad("lookup in unknown memory", &tolkv1.LookupRequest{Text: "x", Memories: []string{"nope"}}, c.lookup, NF, tolk.ReasonMemoryNotFound, ""),
		bad("page size out of range", &tolkv1.ConcordanceRequest{Query: "de", PageSize: 5000}, c.concordance, I, inv, "page_size"),
		bad("page token of another query", &tolkv1.ConcordanceRequest{Query: "de", PageSize: 1}, func(ctx context.Context, r *tolkv1.ConcordanceRequest) error {
			first, err := c.mem.Concordance(ctx, r)
			if err != nil || first.GetNextPageToken() == "" {
				return fmt.Errorf("first page: %v, token %q: the case needs a second page", err, first.GetNextPageToken())
			}
			_, err = c.mem.Concordance(ctx, &tolkv1.ConcordanceRequest{Query: "het", PageSize: 1, PageToken: first.GetNextPageToken()})
			return err
		}, I, tolk.ReasonInvalidPageToken, "page_token"),
		bad("add without memory", &tolkv1.AddUnitsRequest{Units: []*tolkv1.Unit{unit}}, c.addUnits, I, inv, "memory"),
		bad("unit without target", &tolkv1.AddUnitsRequest{Memory: "seed", Units: []*tolkv1.Unit{{Source: "a"}}}, c.addUnits, I, inv, "units[0].target"),
		bad("unit with an unknown code kind", &tolkv1.AddUnitsRequest{Memory: "seed", Units: []*tolkv1.Unit{{Source: "a\U00100000", Target: "b\U00100000",
			SourceCodes: []*tolkv1.InlineCode{{Kind: 99}}}}}, c.addUnits, I, tolk.ReasonUnknownEnum, "units[0].source_codes[0].kind"),
		bad("unit with a code its list lacks", &tolkv1.AddUnitsRequest{Memory: "seed", Units: []*tolkv1.Unit{{Source: "a\U00100000", Target: "b"}}}, c.addUnits, I, inv, "units[0].source"),
		bad("unit with a source language not Dutch", &tolkv1.AddUnitsRequest{Memory: "seed", Units: []*tolkv1.Unit{{Source: "a", Target: "b", SourceLanguage: "fr-BE"}}}, c.addUnits, I, inv, "units[0].source_language"),
		bad("add to unknown memory", &tolkv1.AddUnitsRequest{Memory: "nope", Units: []*tolkv1.Unit{unit}}, c.addUnits, NF, tolk.ReasonMemoryNotFound, ""),
		bad("unknown policy", &tolkv1.AddUnitsRequest{Memory: "seed", Units: []*tolkv1.Unit{unit}, Policy: 99}, c.addUnits, I, tolk.ReasonUnknownEnum, "policy"),
		bad("import stream with unknown on_error", &tolkv1.ImportTmxStreamRequest{Memory: "seed", OnError: 99, Chunk: []byte(brokenTMX)}, c.importTmxStream, I, tolk.ReasonUnknownEnum, "on_error"),
		bad("import with unknown policy", &tolkv1.ImportTmxRequest{Memory: "seed", Policy: 99, Chunk: []byte(brokenTMX)}, c.importTmx, I, tolk.ReasonUnknownEnum, "policy"),
		bad("unit changed at an invalid time", &tolkv1.AddUnitsRequest{Memory: "seed", Units: []*tolkv1.Unit{unit, {Source: "a", Target: "b", ChangeTime: &timestamppb.Timestamp{Seconds: 1e15}}}}, c.addUnits, I, inv, "units[1].change_time"),
		bad("too many units", &tolkv1.AddUnitsRequest{Memory: "seed", Units: tooMany}, c.addUnits, RE, tolk.ReasonTooManyItems, "units"),
		bad("delete without unit id", &tolkv1.DeleteUnitRequest{Memory: "seed"}, c.deleteUnit, I, inv, "unit_id"),
		bad("delete unknown unit", &tolkv1.DeleteUnitRequest{Memory: "seed", UnitId: 999999}, c.deleteUnit, NF, tolk.ReasonUnitNotFound, ""),
		bad("memory exists", &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{Name: "seed", SourceLanguage: "nl", TargetLanguage: "en"}}, c.createMemory, AE, tolk.ReasonMemoryExists, ""),
		bad("memory without name", &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{SourceLanguage: "nl", TargetLanguage: "en"}}, c.createMemory, I, inv, "memory.name"),
		bad("memory with an invalid name", &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{Name: "a b", SourceLanguage: "nl", TargetLanguage: "en"}}, c.createMemory, I, inv, "memory.name"),
		bad("memory in French", &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{Name: "fr", SourceLanguage: "fr", TargetLanguage: "en"}}, c.createMemory, I, inv, "memory.source_language"),
		bad("memory into German", &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{Name: "de", SourceLanguage: "nl", TargetLanguage: "de"}}, c.createMemory, I, inv, "memory.target_language"),
		bad("import into an invalid memory name", &tolkv1.ImportTmxRequest{Memory: "a b", Create: true, Chunk: []byte(brokenTMX)}, c.importTmx, I, inv, "memory"),
		bad("delete memory without name", &tolkv1.DeleteMemoryRequest{}, c.deleteMemory, I, inv, "name"),
		bad("delete unknown memory", &tolkv1.DeleteMemoryRequest{Name: "nope"}, c.deleteMemory, NF, tolk.ReasonMemoryNotFound, ""),
		bad("import without memory", &tolkv1.ImportTmxRequest{Chunk: []byte(brokenTMX)}, c.importTmx, I, inv, "memory"),
		bad("malformed TMX", &tolkv1.ImportTmxRequest{Memory: "broken", Create: true, Chunk: []byte(brokenTMX)}, c.importTmx, I, tolk.ReasonMalformedFile, "chunk"),
		bad("TMX past a reading limit", &tolkv1.ImportTmxRequest{Memory: "long", Create: true, Chunk: []byte(`<tmx version="1.4"><header srclang="nl"/><body><tu><tuv xml:lang="nl"><seg>` + strings.Repeat("woord ", 12000) + `</seg></tuv></tu></body></tmx>`)}, c.importTmx, RE, tolk.ReasonLimitExceeded, "chunk"),
		bad("import naming a second memory", &tolkv1.ImportTmxRequest{Memory: "seed", Chunk: []byte(`<tmx version="1.4"><header srclang="nl"/><body>`)}, func(ctx context.Context, r *tolkv1.ImportTmxRequest) error {
			return c.importTmxMessages(ctx, r, &tolkv1.ImportTmxRequest{Memory: "other", Chunk: []byte(`</body></tmx>`)})
		}, I, inv, "memory"),
		bad("export without memory", &tolkv1.ExportTmxRequest{}, c.exportTmx, I, inv, "memory"),
		bad("export unknown memory", &tolkv1.ExportTmxRequest{Memory: "nope"}, c.exportTmx, NF, tolk.ReasonMemoryNotFound, "memory"),
		bad("TMX export changed since an invalid time", &tolkv1.ExportTmxRequest{Memory: "seed", ChangedSince: &timestamppb.Timestamp{Nanos: -1}}, c.exportTmx, I, inv, "changed_since"),
		bad("get unit without id", &tolkv1.GetUnitRequest{Memory: "seed"}, c.getUnit, I, inv, "unit_id"),
		bad("get unknown unit", &tolkv1.GetUnitRequest{Memory: "seed", UnitId: 999999}, c.getUnit, NF, tolk.ReasonUnitNotFound, "unit_id"),
		bad("get unit of unknown memory", &tolkv1.GetUnitRequest{Memory: "nope", UnitId: 1}, c.getUnit, NF, tolk.ReasonMemoryNotFound, "memory"),
		bad("update unknown unit", &tolkv1.UpdateUnitRequest{Unit: &tolkv1.Unit{Memory: "seed", Id: 999999, Target: "x"}}, c.updateUnit, NF, tolk.ReasonUnitNotFound, "unit.id"),
		bad("update unit of unknown memory", &tolkv1.UpdateUnitRequest{Unit: &tolkv1.Unit{Memory: "nope", Id: 1, Target: "x"}}, c.updateUnit, NF, tolk.ReasonMemoryNotFound, "unit.memory"),
		bad("update unit without id", &tolkv1.UpdateUnitRequest{Unit: &tolkv1.Unit{Memory: "seed", Target: "x"}}, c.updateUnit, I, inv, "unit.id"),
		bad("update a unit's source", &tolkv1.UpdateUnitRequest{Unit: &tolkv1.Unit{Memory: "seed", Id: 1, Source: "x"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"source"}}}, c.updateUnit, I, inv, "update_mask"),
		bad("update unit to a blank target", &tolkv1.UpdateUnitRequest{Unit: &tolkv1.Unit{Memory: "seed", Id: 1, Target: " "}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"target"}}}, c.updateUnit, I, inv, "unit.target"),
		bad("list units without memory", &tolkv1.ListUnitsRequest{}, c.listUnits, I, inv, "memory"),
		bad("list units of unknown memory", &tolkv1.ListUnitsRequest{Memory: "nope"}, c.listUnits, NF, tolk.ReasonMemoryNotFound, "memory"),
		bad("list units by a property without type", &tolkv1.ListUnitsRequest{Memory: "seed", Props: []*tolkv1.Prop{{Value: "law"}}}, c.listUnits, I, inv, "props[0].type"),
		bad("list units page size out of range", &tolkv1.ListUnitsRequest{Memory: "seed", PageSize: 1001}, c.listUnits, I, inv, "page_size"),
		bad("list units page token of another query", &tolkv1.ListUnitsRequest{Memory: "seed", PageSize: 1}, func(ctx context.Context, r *tolkv1.ListUnitsRequest) error {
			first, err := c.mem.ListUnits(ctx, r)
			if err != nil || first.GetNextPageToken() == "" {
				return fmt.Errorf("first page: %v, token %q: the case needs a second page", err, first.GetNextPageToken())
			}
			return c.listUnits(ctx, &tolkv1.ListUnitsRequest{Memory: "seed", PageSize: 1, ChangedBy: "anna", PageToken: first.GetNextPageToken()})
		}, I, tolk.ReasonInvalidPageToken, "page_token"),
		bad("memories page token of another query", &tolkv1.ListMemoriesRequest{PageSize: 1, PageToken: "AAAAAAAAAAAAAAAAAAAAAAAAAAA"}, c.listMemories, I, tolk.ReasonInvalidPageToken, "page_token"),
		bad("get memory without name", &tolkv1.GetMemoryRequest{}, c.getMemory, I, inv, "name"),
		bad("get unknown memory", &tolkv1.GetMemoryRequest{Name: "nope"}, c.getMemory, NF, tolk.ReasonMemoryNotFound, "name"),
		bad("update unknown memory", &tolkv1.UpdateMemoryRequest{Memory: &tolkv1.Memory{Name: "nope"}}, c.updateMemory, NF, tolk.ReasonMemoryNotFound, "memory.name"),
		bad("update a memory's name", &tolkv1.UpdateMemoryRequest{Memory: &tolkv1.Memory{Name: "seed"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"name"}}}, c.updateMemory, I, inv, "update_mask"),
		bad("update a memory into French", &tolkv1.UpdateMemoryRequest{Memory: &tolkv1.Memory{Name: "seed", SourceLanguage: "fr"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"source_language"}}}, c.updateMemory, I, inv, "memory.source_language"),
		bad("change the languages of a memory with units", &tolkv1.UpdateMemoryRequest{Memory: &tolkv1.Memory{Name: "seed", TargetLanguage: "en-US"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"target_language"}}}, c.updateMemory, codes.FailedPrecondition, tolk.ReasonFailedPrecondition, "memory.target_language"),

		// GlossaryService
		bad("blank terms text", &tolkv1.LookupTermsRequest{Text: "\n"}, c.lookupTerms, I, inv, "text"),
		bad("blank search", &tolkv1.SearchTermsRequest{}, c.searchTerms, I, inv, "query"),
		bad("search limit out of range", &tolkv1.SearchTermsRequest{Query: "staat", Limit: 5000}, c.searchTerms, I, inv, "limit"),
		bad("upsert without concepts", &tolkv1.UpsertTermsRequest{}, c.upsertTerms, I, inv, "concepts"),
		bad("concept without terms", &tolkv1.UpsertTermsRequest{Concepts: []*tolkv1.Concept{{Id: "x"}}}, c.upsertTerms, I, inv, "concepts[0].terms"),
		bad("term without language", &tolkv1.UpsertTermsRequest{Concepts: []*tolkv1.Concept{{Terms: []*tolkv1.Term{term("", "staat")}}}}, c.upsertTerms, I, inv, "concepts[0].terms[0].language"),
		bad("term without text", &tolkv1.UpsertTermsRequest{Concepts: []*tolkv1.Concept{{Terms: []*tolkv1.Term{term("nl", "staat"), term("en", " ")}}}}, c.upsertTerms, I, inv, "concepts[0].terms[1].text"),
		bad("term with an invalid language", &tolkv1.UpsertTermsRequest{Concepts: []*tolkv1.Concept{{Terms: []*tolkv1.Term{term("dutch!", "staat")}}}}, c.upsertTerms, I, inv, "concepts[0].terms[0].language"),
		bad("terms at an invalid time", &tolkv1.LookupTermsRequest{Text: "De staat.", At: &timestamppb.Timestamp{Seconds: 1, Nanos: 2e9}}, c.lookupTerms, I, inv, "at"),
		bad("export changed since an invalid time", &tolkv1.ExportGlossaryRequest{Format: tolkv1.GlossaryFormat_GLOSSARY_FORMAT_CSV, ChangedSince: &timestamppb.Timestamp{Seconds: -1e12}}, c.exportGlossary, I, inv, "changed_since"),
		bad("concept valid until an invalid time", &tolkv1.UpsertTermsRequest{Concepts: []*tolkv1.Concept{{Terms: []*tolkv1.Term{term("nl", "staat")}, ValidUntil: &timestamppb.Timestamp{Nanos: -1}}}}, c.upsertTerms, I, inv, "concepts[0].valid_until"),
		bad("delete without concept id", &tolkv1.DeleteTermRequest{}, c.deleteTerm, I, inv, "concept_id"),
		bad("unknown concept", &tolkv1.DeleteTermRequest{ConceptId: "no-such"}, c.deleteTerm, NF, tolk.ReasonConceptNotFound, ""),
		bad("invalid TBX", &tolkv1.ImportGlossaryRequest{Format: tolkv1.GlossaryFormat_GLOSSARY_FORMAT_TBX, Chunk: []byte("<tbx><text><body><conceptEntry")}, c.importGlossary, I, tolk.ReasonMalformedFile, "chunk"),
		bad("import unknown glossary format", &tolkv1.ImportGlossaryRequest{Format: 99, Chunk: []byte("a,b\n")}, c.importGlossary, I, tolk.ReasonUnknownEnum, "format"),
		bad("export unknown glossary format", &tolkv1.ExportGlossaryRequest{Format: 99}, c.exportGlossary, I, tolk.ReasonUnknownEnum, "format"),
		bad("export unknown term status", &tolkv1.ExportGlossaryRequest{Format: tolkv1.GlossaryFormat_GLOSSARY_FORMAT_CSV, Status: 99}, c.exportGlossary, I, tolk.ReasonUnknownEnum, "status"),
		bad("term with unknown status", &tolkv1.UpsertTermsRequest{Concepts: []*tolkv1.Concept{{Terms: []*tolkv1.Term{term("nl", "staat"), {Language: "en", Text: "state", Status: 99}}}}}, c.upsertTerms, I, tolk.ReasonUnknownEnum, "concepts[0].terms[1].status"),
		bad("export without format", &tolkv1.ExportGlossaryRequest{}, c.exportGlossary, I, inv, "format"),
		bad("glossary exists", &tolkv1.CreateGlossaryRequest{Glossary: &tolkv1.Glossary{Name: "diplomatic"}}, c.createGlossary, AE, tolk.ReasonGlossaryExists, ""),
		bad("glossary with an invalid name", &tolkv1.CreateGlossaryRequest{Glossary: &tolkv1.Glossary{Name: "a b"}}, c.createGlossary, I, inv, "glossary.name"),
		bad("glossary in French", &tolkv1.CreateGlossaryRequest{Glossary: &tolkv1.Glossary{Name: "fr", SourceLanguage: "fr"}}, c.createGlossary, I, inv, "glossary.source_language"),
		bad("update unknown glossary", &tolkv1.UpdateGlossaryRequest{Name: "nope"}, c.updateGlossary, NF, tolk.ReasonGlossaryNotFound, "name"),
		bad("update glossary into German", &tolkv1.UpdateGlossaryRequest{Name: "diplomatic", TargetLanguage: proto.String("de")}, c.updateGlossary, I, inv, "target_language"),
		bad("delete unknown glossary", &tolkv1.DeleteGlossaryRequest{Name: "nope"}, c.deleteGlossary, NF, tolk.ReasonGlossaryNotFound, "name"),
		bad("delete glossary without name", &tolkv1.DeleteGlossaryRequest{}, c.deleteGlossary, I, inv, "name"),
		bad("glossary page size out of range", &tolkv1.ListGlossariesRequest{PageSize: 5000}, c.listGlossaries, I, inv, "page_size"),
		bad("glossary page token of another query", &tolkv1.ListGlossariesRequest{PageSize: 1}, func(ctx context.Context, r *tolkv1.ListGlossariesRequest) error {
			if _, err := c.gl.CreateGlossary(ctx, &tolkv1.CreateGlossaryRequest{Glossary: &tolkv1.Glossary{Name: "desk-a"}}); err != nil && status.Code(err) != codes.AlreadyExists {
				return err
			}
			first, err := c.gl.ListGlossaries(ctx, r)
			if err != nil || first.GetNextPageToken() == "" {
				return fmt.Errorf("first page: %v, token %q: the case needs a second page", err, first.GetNextPageToken())
			}
			_, err = c.gl.ListGlossaries(ctx, &tolkv1.ListGlossariesRequest{NamePrefix: "d", PageSize: 1, PageToken: first.GetNextPageToken()})
			return err
		}, I, tolk.ReasonInvalidPageToken, "page_token"),
		bad("terms in unknown glossary", &tolkv1.LookupTermsRequest{Text: "het verdrag", Glossaries: []string{"diplomatic", "nope"}}, c.lookupTerms, NF, tolk.ReasonGlossaryNotFound, "glossaries[1]"),
		bad("terms in one glossary twice", &tolkv1.LookupTermsRequest{Text: "het verdrag", Glossaries: []string{"diplomatic", "diplomatic"}}, c.lookupTerms, I, inv, "glossaries[1]"),
		bad("translate with unknown glossary", &tolkv1.TranslateRequest{Text: "Het verdrag.", Options: &tolkv1.TranslateOptions{Glossaries: []string{"nope"}}}, c.translate, NF, tolk.ReasonGlossaryNotFound, "options.glossaries[0]"),
		bad("stream with unknown glossary", &tolkv1.TranslateStreamRequest{Documents: []*tolkv1.Document{{Id: "a", Text: "Het verdrag."}}, Options: &tolkv1.TranslateOptions{Glossaries: []string{"nope"}}}, c.translateStream, NF, tolk.ReasonGlossaryNotFound, "options.glossaries[0]"),
		bad("lookup segments with unknown glossary", &tolkv1.LookupSegmentsRequest{Segments: []*tolkv1.SegmentQuery{{Id: "1", Text: "Het verdrag."}}, Options: &tolkv1.TranslateOptions{Glossaries: []string{"nope"}}}, c.lookupSegments, NF, tolk.ReasonGlossaryNotFound, "options.glossaries[0]"),
		bad("upsert into unknown glossary", &tolkv1.UpsertTermsRequest{Glossary: "nope", Concepts: []*tolkv1.Concept{{Terms: []*tolkv1.Term{term("nl", "staat")}}}}, c.upsertTerms, NF, tolk.ReasonGlossaryNotFound, "glossary"),
		bad("import into unknown glossary", &tolkv1.ImportGlossaryRequest{Glossary: "nope", Chunk: []byte("nl,en\nstaat,state\n")}, c.importGlossary, NF, tolk.ReasonGlossaryNotFound, "glossary"),
		bad("export unknown glossary", &tolkv1.ExportGlossaryRequest{Format: tolkv1.GlossaryFormat_GLOSSARY_FORMAT_CSV, Glossary: "nope"}, c.exportGlossary, NF, tolk.ReasonGlossaryNotFound, "glossary"),
		bad("get concept without id", &tolkv1.GetConceptRequest{}, c.getConcept, I, inv, "concept_id"),
		bad("get unknown concept", &tolkv1.GetConceptRequest{ConceptId: "no-such"}, c.getConcept, NF, tolk.ReasonConceptNotFound, "concept_id"),
		bad("list concepts page size out of range", &tolkv1.ListConceptsRequest{PageSize: 1001}, c.listConcepts, I, inv, "page_size"),
		bad("list concepts with unknown status", &tolkv1.ListConceptsRequest{Status: 99}, c.listConcepts, I, tolk.ReasonUnknownEnum, "status"),
		bad("list concepts page token of another query", &tolkv1.ListConceptsRequest{PageSize: 1}, func(ctx context.Context, r *tolkv1.ListConceptsRequest) error {
			first, err := c.gl.ListConcepts(ctx, r)
			if err != nil || first.GetNextPageToken() == "" {
				return fmt.Errorf("first page: %v, token %q: the case needs a second page", err, first.GetNextPageToken())
			}
			return c.listConcepts(ctx, &tolkv1.ListConceptsRequest{PageSize: 1, Subject: "law", PageToken: first.GetNextPageToken()})
		}, I, tolk.ReasonInvalidPageToken, "page_token"),
		bad("search page token of another query", &tolkv1.SearchTermsRequest{Query: "mi", Limit: 1}, func(ctx context.Context, r *tolkv1.SearchTermsRequest) error {
			first, err := c.gl.SearchTerms(ctx, r)
			if err != nil || first.GetNextPageToken() == "" {
				return fmt.Errorf("first page: %v, token %q: the case needs a second page", err, first.GetNextPageToken())
			}
			return c.searchTerms(ctx, &tolkv1.SearchTermsRequest{Query: "mi", Fuzzy: true, Limit: 1, PageToken: first.GetNextPageToken()})
		}, I, tolk.ReasonInvalidPageToken, "page_token"),

		// AdminService and access, on the server with tokens
		bad("no token", &tolkv1.StatsRequest{}, tc.stats, codes.Unauthenticated, tolk.ReasonTokenRequired, ""),
		bad("unknown token", &tolkv1.StatsRequest{}, func(ctx context.Context, r *tolkv1.StatsRequest) error {
			return tc.stats(withToken(ctx, "tolk_t9_nope"), r)
		}, codes.Unauthenticated, tolk.ReasonTokenInvalid, ""),
		bad("token without the scope", &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{Name: "x"}}, func(ctx context.Context, r *tolkv1.CreateMemoryRequest) error {
			return tc.createMemory(withToken(ctx, reader), r)
		}, codes.PermissionDenied, tolk.ReasonScopeMissing, ""),
		bad("token without name", &tolkv1.CreateTokenRequest{Scopes: []string{"read"}}, func(ctx context.Context, r *tolkv1.CreateTokenRequest) error {
			return tc.createToken(withToken(ctx, admin), r)
		}, I, inv, "name"),
		bad("unknown scope", &tolkv1.CreateTokenRequest{Name: "x", Scopes: []string{"root"}}, func(ctx context.Context, r *tolkv1.CreateTokenRequest) error {
			return tc.createToken(withToken(ctx, admin), r)
		}, I, inv, "scopes"),
		bad("token exists", &tolkv1.CreateTokenRequest{Name: "reader", Scopes: []string{"read"}}, func(ctx context.Context, r *tolkv1.CreateTokenRequest) error {
			return tc.createToken(withToken(ctx, admin), r)
		}, AE, tolk.ReasonTokenExists, ""),
		bad("lookup of a segment over the lookup limit", &tolkv1.LookupRequest{Text: strings.Repeat("woord ", 12000)}, func(ctx context.Context, r *tolkv1.LookupRequest) error {
			return tc.lookup(withToken(ctx, reader), r)
		}, RE, tolk.ReasonTextTooLong, "text"),
		bad("unit over the segment limit", &tolkv1.AddUnitsRequest{Memory: "x", Units: []*tolkv1.Unit{{Source: "a", Target: strings.Repeat("word ", 14000)}}}, func(ctx context.Context, r *tolkv1.AddUnitsRequest) error {
			return tc.addUnits(withToken(ctx, admin), r)
		}, RE, tolk.ReasonTextTooLong, "units[0].target"),
		bad("request over the message size limit", &tolkv1.LookupRequest{Text: strings.Repeat("woord ", 200000)}, func(ctx context.Context, r *tolkv1.LookupRequest) error {
			return tc.lookup(withToken(ctx, reader), r)
		}, RE, "", ""), // gRPC refuses it before Tolk sees it: no details
		bad("stream message over the size limit", &tolkv1.ImportTmxRequest{Memory: "x", Create: true, Chunk: make([]byte, 1200<<10)}, func(ctx context.Context, r *tolkv1.ImportTmxRequest) error {
			return tc.importTmx(withToken(ctx, admin), r)
		}, RE, "", ""), // the same: gRPC answers a failed Recv itself
		bad("revoke without token", &tolkv1.RevokeTokenRequest{}, func(ctx context.Context, r *tolkv1.RevokeTokenRequest) error {
			return tc.revokeToken(withToken(ctx, admin), r)
		}, I, inv, "token"),
		bad("revoke the last admin token", &tolkv1.RevokeTokenRequest{Token: "admin"}, func(ctx context.Context, r *tolkv1.RevokeTokenRequest) error {
			return tc.revokeToken(withToken(ctx, admin), r)
		}, codes.FailedPrecondition, tolk.ReasonLastAdminToken, ""),
		bad("tokens page token of another query", &tolkv1.ListTokensRequest{PageSize: 1}, func(ctx context.Context, r *tolkv1.ListTokensRequest) error {
			ctx = withToken(ctx, admin)
			first, err := tc.adm.ListTokens(ctx, r)
			if err != nil || first.GetNextPageToken() == "" {
				return fmt.Errorf("first page: %v, token %q: the case needs a second page", err, first.GetNextPageToken())
			}
			_, err = tc.mem.ListMemories(ctx, &tolkv1.ListMemoriesRequest{PageSize: 1, PageToken: first.GetNextPageToken()})
			return err
		}, I, tolk.ReasonInvalidPageToken, "page_token"),
		bad("tokens page size out of range", &tolkv1.ListTokensRequest{PageSize: -1}, func(ctx context.Context, r *tolkv1.ListTokensRequest) error {
			return tc.listTokens(withToken(ctx, admin), r)
		}, I, inv, "page_size"),
		bad("revoke unknown token", &tolkv1.RevokeTokenRequest{Token: "nope"}, func(ctx context.Context, r *tolkv1.RevokeTokenRequest) error {
			return tc.revokeToken(withToken(ctx, admin), r)
		}, NF, tolk.ReasonTokenNotFound, ""),

		// Invalid UTF-8, which a Go client's proto.Marshal refuses to send.
		bad("text not UTF-8", &tolkv1.LookupRequest{}, func(ctx context.Context, _ *tolkv1.LookupRequest) error {
			return sendRaw(ctx, conn, "/tolk.v1.MemoryService/Lookup", false, rawString(1))
		}, I, tolk.ReasonInvalidEncoding, "text"),
		bad("nested term not UTF-8", &tolkv1.UpsertTermsRequest{}, func(ctx context.Context, _ *tolkv1.UpsertTermsRequest) error {
			good, _ := proto.Marshal(term("nl", "staat"))
			concept := append(rawMessage(7, good), rawMessage(7, rawString(2))...) // Concept.terms = 7, Term.text = 2
			return sendRaw(ctx, conn, "/tolk.v1.GlossaryService/UpsertTerms", false, rawMessage(1, concept))
		}, I, tolk.ReasonInvalidEncoding, "concepts[0].terms[1].text"),
		bad("stream document not UTF-8", &tolkv1.TranslateStreamRequest{}, func(ctx context.Context, _ *tolkv1.TranslateStreamRequest) error {
			return sendRaw(ctx, conn, "/tolk.v1.TranslationService/TranslateStream", true, rawMessage(1, rawString(2)))
		}, I, tolk.ReasonInvalidEncoding, "documents[0].text"),
		bad("import memory name not UTF-8", &tolkv1.ImportTmxRequest{}, func(ctx context.Context, _ *tolkv1.ImportTmxRequest) error {
			return sendRaw(ctx, conn, "/tolk.v1.MemoryService/ImportTmx", true, rawString(1))
		}, I, tolk.ReasonInvalidEncoding, "memory"),

		bad("deadline", &tolkv1.TranslateRequest{Text: "Een zin."}, func(ctx context.Context, r *tolkv1.TranslateRequest) error {
			dctx, cancel := context.WithTimeout(ctx, time.Nanosecond)
			defer cancel()
			<-dctx.Done()
			return c.translate(dctx, r)
		}, codes.DeadlineExceeded, "", ""), // the client's gRPC makes this status: no details
	}
}

// TestErrorMapping sends every bad request of errorCases and checks its
// code, that its ErrorInfo has the documented domain and reason (and names
// the field), and that an InvalidArgument carries one field violation
// naming the field.
func TestErrorMapping(t *testing.T) {
	conn := startServer(t, server.Limits{MaxTextBytes: 1000, MaxUnits: 5, MaxSegments: 3})
	c := newClients(conn)
	tconn, admin, reader := startServerWithTokens(t, server.Limits{MaxStreamBytes: 1 << 10}) // messages up to 1 MiB + 1 KiB
	ctx := context.Background()
	rows := readmeBadInput(t)
	names := map[string]bool{}
	for _, tt := range errorCases(c, newClients(tconn), conn, admin, reader) {
		names[tt.name] = true
		t.Run(tt.name, func(t *testing.T) {
			st := status.Convert(tt.call(ctx))
			t.Logf("%v %q", st.Code(), st.Message())
			if st.Code() != tt.code {
				t.Fatalf("code = %v (%q), want %v", st.Code(), st.Message(), tt.code)
			}
			checkREADMERow(t, rows, tt, st)
			if st.Message() == "" {
				t.Error("empty message")
			}
			if tt.reason != "" {
				checkDetails(t, st, tt.reason, tt.field)
			}
			if tt.field != "" {
				if err := resolvePath(tt.req.ProtoReflect().Descriptor(), tt.field); err != nil {
					t.Errorf("field %q is not a path in %s: %v", tt.field, tt.req.ProtoReflect().Descriptor().FullName(), err)
				}
			}
		})
	}
	for n := range rows {
		if !names[n] {
			t.Errorf("the README's Bad input table names case %q, which TestErrorMapping does not have", n)
		}
	}
}

// resolvePath walks a field path such as "concepts[0].terms[1].language"
// through md's fields: each step must name a field, an index only a
// repeated one, and only the last step may be a scalar.
func resolvePath(md protoreflect.MessageDescriptor, path string) error {
	steps := strings.Split(path, ".")
	for i, step := range steps {
		name, index, indexed := strings.Cut(step, "[")
		if md == nil {
			return fmt.Errorf("%q follows a field that is not a message", step)
		}
		fd := md.Fields().ByName(protoreflect.Name(name))
		if fd == nil {
			return fmt.Errorf("%s has no field %q", md.FullName(), name)
		}
		if indexed {
			n, ok := strings.CutSuffix(index, "]")
			if _, err := strconv.Atoi(n); !ok || err != nil || !fd.IsList() {
				return fmt.Errorf("%q: only a repeated field takes an index [n]", step)
			}
		}
		md = fd.Message()
		if i < len(steps)-1 && fd.IsList() && !indexed {
			return fmt.Errorf("%q is repeated: the path needs an index", step)
		}
	}
	return nil
}

func TestResolvePath(t *testing.T) {
	md := (&tolkv1.UpsertTermsRequest{}).ProtoReflect().Descriptor()
	for _, tt := range []struct {
		path string
		ok   bool
	}{
		{"concepts", true},
		{"concepts[0].terms[1].language", true},
		{"concepts[0].terms[1].lang", false},
		{"concepts.terms", false},
		{"concepts[x]", false},
		{"concepts[0].id[0]", false},
		{"concepts[0].id.x", false},
		{"line 1", false},
	} {
		if err := resolvePath(md, tt.path); (err == nil) != tt.ok {
			t.Errorf("resolvePath(%q) = %v, want ok %v", tt.path, err, tt.ok)
		}
	}
}

// badInputRow is a row of the README's "Bad input" table.
type badInputRow struct {
	status  string // the status, reason and field cell
	message string // the example message, without its backticks
	first   bool   // the case is the row's first, whose message the example is
}

// readmeBadInput returns the rows of the README's "Bad input" table under
// the names of the cases in their last cell (a name holding "Test" names
// a test of its own and is left out).
func readmeBadInput(t *testing.T) map[string]badInputRow {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(string(b), "### Bad input\n")
	_, table, _ = strings.Cut(table, "|---|---|---|---|\n")
	table, _, _ = strings.Cut(table, "\n\n")
	rows := map[string]badInputRow{}
	name := regexp.MustCompile("`([^`]+)`")
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(strings.TrimSuffix(strings.TrimPrefix(line, "| "), " |"), " | ")
		if len(cells) != 4 {
			t.Fatalf("README bad-input row has %d cells, want 4: %s", len(cells), line)
		}
		for i, m := range name.FindAllStringSubmatch(cells[3], -1) {
			if strings.Contains(m[1], "Test") {
				continue // a test of its own, not a case of TestErrorMapping
			}
			if _, dup := rows[m[1]]; dup {
				t.Errorf("README bad-input table names case %q in two rows", m[1])
			}
			rows[m[1]] = badInputRow{status: cells[1], message: strings.Trim(cells[2], "`"), first: i == 0}
		}
	}
	if len(rows) == 0 {
		t.Fatal("no rows in the README's Bad input table")
	}
	return rows
}

// checkREADMERow checks that the README's bad-input table has a row for
// the case with its code and reason and, for a row's first case, an
// example message that the status message matches ("..." is any text).
func checkREADMERow(t *testing.T, rows map[string]badInputRow, tt errCase, st *status.Status) {
	t.Helper()
	row, ok := rows[tt.name]
	if !ok {
		t.Errorf("no row of the README's Bad input table names this case")
		return
	}
	if !strings.Contains(row.status, "`"+tt.code.String()+"`") || tt.reason != "" && !strings.Contains(row.status, "`"+string(tt.reason)+"`") {
		t.Errorf("README row says %q, want %v and %s", row.status, tt.code, tt.reason)
	}
	if !row.first || row.message == "" {
		return
	}
	msg := st.Message()
	for _, part := range strings.Split(row.message, "...") {
		i := strings.Index(msg, strings.TrimSpace(part))
		if i < 0 {
			t.Errorf("message %q does not match the README's example %q", st.Message(), row.message)
			return
		}
		msg = msg[i+len(strings.TrimSpace(part)):]
	}
}

// checkDetails checks st's ErrorInfo and BadRequest against the reason and
// field an error case expects.
func checkDetails(t *testing.T, st *status.Status, reason tolk.Reason, field string) {
	t.Helper()
	var infos []*errdetails.ErrorInfo
	var fields []string
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.ErrorInfo:
			infos = append(infos, d)
		case *errdetails.BadRequest:
			for _, v := range d.GetFieldViolations() {
				fields = append(fields, v.GetField())
			}
		}
	}
	if len(infos) != 1 {
		t.Fatalf("%d ErrorInfo details in %v %q, want 1", len(infos), st.Code(), st.Message())
	}
	info := infos[0]
	if info.GetDomain() != tolk.ErrorDomain || info.GetReason() != string(reason) {
		t.Errorf("ErrorInfo %s/%s, want %s/%s", info.GetDomain(), info.GetReason(), tolk.ErrorDomain, reason)
	}
	if !slices.Contains(tolk.Reasons(), tolk.Reason(info.GetReason())) {
		t.Errorf("reason %q is not one of tolk.Reasons()", info.GetReason())
	}
	if got := info.GetMetadata()["field"]; got != field {
		t.Errorf("ErrorInfo field %q, want %q", got, field)
	}
	var want []string
	if field != "" && st.Code() == codes.InvalidArgument {
		want = []string{field}
	}
	if !slices.Equal(fields, want) {
		t.Errorf("field violations = %q, want %q", fields, want)
	}
}
