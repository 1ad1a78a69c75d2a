package server

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"

	"github.com/tolkdev/tolk"
)

// isHeavy reports whether a method is a heavy call: one whose memory or
// time grows with a document or a whole store (imports, exports,
// TranslateStream, Align, Backup). Heavy calls pass the admission budget.
func isHeavy(method string) bool {
	switch strings.TrimPrefix(method, "/tolk.v1.") {
	case "TranslationService/TranslateStream", "TranslationService/Align", "TranslationService/LookupSegmentsStream",
		"MemoryService/ImportTmx", "MemoryService/ExportTmx",
		"GlossaryService/ImportGlossary", "GlossaryService/ExportGlossary",
		"AdminService/Backup":
		return true
	}
	return false
}

// admission is the global budget of heavy calls: at most cap(slots) run
// at once; the next one waits up to wait for a slot, or until its context
// ends, and is then refused. As each heavy call's memory is bounded by the
// Limits, the budget also bounds their memory together.
type admission struct {
	slots   chan struct{}
	wait    time.Duration
	running atomic.Int64
}

func newAdmission(max int, wait time.Duration) *admission {
	return &admission{slots: make(chan struct{}, max), wait: wait}
}

// admit takes a slot for a heavy call and returns the function that gives
// it back. It fails with ELIMIT when no slot frees up in time, or with the
// context's error when ctx ends first.
func (a *admission) admit(ctx context.Context) (release func(), err error) {
	select {
	case a.slots <- struct{}{}:
	default:
		t := time.NewTimer(a.wait)
		defer t.Stop()
		select {
		case a.slots <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
			return nil, &tolk.Error{Code: tolk.ELIMIT, Message: fmt.Sprintf(
				"server busy: %d heavy calls running (the limit is %d, waited %v); try again", a.running.Load(), cap(a.slots), a.wait)}
		}
	}
	a.running.Add(1)
	return func() { a.running.Add(-1); <-a.slots }, nil
}

func (s *Server) admitUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if !isHeavy(info.FullMethod) {
		return handler(ctx, req)
	}
	release, err := s.heavy.admit(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return handler(ctx, req)
}

// admitStream admits a heavy stream before its handler reads the request,
// so a waiting call holds no document in memory.
func (s *Server) admitStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if !isHeavy(info.FullMethod) {
		return handler(srv, ss)
	}
	release, err := s.heavy.admit(ss.Context())
	if err != nil {
		return err
	}
	defer release()
	return handler(srv, ss)
}
