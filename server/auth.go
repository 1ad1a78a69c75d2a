package server

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/access"
)

// scopes says which scope each Tolk method needs. Methods not listed (the
// health and reflection services) need none; a Tolk method missing here is
// refused, so a new RPC cannot be left open by mistake.
var scopes = map[string]access.Scope{
	"/tolk.v1.TranslationService/Segment":         access.Read,
	"/tolk.v1.TranslationService/Translate":       access.Read,
	"/tolk.v1.TranslationService/TranslateStream": access.Read,
	"/tolk.v1.TranslationService/Align":           access.Read,
	"/tolk.v1.TranslationService/ConfirmSegments": access.Write,
	"/tolk.v1.MemoryService/Lookup":               access.Read,
	"/tolk.v1.MemoryService/Concordance":          access.Read,
	"/tolk.v1.MemoryService/ExportTmx":            access.Read,
	"/tolk.v1.MemoryService/ListMemories":         access.Read,
	"/tolk.v1.MemoryService/AddUnits":             access.Write,
	"/tolk.v1.MemoryService/DeleteUnit":           access.Write,
	"/tolk.v1.MemoryService/ImportTmx":            access.Write,
	"/tolk.v1.MemoryService/CreateMemory":         access.Write,
	"/tolk.v1.MemoryService/DeleteMemory":         access.Write,
	"/tolk.v1.GlossaryService/LookupTerms":        access.Read,
	"/tolk.v1.GlossaryService/SearchTerms":        access.Read,
	"/tolk.v1.GlossaryService/ExportGlossary":     access.Read,
	"/tolk.v1.GlossaryService/UpsertTerms":        access.Write,
	"/tolk.v1.GlossaryService/DeleteTerm":         access.Write,
	"/tolk.v1.GlossaryService/ImportGlossary":     access.Write,
	"/tolk.v1.AdminService/Stats":                 access.Read,
	"/tolk.v1.AdminService/Backup":                access.Admin,
	"/tolk.v1.AdminService/CreateToken":           access.Admin,
	"/tolk.v1.AdminService/ListTokens":            access.Admin,
	"/tolk.v1.AdminService/RevokeToken":           access.Admin,
}

// authorize checks the request's bearer token against the scope the method
// needs. With no token store, or a store without tokens, the server is open.
func (s *Server) authorize(ctx context.Context, method string) error {
	if s.access == nil || !s.access.Enabled() {
		return nil
	}
	need, ok := scopes[method]
	if !ok {
		if strings.HasPrefix(method, "/tolk.") {
			return tolk.Errorf(tolk.EPERMISSION, "%s has no scope assigned; it is refused", method)
		}
		return nil
	}
	var secret string
	if md, ok := metadata.FromIncomingContext(ctx); ok {
		for _, v := range md.Get("authorization") {
			if after, ok := strings.CutPrefix(v, "Bearer "); ok {
				secret = strings.TrimSpace(after)
			}
		}
	}
	tok, err := s.access.Verify(secret)
	if err != nil {
		return err
	}
	if !tok.Allows(need) {
		return tolk.Errorf(tolk.EPERMISSION, "token %q has scopes %v; %s needs %q", tok.Name, tok.Scopes, method, need)
	}
	return nil
}

func (s *Server) authUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if err := s.authorize(ctx, info.FullMethod); err != nil {
		return nil, s.toStatus(ctx, info.FullMethod, err)
	}
	return handler(ctx, req)
}

func (s *Server) authStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if err := s.authorize(ss.Context(), info.FullMethod); err != nil {
		return s.toStatus(ss.Context(), info.FullMethod, err)
	}
	return handler(srv, ss)
}
