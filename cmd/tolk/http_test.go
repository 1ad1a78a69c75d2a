package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var httpLine = regexp.MustCompile(`msg="tolk listening" addr=\S+ http=(\S+)`)

// serveHTTPInProcess runs tolk serve with args until the test ends and
// returns the address of its HTTP face.
func serveHTTPInProcess(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	args = append([]string{"--db", filepath.Join(t.TempDir(), "tolk.db"), "--drain", "0", "--addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0"}, args...)
	go func() { done <- serve(ctx, args, pw); pw.Close() }()
	t.Cleanup(func() { cancel(); <-done })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if m := httpLine.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case a := <-addr:
		return a
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start within 20 s")
	}
	return ""
}

// TestHTTPFaceTLS runs serve with --tls-cert and checks that the HTTP face
// uses the same certificate (HTTP/2 over TLS, the workbench and a JSON
// call), and refuses plaintext.
func TestHTTPFaceTLS(t *testing.T) {
	ca := newCA(t, "ca")
	cert, key := ca.issue(t, "server", true)
	addr := serveHTTPInProcess(t, "--tls-cert", cert, "--tls-key", key)
	pem, err := os.ReadFile(ca.path)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
	resp, err := c.Get("https://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.ProtoMajor != 2 || !strings.Contains(string(page), "Tolk workbench") {
		t.Errorf("GET / over TLS: %d HTTP/%d", resp.StatusCode, resp.ProtoMajor)
	}
	resp, err = c.Post("https://"+addr+"/tolk.v1.TranslationService/Segment", "application/json", strings.NewReader(`{"text":"Een zin. Nog een."}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"Nog een."`) {
		t.Errorf("Segment over TLS: %d %s", resp.StatusCode, body)
	}
	if resp, err := http.Get("http://" + addr + "/"); err == nil {
		resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Errorf("plaintext GET on the TLS face: %d", resp.StatusCode)
		}
	}
}
