package server

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/status"
)

// keepaliveOptions returns the server's connection limits: how often a
// client may ping, when an idle or old connection is closed, and how the
// server checks that a silent client is still there.
func (s *Server) keepaliveOptions() []grpc.ServerOption {
	l := s.limits
	return []grpc.ServerOption{
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{
			MinTime:             l.MinPingInterval,
			PermitWithoutStream: true,
		}),
		grpc.KeepaliveParams(keepalive.ServerParameters{
			MaxConnectionIdle:     l.MaxConnIdle,
			MaxConnectionAge:      l.MaxConnAge,
			MaxConnectionAgeGrace: l.MaxConnAgeGrace,
			Time:                  l.PingAfter,
			Timeout:               l.PingTimeout,
		}),
	}
}

// recvTimeoutError ends a client stream whose client sent nothing for the
// limit. cause, when set, is what the handler made of it (a parser's
// "cannot read" with the units committed), which names the limit already.
// It unwraps to context.DeadlineExceeded only, so it is answered with
// DeadlineExceeded whatever the parser wrapped it in.
type recvTimeoutError struct {
	limit time.Duration
	cause string
}

func (e recvTimeoutError) Error() string {
	if e.cause != "" {
		return e.cause
	}
	return fmt.Sprintf("the client sent nothing for %v, the limit for a client stream (StreamRecvTimeout); the call is ended", e.limit)
}

func (recvTimeoutError) Unwrap() error { return context.DeadlineExceeded }

// recvTimeoutStream ends a client stream whose client sends nothing for
// limit: its RecvMsg returns recvTimeoutError then, and the handler's
// return ends the call (which also ends the abandoned receive).
type recvTimeoutStream struct {
	grpc.ServerStream
	limit    time.Duration
	timedOut atomic.Bool
}

func (r *recvTimeoutStream) RecvMsg(m any) error {
	done := make(chan error, 1)
	go func() { done <- r.ServerStream.RecvMsg(m) }()
	t := time.NewTimer(r.limit)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		r.timedOut.Store(true)
		return recvTimeoutError{limit: r.limit}
	}
}

// recvTimeout applies Limits.StreamRecvTimeout to every client stream, and
// answers a stream it ended with DeadlineExceeded and the handler's message;
// and Limits.StreamSendTimeout to every server stream (withSendTimeout).
func (s *Server) recvTimeout(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if !info.IsClientStream {
		return s.withSendTimeout(srv, ss, info, handler)
	}
	rs := &recvTimeoutStream{ServerStream: ss, limit: s.limits.StreamRecvTimeout}
	err := s.withSendTimeout(srv, rs, info, handler)
	if err != nil && rs.timedOut.Load() {
		msg := status.Convert(err).Message()
		if !strings.Contains(msg, "StreamRecvTimeout") {
			msg = recvTimeoutError{limit: rs.limit}.Error() + ": " + msg
		}
		return recvTimeoutError{limit: rs.limit, cause: msg}
	}
	return err
}
