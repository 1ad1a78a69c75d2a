package server

import (
	"fmt"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"

	"github.com/tolkdev/tolk"
)

// slowClientError ends a server stream whose client read nothing for
// Limits.StreamSendTimeout: the call's send stalled on flow control.
func slowClientError(limit time.Duration) error {
	return &tolk.Error{Code: tolk.EUNAVAILABLE, Message: fmt.Sprintf(
		"client too slow: it read nothing for %v, the limit for a server stream (StreamSendTimeout); the call is ended", limit)}
}

// sendTimeoutStream ends a server stream whose client stops reading: a
// SendMsg that cannot complete within limit returns slowClientError, and
// the handler's return ends the call (which also ends the abandoned send).
// A stalled client so gives back its heavy-call turn and what it held.
type sendTimeoutStream struct {
	grpc.ServerStream
	limit    time.Duration
	timedOut atomic.Bool
}

func (s *sendTimeoutStream) SendMsg(m any) error {
	done := make(chan error, 1)
	go func() { done <- s.ServerStream.SendMsg(m) }()
	t := time.NewTimer(s.limit)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		s.timedOut.Store(true)
		return slowClientError(s.limit)
	}
}

// withSendTimeout wraps a server stream's sends in StreamSendTimeout, and
// answers a stream it ended with slowClientError whatever the handler made
// of it. It is part of the recvTimeout interceptor.
func (s *Server) withSendTimeout(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if !info.IsServerStream {
		return handler(srv, ss)
	}
	st := &sendTimeoutStream{ServerStream: ss, limit: s.limits.StreamSendTimeout}
	err := handler(srv, st)
	if err != nil && st.timedOut.Load() {
		return slowClientError(st.limit)
	}
	return err
}
