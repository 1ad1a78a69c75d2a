package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// certAuthority signs certificates for a test.
type certAuthority struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	path string // the CA certificate as PEM
}

func newCA(t *testing.T, name string) *certAuthority {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	ca := &certAuthority{cert: cert, key: key, path: filepath.Join(t.TempDir(), name+".pem")}
	writePEM(t, ca.path, "CERTIFICATE", der)
	return ca
}

// issue writes a certificate signed by ca and its key, and returns their
// paths: for a server on 127.0.0.1, or for a client.
func (ca *certAuthority) issue(t *testing.T, name string, server bool) (certPath, keyPath string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certPath, keyPath = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".key")
	writePEM(t, certPath, "CERTIFICATE", der)
	writePEM(t, keyPath, "EC PRIVATE KEY", kder)
	return certPath, keyPath
}

func writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// serveInProcess runs tolk serve with args (and a fresh --db, no seeds, an
// HTTP face on a free port) until the test ends, and returns the gRPC
// address it listens on, or serve's error if it refused to start.
func serveInProcess(t *testing.T, args ...string) (string, error) {
	t.Helper()
	grpcAddr, _, err := serveListening(t, args...)
	return grpcAddr, err
}

// serveListening is serveInProcess returning both addresses: gRPC and the
// HTTP face's.
func serveListening(t *testing.T, args ...string) (grpcAddr, httpAddr string, err error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	args = append([]string{"--db", filepath.Join(t.TempDir(), "tolk.db"), "--no-seed", "--drain", "0", "--http-addr", "127.0.0.1:0"}, args...)
	go func() { done <- serve(ctx, args, pw); pw.Close() }()
	t.Cleanup(func() { cancel(); <-done })
	addrs := make(chan []string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := listenLine.FindStringSubmatch(sc.Text()); m != nil {
				addrs <- m
			}
		}
	}()
	select {
	case m := <-addrs:
		return m[1], m[2], nil
	case err := <-done:
		done <- err // for the cleanup
		return "", "", err
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start within 20 s")
	}
	return "", "", nil
}

// TestMutualTLS runs a server that requires client certificates and
// checks that the CLI reaches it only with --cert and --key of a
// certificate its CA signed.
func TestMutualTLS(t *testing.T) {
	ca, other := newCA(t, "ca"), newCA(t, "other")
	srvCert, srvKey := ca.issue(t, "server", true)
	cliCert, cliKey := ca.issue(t, "client", false)
	strangerCert, strangerKey := other.issue(t, "stranger", false)
	addr, err := serveInProcess(t, "--addr", "127.0.0.1:0", "--tls-cert", srvCert, "--tls-key", srvKey, "--client-ca", ca.path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"client certificate", []string{"--ca", ca.path, "--cert", cliCert, "--key", cliKey}, 0, ""},
		{"no client certificate", []string{"--ca", ca.path}, 1, "Unavailable"},
		{"certificate of another CA", []string{"--ca", ca.path, "--cert", strangerCert, "--key", strangerKey}, 1, "Unavailable"},
		{"--cert without --key", []string{"--ca", ca.path, "--cert", cliCert}, 2, "--cert and --key go together"},
		{"key of another certificate", []string{"--ca", ca.path, "--cert", cliCert, "--key", strangerKey}, 1, "loading the client certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI(addr, append([]string{"stats"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.msg) {
				t.Fatalf("tolk stats: exit %d, %q %q; want exit %d and %q", code, out, stderr, tt.code, tt.msg)
			}
		})
	}
}

// TestMetricsAccess checks that metrics off loopback need TLS or
// --metrics-insecure, and that profiles are served only with --pprof.
// The non-loopback address is a documentation address (192.0.2.1) that
// this machine does not have, so nothing listens beyond loopback: an
// accepted serve fails to bind there instead of refusing.
func TestMetricsAccess(t *testing.T) {
	refusals := []struct {
		name   string
		args   []string
		refuse bool
	}{
		{"metrics off loopback in plaintext", []string{"--metrics-addr", "192.0.2.1:0"}, true},
		{"with --metrics-insecure", []string{"--metrics-addr", "192.0.2.1:0", "--metrics-insecure"}, false},
		{"on loopback", []string{"--metrics-addr", "127.0.0.1:0"}, false},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, err := serveInProcess(t, append([]string{"--addr", "127.0.0.1:0"}, tt.args...)...)
			if refused := err != nil && strings.Contains(err.Error(), "refusing to serve metrics"); refused != tt.refuse {
				t.Fatalf("serve %v: %v; want refused %v", tt.args, err, tt.refuse)
			}
		})
	}
	for _, on := range []bool{false, true} {
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := lis.Addr().String()
		lis.Close()
		errc := make(chan error, 1)
		hs := startMetrics(serveFlags{metricsAddr: addr, pprof: on}, http.NotFoundHandler(), errc)
		want := map[bool]int{false: http.StatusNotFound, true: http.StatusOK}[on]
		var got int
		for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
			resp, err := http.Get("http://" + addr + "/debug/pprof/")
			if err == nil {
				got = resp.StatusCode
				resp.Body.Close()
				break
			}
		}
		hs.Close()
		if got != want {
			t.Errorf("--pprof %v: /debug/pprof/ answered %d, want %d", on, got, want)
		}
	}
}
