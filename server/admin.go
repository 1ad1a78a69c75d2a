package server

import (
	"context"

	"go.etcd.io/bbolt"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

type adminService struct {
	tolkv1.UnimplementedAdminServiceServer
	s *Server
}

// Backup streams a consistent snapshot: one read transaction's WriteTo,
// while lookups and writes go on.
func (a *adminService) Backup(_ *tolkv1.BackupRequest, stream tolkv1.AdminService_BackupServer) error {
	ctx := stream.Context()
	err := a.s.db.View(func(tx *bbolt.Tx) error {
		size := tx.Size()
		first := true
		cw := newChunkWriter(func(b []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			msg := &tolkv1.BackupResponse{Chunk: b}
			if first {
				msg.TotalSize, first = size, false
			}
			return stream.Send(msg)
		})
		if _, err := tx.WriteTo(cw); err != nil {
			return err
		}
		return cw.Flush()
	})
	return a.s.toStatus(ctx, "Backup", err)
}

func (a *adminService) Stats(ctx context.Context, _ *tolkv1.StatsRequest) (*tolkv1.StatsResponse, error) {
	ms, err := a.s.mem.Memories(ctx)
	if err != nil {
		return nil, a.s.toStatus(ctx, "Stats", err)
	}
	concepts, terms, err := a.s.gl.Count(ctx)
	if err != nil {
		return nil, a.s.toStatus(ctx, "Stats", err)
	}
	resp := &tolkv1.StatsResponse{Concepts: int64(concepts), Terms: int64(terms), Version: a.s.version}
	for _, m := range ms {
		resp.Memories = append(resp.Memories, memoryToProto(m))
	}
	err = a.s.db.View(func(tx *bbolt.Tx) error {
		resp.DatabaseBytes = tx.Size()
		return nil
	})
	return resp, a.s.toStatus(ctx, "Stats", err)
}
