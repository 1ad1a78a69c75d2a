package server

import (
	"context"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/access"
)

// methodScope says which scope a Tolk method needs. Methods of other
// services (health, reflection) need none; a Tolk method missing here is
// refused, so a new RPC cannot be left open by mistake.
func methodScope(method string) (access.Scope, bool) {
	switch strings.TrimPrefix(method, "/tolk.v1.") {
	case "TranslationService/Segment", "TranslationService/Translate", "TranslationService/TranslateStream",
		"TranslationService/Align", "MemoryService/LookupSegments", "MemoryService/LookupSegmentsStream", "MemoryService/Lookup", "MemoryService/Concordance",
		"MemoryService/ExportTmx", "MemoryService/ListMemories",
		"MemoryService/GetMemory", "MemoryService/GetUnit", "MemoryService/ListUnits", "GlossaryService/LookupTerms",
		"GlossaryService/SearchTerms", "GlossaryService/GetConcept", "GlossaryService/ListConcepts", "GlossaryService/ExportGlossary",
		"GlossaryService/ListGlossaries", "AdminService/Stats", "ClusterService/Status", "ClusterService/VerifyLeader":
		return access.Read, true
	case "TranslationService/ConfirmSegments", "MemoryService/AddUnits", "MemoryService/DeleteUnit",
		"MemoryService/ImportTmx", "MemoryService/ImportTmxStream", "MemoryService/CreateMemory", "MemoryService/DeleteMemory",
		"MemoryService/UpdateMemory", "MemoryService/UpdateUnit",
		"GlossaryService/UpsertTerms", "GlossaryService/DeleteTerm", "GlossaryService/ImportGlossary",
		"GlossaryService/CreateGlossary", "GlossaryService/UpdateGlossary", "GlossaryService/DeleteGlossary",
		"ClusterService/Apply":
		return access.Write, true
	case "AdminService/Backup", "AdminService/CreateToken", "AdminService/ListTokens", "AdminService/RevokeToken",
		"ClusterService/Join", "ClusterService/Remove", "ClusterService/ApplyAdmin":
		return access.Admin, true
	}
	return "", false
}

// authorize checks the request's bearer token against the scope the method
// needs. With no token store, or a store without tokens, the server is open.
func (s *Server) authorize(ctx context.Context, method string) error {
	if s.access == nil || !s.access.Enabled() {
		return nil
	}
	need, ok := methodScope(method)
	if !ok {
		if strings.HasPrefix(method, "/tolk.") {
			return tolk.Reasonf(tolk.ReasonScopeMissing, "%s has no scope assigned; it is refused", method)
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
		return tolk.Reasonf(tolk.ReasonScopeMissing, "token %q has scopes %v; %s needs %q", tok.Name, tok.Scopes, method, need)
	}
	return nil
}

func (s *Server) authUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if err := s.authorize(ctx, info.FullMethod); err != nil {
		return nil, err
	}
	return handler(ctx, req)
}

func (s *Server) authStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if err := s.authorize(ss.Context(), info.FullMethod); err != nil {
		return err
	}
	return handler(srv, ss)
}
