package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/tolkdev/tolk/client"
	"github.com/tolkdev/tolk/cluster"
	"github.com/tolkdev/tolk/internal/cli"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/server"
)

// clusterFlags are the flags of tolk serve that make it a cluster node.
type clusterFlags struct {
	nodeID, raftAddr, raftDir, join, joinToken string
	bootstrap                                  bool
}

func addClusterFlags(fs *flag.FlagSet, f *clusterFlags) {
	fs.StringVar(&f.nodeID, "node-id", "", "cluster mode: this node's id, unique in the cluster and stable across restarts")
	fs.StringVar(&f.raftAddr, "raft-addr", "", "cluster mode: HOST:PORT for Raft traffic between the nodes")
	fs.StringVar(&f.raftDir, "raft-dir", "", "cluster mode: directory of the Raft log and snapshots (default: the --db path with .raft)")
	fs.BoolVar(&f.bootstrap, "bootstrap", false, "cluster mode: start a new cluster with this node (first start only)")
	fs.StringVar(&f.join, "join", "", "cluster mode: gRPC HOST:PORT of a member to join the cluster through (first start only)")
	fs.StringVar(&f.joinToken, "join-token", os.Getenv("TOLK_TOKEN"), "cluster mode: admin token for --join when the cluster has tokens (env TOLK_TOKEN)")
}

// on reports whether the flags ask for cluster mode.
func (f clusterFlags) on() bool {
	return f.nodeID != "" || f.raftAddr != "" || f.bootstrap || f.join != ""
}

// check returns a usage error for an incomplete or contradictory set.
func (f *clusterFlags) check(db string) error {
	if !f.on() {
		return nil
	}
	switch {
	case f.nodeID == "" || f.raftAddr == "":
		return &cli.UsageError{Msg: "cluster mode needs --node-id and --raft-addr"}
	case f.bootstrap && f.join != "":
		return &cli.UsageError{Msg: "--bootstrap starts a cluster and --join joins one: give one of them"}
	}
	if f.raftDir == "" {
		f.raftDir = db + ".raft"
	}
	return nil
}

// startNode starts the node of a cluster-mode server over a's stores;
// grpcAddr is the address the server listens on; Raft logs to stderr.
func startNode(ctx context.Context, f serveFlags, a *app, grpcAddr string, log *slog.Logger, stderr io.Writer) (*cluster.Node, error) {
	cfg := cluster.Config{
		NodeID: f.cluster.nodeID, RaftAddr: f.cluster.raftAddr, GRPCAddr: grpcAddr, Dir: f.cluster.raftDir,
		Bootstrap: f.cluster.bootstrap, Join: f.cluster.join, JoinToken: f.cluster.joinToken, Logger: log, RaftLog: stderr,
	}
	if !f.noSeed {
		cfg.Seed = func(ctx context.Context, n *cluster.Node) error {
			loaded, err := seeds.LoadWith(ctx, n)
			log.Info("seeded the new cluster through its log", "units", loaded.Units, "concepts", loaded.Concepts)
			return err
		}
	}
	if f.tlsCert != "" {
		// Members reach each other's gRPC with TLS; the members' certificate
		// is the one this node serves with (or --client-ca's roots).
		creds, err := memberCredentials(f)
		if err != nil {
			return nil, err
		}
		cfg.Dial = []grpc.DialOption{grpc.WithTransportCredentials(creds)}
		if cfg.TLS, err = raftTLS(f); err != nil {
			return nil, err
		}
	} else {
		cfg.Dial = []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	}
	return cluster.Open(ctx, cfg, cluster.Stores{DB: a.db, Memory: a.mem, Glossary: a.gl, Access: a.tokens})
}

// memberCredentials are the TLS credentials a node dials other members
// with: it trusts the certificate it serves with itself, or --client-ca,
// and presents its own certificate (for servers that require mTLS).
func memberCredentials(f serveFlags) (credentials.TransportCredentials, error) {
	ca := f.clientCA
	if ca == "" {
		ca = f.tlsCert
	}
	return client.MutualTLSCredentials(ca, f.tlsCert, f.tlsKey)
}

// raftTLS returns the TLS of Raft traffic, with the certificates of gRPC:
// the node presents --tls-cert, trusts --client-ca (or --tls-cert itself),
// and with --client-ca requires the other members' certificates too.
func raftTLS(f serveFlags) (*cluster.RaftTLS, error) {
	cert, err := tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
	if err != nil {
		return nil, fmt.Errorf("loading the TLS key pair for Raft: %w", err)
	}
	ca := f.clientCA
	if ca == "" {
		ca = f.tlsCert
	}
	pem, err := os.ReadFile(ca)
	if err != nil {
		return nil, fmt.Errorf("reading the CA for Raft: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", ca)
	}
	server := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if f.clientCA != "" {
		server.ClientCAs, server.ClientAuth = pool, tls.RequireAndVerifyClientCert
	}
	return &cluster.RaftTLS{Server: server, Client: &tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: pool, MinVersion: tls.VersionTLS12}}, nil
}

// clusterServer returns the server's config, gRPC options and service
// registration for node (nil: a single node, unchanged).
func clusterServer(node *cluster.Node, cfg *server.Config) (opts []grpc.ServerOption, register func(*grpc.Server)) {
	if node == nil {
		return nil, func(*grpc.Server) {}
	}
	cfg.Writer, cfg.Ready = node, node.Ready
	opts = []grpc.ServerOption{grpc.ChainUnaryInterceptor(node.UnaryInterceptor), grpc.ChainStreamInterceptor(node.StreamInterceptor)}
	return opts, func(g *grpc.Server) { tolkv1.RegisterClusterServiceServer(g, node.Service()) }
}

// stopNode hands over the leadership and stops the node.
func stopNode(node *cluster.Node, log *slog.Logger) {
	if node == nil {
		return
	}
	if err := node.TransferLeadership(); err != nil {
		log.Warn("stopping the cluster node", "err", err)
	}
	if err := node.Close(); err != nil {
		log.Warn("stopping the cluster node", "err", fmt.Sprint(err))
	}
}
