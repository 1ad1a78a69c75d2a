package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"google.golang.org/grpc/credentials"
)

// bearer sends an API token as "authorization: Bearer TOKEN" on every call.
type bearer string

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(b)}, nil
}

// RequireTransportSecurity is false so that a token can be used with a
// server on loopback, which may run without TLS.
func (bearer) RequireTransportSecurity() bool { return false }

// WithToken returns per-RPC credentials that send token as a bearer token,
// for use with grpc.WithPerRPCCredentials.
func WithToken(token string) credentials.PerRPCCredentials { return bearer(token) }

// TLSCredentials returns TLS credentials that trust the CA in the PEM
// file caPath, or the system roots when caPath is empty.
func TLSCredentials(caPath string) (credentials.TransportCredentials, error) {
	return MutualTLSCredentials(caPath, "", "")
}

// MutualTLSCredentials is TLSCredentials that also presents the client
// certificate in the PEM files certPath and keyPath, for a server that
// requires one (mTLS); with both empty it presents none.
func MutualTLSCredentials(caPath, certPath, keyPath string) (credentials.TransportCredentials, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if caPath != "" {
		pem, err := os.ReadFile(caPath)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s holds no PEM certificate", caPath)
		}
		cfg.RootCAs = pool
	}
	if certPath != "" || keyPath != "" {
		cert, err := tls.LoadX509KeyPair(certPath, keyPath)
		if err != nil {
			return nil, fmt.Errorf("loading the client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return credentials.NewTLS(cfg), nil
}
