package server

import (
	"context"
	"time"

	"go.etcd.io/bbolt"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/access"
)

// probeBucket holds the probe write for as long as the probe runs.
var probeBucket = []byte("tolk.health-probe")

// probeSize is the size of the probe write: large enough that the file
// must usually grow, as real writes do, so a full disk fails it.
const probeSize = 1 << 20

// minProbeGap is the least time between two write probes that calls ask
// for, so that failing calls cannot keep the disk busy with probes.
const minProbeGap = time.Second

// WatchHealth keeps the health status true until ctx is done. Every
// interval it checks that the database answers a read transaction; after
// a write call fails on the server's side it probes a write (probeSize
// bytes committed, then removed) at once (or at the next interval if a
// probe ran less than minProbeGap ago), and then every interval until one
// succeeds. Health is NOT_SERVING while either check fails, so a server
// whose disk is full or failing is taken out of rotation, and it comes
// back by itself once writes succeed again.
func (s *Server) WatchHealth(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	serving, pending := s.ready == nil || s.ready() == nil, false
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.probe:
			pending = true
			if time.Since(last) < minProbeGap {
				continue
			}
		}
		err := s.db.View(func(*bbolt.Tx) error { return nil })
		if err == nil && s.ready != nil {
			err = s.ready()
		}
		if err == nil && (pending || s.writesFail.Load()) {
			err = probeWrite(s.db)
			s.writesFail.Store(err != nil)
			pending, last = false, time.Now()
		}
		if ok := err == nil; ok != serving {
			serving = ok
			st := healthpb.HealthCheckResponse_SERVING
			if !ok {
				st = healthpb.HealthCheckResponse_NOT_SERVING
				s.log.Error("database check failed; reporting NOT_SERVING until it succeeds", "err", err)
			} else {
				s.log.Info("database check succeeds again; reporting SERVING")
			}
			s.health.SetServingStatus("", st)
		}
	}
}

// probeWrite commits a write of probeSize bytes and removes it.
func probeWrite(db *bbolt.DB) error {
	err := db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(probeBucket)
		if err != nil {
			return err
		}
		return b.Put([]byte("probe"), make([]byte, probeSize))
	})
	if err != nil {
		return err
	}
	return db.Update(func(tx *bbolt.Tx) error { return tx.DeleteBucket(probeBucket) })
}

// serverFault reports whether a call's error may come from the server's
// storage rather than from the request: a status (such as a stream's
// Recv error) by its code, a domain error by its tolk code.
func serverFault(err error) bool {
	if st, ok := err.(interface{ GRPCStatus() *status.Status }); ok {
		switch st.GRPCStatus().Code() {
		case codes.Internal, codes.Unknown, codes.Unavailable, codes.ResourceExhausted, codes.DataLoss:
			return true
		}
		return false
	}
	switch tolk.ErrorCode(err) {
	case tolk.EINTERNAL, tolk.ELIMIT, tolk.EUNAVAILABLE:
		return true
	}
	return false
}

// noteWrite asks WatchHealth for a write probe when a write call failed
// on the server's side, or succeeded while writes were failing (so health
// comes back at once).
func (s *Server) noteWrite(method string, err error) {
	if scope, _ := methodScope(method); scope != access.Write {
		return
	}
	if err == nil && !s.writesFail.Load() || err != nil && !serverFault(err) {
		return
	}
	select {
	case s.probe <- struct{}{}:
	default: // a probe is already asked for
	}
}

func (s *Server) watchWriteUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	resp, err := handler(ctx, req)
	s.noteWrite(info.FullMethod, err)
	return resp, err
}

func (s *Server) watchWriteStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	err := handler(srv, ss)
	s.noteWrite(info.FullMethod, err)
	return err
}
