package cluster_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/tolkdev/tolk/cluster"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// testTLS returns Raft TLS settings whose members present certificates of
// a fresh CA for 127.0.0.1 and require the same of each other (mTLS).
func testTLS(t *testing.T) *cluster.RaftTLS {
	t.Helper()
	key := func() *ecdsa.PrivateKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	caKey, leafKey := key(), key()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "tolk test CA"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "member"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &leafKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	cert := tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return &cluster.RaftTLS{
		Server: &tls.Config{Certificates: []tls.Certificate{cert}, ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12},
		Client: &tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: pool, MinVersion: tls.VersionTLS12},
	}
}

// TestRaftOverTLS runs two nodes whose Raft traffic is mutual TLS: the
// join, the replication of a write, and a node without a certificate the
// members trust cannot join.
func TestRaftOverTLS(t *testing.T) {
	cfg := testTLS(t)
	a, b := newTestNode(t, "a1"), newTestNode(t, "b1")
	a.tls, b.tls = cfg, cfg
	if err := a.start(t, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := b.start(t, false, a.grpcAddr); err != nil {
		t.Fatal(err)
	}
	nodes := []*testNode{a, b}
	converge(t, nodes)
	if _, err := b.mem().CreateMemory(context.Background(), &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{Name: "tls", SourceLanguage: "nl", TargetLanguage: "en"}}); err != nil {
		t.Fatal(err)
	}
	converge(t, nodes)
	if got := a.unitCount(t, "tls"); got != 0 {
		t.Fatalf("unexpected %d units", got)
	}

	// A node with another CA's certificate: the leader cannot replicate to
	// it, so it never catches up (and the cluster keeps going).
	stranger := newTestNode(t, "c1")
	stranger.tls = testTLS(t)
	if err := stranger.start(t, false, a.grpcAddr); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)
	if stranger.node.Applied() != 0 {
		t.Errorf("a node whose certificate the members do not trust applied %d entries", stranger.node.Applied())
	}
}
