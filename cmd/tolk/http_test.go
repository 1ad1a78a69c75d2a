package main

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

// TestHTTPFaceTLS runs serve with --tls-cert and checks that the HTTP face
// uses the same certificate (HTTP/2 over TLS, the workbench and a JSON
// call), and refuses plaintext.
func TestHTTPFaceTLS(t *testing.T) {
	ca := newCA(t, "ca")
	cert, key := ca.issue(t, "server", true)
	_, addr, err := serveListening(t, "--tls-cert", cert, "--tls-key", key)
	if err != nil {
		t.Fatal(err)
	}
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
