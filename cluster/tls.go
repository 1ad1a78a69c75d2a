package cluster

import (
	"crypto/tls"
	"fmt"
	"net"
	"time"

	"github.com/hashicorp/raft"
)

// tlsStream is a Raft stream layer over TLS: it listens with the server
// side of Config.RaftTLS and dials the other members with its client side.
type tlsStream struct {
	net.Listener
	advertise net.Addr
	client    *tls.Config
}

// newTLSStream listens for Raft traffic on bind with TLS.
func newTLSStream(bind string, advertise net.Addr, cfg *RaftTLS) (*tlsStream, error) {
	l, err := tls.Listen("tcp", bind, cfg.Server)
	if err != nil {
		return nil, fmt.Errorf("listening for Raft (TLS) on %s: %w", bind, err)
	}
	return &tlsStream{Listener: l, advertise: advertise, client: cfg.Client}, nil
}

// Dial connects to another member's Raft address with TLS.
func (s *tlsStream) Dial(addr raft.ServerAddress, timeout time.Duration) (net.Conn, error) {
	return tls.DialWithDialer(&net.Dialer{Timeout: timeout}, "tcp", string(addr), s.client)
}

// Addr is the address the other members reach this node at.
func (s *tlsStream) Addr() net.Addr {
	if s.advertise != nil {
		return s.advertise
	}
	return s.Listener.Addr()
}

// RaftTLS are the TLS settings of Raft traffic: Server for the node's
// listener (its certificate, and client certificates it requires), Client
// for its connections to the other members (the roots it trusts, its own
// certificate).
type RaftTLS struct {
	Server, Client *tls.Config
}
