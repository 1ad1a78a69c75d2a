// Package client is the Go client library of a Tolk server, for translators'
// tools and for the tolk command line (internal/cli). It speaks only the wire types of
// proto/tolk/v1; it never opens the database.
package client

import (
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// DefaultAddr is where tolk serve listens unless told otherwise.
const DefaultAddr = "127.0.0.1:50051"

// Client holds a connection and a stub per service. Close it when done.
type Client struct {
	conn        *grpc.ClientConn
	Translation tolkv1.TranslationServiceClient
	Memory      tolkv1.MemoryServiceClient
	Glossary    tolkv1.GlossaryServiceClient
	Admin       tolkv1.AdminServiceClient
	Cluster     tolkv1.ClusterServiceClient // a cluster node's members and status
}

// New connects to the server at addr. With no options the connection is
// plaintext, which suits a server on loopback; pass grpc.DialOptions for
// TLS or a custom dialer. The connection is made lazily, on the first call.
func New(addr string, opts ...grpc.DialOption) (*Client, error) {
	if len(opts) == 0 {
		opts = []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	}
	opts = append(opts, grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(256<<20)))
	conn, err := grpc.NewClient(addr, opts...)
	if err != nil {
		return nil, fmt.Errorf("connecting to %s: %w", addr, err)
	}
	return &Client{
		conn:        conn,
		Translation: tolkv1.NewTranslationServiceClient(conn),
		Memory:      tolkv1.NewMemoryServiceClient(conn),
		Glossary:    tolkv1.NewGlossaryServiceClient(conn),
		Admin:       tolkv1.NewAdminServiceClient(conn),
		Cluster:     tolkv1.NewClusterServiceClient(conn),
	}, nil
}

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }
