package server

import (
	"context"
	"io"
	"strings"

	"go.etcd.io/bbolt"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/access"
	"github.com/tolkdev/tolk/internal/snapshot"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

type adminService struct {
	tolkv1.UnimplementedAdminServiceServer
	s *Server
}

// Backup streams a consistent snapshot. The snapshot is first copied to
// a temporary file at disk speed (internal/snapshot), so no transaction is
// held while a slow client reads it.
func (a *adminService) Backup(_ *tolkv1.BackupRequest, stream tolkv1.AdminService_BackupServer) error {
	ctx := stream.Context()
	snap, err := snapshot.Take(ctx, a.s.db)
	if err != nil {
		return err
	}
	defer snap.Close()
	first := true
	cw := newChunkWriter(func(b []byte) error {
		msg := &tolkv1.BackupResponse{Chunk: b}
		if first {
			msg.TotalSize, first = snap.Size, false
		}
		return stream.Send(msg)
	})
	if _, err = io.Copy(cw, snap); err == nil {
		err = cw.Flush()
	}
	return err
}

func (a *adminService) Stats(ctx context.Context, _ *tolkv1.StatsRequest) (*tolkv1.StatsResponse, error) {
	ms, err := a.s.mem.Memories(ctx)
	if err != nil {
		return nil, err
	}
	concepts, terms, err := a.s.gl.Count(ctx)
	if err != nil {
		return nil, err
	}
	resp := &tolkv1.StatsResponse{Concepts: int64(concepts), Terms: int64(terms), Version: a.s.version}
	for _, m := range ms {
		resp.Memories = append(resp.Memories, memoryToProto(m))
	}
	err = a.s.db.View(func(tx *bbolt.Tx) error {
		resp.DatabaseBytes = tx.Size()
		return nil
	})
	return resp, err
}

func tokenToProto(t access.Token) *tolkv1.Token {
	p := &tolkv1.Token{Id: t.ID, Name: t.Name, CreateTime: timeToProto(t.Created)}
	for _, sc := range t.Scopes {
		p.Scopes = append(p.Scopes, string(sc))
	}
	return p
}

// tokens returns the token store, or a FailedPrecondition error when the
// server was started without one.
func (a *adminService) tokens() (*access.Store, error) {
	if a.s.access == nil {
		return nil, tolk.Errorf(tolk.EFAILEDPRE, "this server has no token store")
	}
	return a.s.access, nil
}

func (a *adminService) CreateToken(ctx context.Context, req *tolkv1.CreateTokenRequest) (*tolkv1.CreateTokenResponse, error) {
	_, err := a.tokens()
	if err != nil {
		return nil, err
	}
	scopes, err := access.ParseScopes(strings.Join(req.GetScopes(), ","))
	if err != nil {
		return nil, err
	}
	tok, secret, err := a.s.w.CreateToken(ctx, req.GetName(), scopes)
	if err != nil {
		return nil, err
	}
	a.s.log.InfoContext(ctx, "token created", "id", tok.ID, "name", tok.Name, "scopes", tok.Scopes)
	return &tolkv1.CreateTokenResponse{Token: tokenToProto(tok), Secret: secret}, nil
}

func (a *adminService) ListTokens(ctx context.Context, req *tolkv1.ListTokensRequest) (*tolkv1.ListTokensResponse, error) {
	store, err := a.tokens()
	if err != nil {
		return nil, err
	}
	ts, next, err := store.ListPage(ctx, int(req.GetPageSize()), req.GetPageToken())
	if err != nil {
		return nil, err
	}
	resp := &tolkv1.ListTokensResponse{NextPageToken: next}
	for _, t := range ts {
		resp.Tokens = append(resp.Tokens, tokenToProto(t))
	}
	return resp, nil
}

func (a *adminService) RevokeToken(ctx context.Context, req *tolkv1.RevokeTokenRequest) (*tolkv1.RevokeTokenResponse, error) {
	_, err := a.tokens()
	if err != nil {
		return nil, err
	}
	if req.GetToken() == "" {
		return nil, tolk.Invalidf("token", "required: the id or name of the token to revoke")
	}
	if err := a.s.w.RevokeToken(ctx, req.GetToken(), req.GetAllowOpen()); err != nil {
		return nil, err
	}
	a.s.log.InfoContext(ctx, "token revoked", "token", req.GetToken())
	return &tolkv1.RevokeTokenResponse{}, nil
}
