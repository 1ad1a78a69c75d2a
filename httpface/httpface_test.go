package httpface_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/tolkdev/tolk/access"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/httpface"
	"github.com/tolkdev/tolk/memory"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/server"
)

// faces is one server over a seeded bbolt file, served both as gRPC and
// through the HTTP face, each on its own loopback listener.
type faces struct {
	http    string // base URL of the HTTP face
	grpc    *grpc.ClientConn
	tokens  *access.Store
	metrics http.Handler
}

func start(t *testing.T) *faces {
	t.Helper()
	ctx := context.Background()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "tolk.db"), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	mem, err := memory.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	gl, err := glossary.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := access.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seeds.Load(ctx, mem, gl); err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{DB: db, Memory: mem, Glossary: gl, Access: tokens, Limits: server.Limits{MaxStreamBytes: 4 << 20}})
	g := grpc.NewServer(srv.ServerOptions()...)
	srv.Register(g)
	h, err := httpface.New(g, httpface.Options{
		Static:       http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "page") }),
		MaxBodyBytes: srv.MaxRequestBytes(),
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go g.Serve(lis)
	t.Cleanup(g.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &faces{http: hs.URL, grpc: conn, tokens: tokens, metrics: srv.MetricsHandler()}
}

// post sends body as Connect JSON to method with the given headers and
// returns the status and the decoded JSON answer.
func post(t *testing.T, base, method, body string, headers map[string]string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+method, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s answered %d with non-JSON %q", method, resp.StatusCode, raw)
	}
	return resp.StatusCode, out
}

func bearer(secret string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + secret}
}

func TestTranslateAndLookupOverJSON(t *testing.T) {
	f := start(t)
	code, out := post(t, f.http, "/tolk.v1.TranslationService/Translate", `{"text":"De president belt de minister. Het staatshoofd zei dat alles goed was."}`, nil)
	if code != http.StatusOK {
		t.Fatalf("Translate: %d %v", code, out)
	}
	segs, _ := out["segments"].([]any)
	if len(segs) != 2 {
		t.Fatalf("Translate gave %d segments, want 2: %v", len(segs), out)
	}
	first := segs[0].(map[string]any)
	if first["source"] != "De president belt de minister." || first["status"] == nil {
		t.Errorf("first segment %v: want the source and a status in proto JSON (lowerCamelCase)", first)
	}

	want := "Het staatshoofd zei dat tijdens de antiterreurmaatregelen, die minder dan twee dagen duurden, alleen militaire faciliteiten het doelwit waren geweest en dat burgers geen schade hadden geleden."
	code, out = post(t, f.http, "/tolk.v1.MemoryService/Lookup", `{"text":`+quote(want)+`,"limit":1}`, nil)
	if code != http.StatusOK {
		t.Fatalf("Lookup: %d %v", code, out)
	}
	ms, _ := out["matches"].([]any)
	if len(ms) != 1 || ms[0].(map[string]any)["score"].(float64) < 90 || ms[0].(map[string]any)["unitId"] == nil {
		t.Fatalf("Lookup of the README's sentence: %v, want one match of 90 or more with unitId", out)
	}
}

// TestErrorsAsGRPC sends the same bad requests through both faces and
// checks that HTTP answers the Connect error of gRPC's status: the code's
// name, the same message, and the ErrorInfo detail.
func TestErrorsAsGRPC(t *testing.T) {
	f := start(t)
	ctx := context.Background()
	_, writeSecret, err := f.tokens.Create(ctx, "editor", []access.Scope{access.Write})
	if err != nil {
		t.Fatal(err)
	}
	_, readSecret, err := f.tokens.Create(ctx, "reader", []access.Scope{access.Read})
	if err != nil {
		t.Fatal(err)
	}
	tm := tolkv1.NewMemoryServiceClient(f.grpc)
	tr := tolkv1.NewTranslationServiceClient(f.grpc)
	withToken := func(s string) context.Context {
		if s == "" {
			return ctx
		}
		return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+s)
	}
	tests := []struct {
		name, method, body, secret, code string
		viaGRPC                          func(context.Context) error
	}{
		{"no token", "/tolk.v1.MemoryService/Lookup", `{"text":"x"}`, "", "unauthenticated",
			func(c context.Context) error { _, err := tm.Lookup(c, &tolkv1.LookupRequest{Text: "x"}); return err }},
		{"wrong token", "/tolk.v1.MemoryService/Lookup", `{"text":"x"}`, "nonsense", "unauthenticated",
			func(c context.Context) error { _, err := tm.Lookup(c, &tolkv1.LookupRequest{Text: "x"}); return err }},
		{"read token writes", "/tolk.v1.MemoryService/CreateMemory", `{"memory":{"name":"nieuw"}}`, readSecret, "permission_denied",
			func(c context.Context) error {
				_, err := tm.CreateMemory(c, &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{Name: "nieuw"}})
				return err
			}},
		{"empty lookup", "/tolk.v1.MemoryService/Lookup", `{"text":""}`, readSecret, "invalid_argument",
			func(c context.Context) error { _, err := tm.Lookup(c, &tolkv1.LookupRequest{}); return err }},
		{"unknown memory", "/tolk.v1.TranslationService/ConfirmSegments", `{"memory":"geen","segments":[{"source":"a","target":"b"}]}`, writeSecret, "not_found",
			func(c context.Context) error {
				_, err := tr.ConfirmSegments(c, &tolkv1.ConfirmSegmentsRequest{Memory: "geen", Segments: []*tolkv1.ConfirmedSegment{{Source: "a", Target: "b"}}})
				return err
			}},
		{"text over the limit", "/tolk.v1.TranslationService/Translate", `{"text":"` + strings.Repeat("a", 1<<20+1) + `"}`, readSecret, "resource_exhausted",
			func(c context.Context) error {
				_, err := tr.Translate(c, &tolkv1.TranslateRequest{Text: strings.Repeat("a", 1<<20+1)})
				return err
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := status.Convert(tt.viaGRPC(withToken(tt.secret)))
			var h map[string]string
			if tt.secret != "" {
				h = bearer(tt.secret)
			}
			code, out := post(t, f.http, tt.method, tt.body, h)
			if code < 400 || out["code"] != tt.code {
				t.Fatalf("HTTP %d %v, want Connect code %q", code, out, tt.code)
			}
			if strings.ToLower(st.Code().String()) != strings.ReplaceAll(tt.code, "_", "") {
				t.Errorf("gRPC code %v, HTTP %q", st.Code(), tt.code)
			}
			if out["message"] != st.Message() {
				t.Errorf("HTTP message %q, gRPC message %q", out["message"], st.Message())
			}
			if details, _ := out["details"].([]any); len(details) == 0 || len(details) != len(st.Details()) {
				t.Errorf("HTTP details %v, gRPC has %d", out["details"], len(st.Details()))
			}
		})
	}
	// The write token passes where the read token was refused.
	if code, out := post(t, f.http, "/tolk.v1.MemoryService/CreateMemory", `{"memory":{"name":"nieuw","sourceLanguage":"nl","targetLanguage":"en"}}`, bearer(writeSecret)); code != http.StatusOK {
		t.Fatalf("CreateMemory with a write token: %d %v", code, out)
	}
	// That call went over HTTP only; the gRPC server's metrics count it.
	rec := httptest.NewRecorder()
	f.metrics.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	var counted bool
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		counted = counted || strings.HasPrefix(line, "tolk_requests_total{") && strings.Contains(line, "CreateMemory") && strings.Contains(line, `"OK"`)
	}
	if !counted {
		t.Errorf("the metrics do not count the successful CreateMemory made over HTTP")
	}
}

func TestOriginsAndHeaders(t *testing.T) {
	f := start(t)
	tests := []struct {
		name    string
		method  string
		headers map[string]string
		want    int
	}{
		{"no origin (curl)", http.MethodPost, nil, http.StatusOK},
		{"same origin", http.MethodPost, map[string]string{"Origin": f.http}, http.StatusOK},
		{"other origin", http.MethodPost, map[string]string{"Origin": "http://evil.example"}, http.StatusForbidden},
		{"other port", http.MethodPost, map[string]string{"Origin": "http://127.0.0.1:1"}, http.StatusForbidden},
		{"cross-site fetch", http.MethodPost, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"preflight", http.MethodOptions, map[string]string{"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, f.http+"/tolk.v1.MemoryService/ListMemories", strings.NewReader(`{}`))
			req.Header.Set("Content-Type", "application/json")
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("Access-Control-Allow-Origin %q: no CORS header may be sent", got)
			}
			if got := resp.Header.Get("Content-Security-Policy"); !strings.Contains(got, "default-src 'self'") || strings.Contains(got, "unsafe-inline") {
				t.Errorf("Content-Security-Policy %q", got)
			}
		})
	}
	// The page is served at / with the same headers.
	resp, err := http.Get(f.http + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("GET /: %d %v", resp.StatusCode, resp.Header)
	}
}

// TestBodyLimit sends a body over the server's message limit (4 MiB + 1 MiB
// in this test's limits) and expects it refused before any service sees it.
func TestBodyLimit(t *testing.T) {
	f := start(t)
	body := `{"text":"` + strings.Repeat("a", 6<<20) + `"}`
	resp, err := http.Post(f.http+"/tolk.v1.TranslationService/Translate", "application/json", bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", resp.StatusCode)
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// envelopes encodes messages as a Connect streaming body.
func envelopes(t *testing.T, msgs ...any) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, m := range msgs {
		data, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		b.Write([]byte{0, byte(len(data) >> 24), byte(len(data) >> 16), byte(len(data) >> 8), byte(len(data))})
		b.Write(data)
	}
	return b.Bytes()
}

// stream posts a Connect streaming body over HTTP/1.1 and returns the
// status, the messages and the end-of-stream frame of the answer.
func stream(t *testing.T, url string, body []byte) (int, []map[string]any, map[string]any) {
	t.Helper()
	resp, err := http.Post(url, "application/connect+json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.ProtoMajor != 1 {
		t.Fatalf("answered over HTTP/%d, want 1.1", resp.ProtoMajor)
	}
	raw, _ := io.ReadAll(resp.Body)
	var msgs []map[string]any
	var end map[string]any
	for len(raw) >= 5 && resp.StatusCode == http.StatusOK {
		n := int(raw[1])<<24 | int(raw[2])<<16 | int(raw[3])<<8 | int(raw[4])
		var m map[string]any
		if err := json.Unmarshal(raw[5:5+n], &m); err != nil {
			t.Fatal(err)
		}
		if raw[0]&2 != 0 {
			end = m
		} else {
			msgs = append(msgs, m)
		}
		raw = raw[5+n:]
	}
	return resp.StatusCode, msgs, end
}

// TestStreamsOverHTTP1 checks what the workbench relies on: a client
// stream (ImportTmx) sent whole and a server stream (ExportTmx) work over
// HTTP/1.1, and a bidirectional one is refused with 505.
func TestStreamsOverHTTP1(t *testing.T) {
	f := start(t)
	tmx := `<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="nl" datatype="plaintext"/><body>` +
		`<tu><tuv xml:lang="nl"><seg>De minister belt.</seg></tuv><tuv xml:lang="en"><seg>The minister calls.</seg></tuv></tu>` +
		`<tu><tuv xml:lang="nl"><seg>De president antwoordt.</seg></tuv><tuv xml:lang="en"><seg>The president answers.</seg></tuv></tu></body></tmx>`
	half := len(tmx) / 2
	body := envelopes(t,
		map[string]any{"memory": "nieuws", "create": true, "chunk": []byte(tmx[:half])},
		map[string]any{"chunk": []byte(tmx[half:])})
	code, msgs, end := stream(t, f.http+"/tolk.v1.MemoryService/ImportTmx", body)
	if code != http.StatusOK || len(msgs) != 1 || msgs[0]["added"] != "2" || end["error"] != nil {
		t.Fatalf("ImportTmx over HTTP/1.1: %d %v %v, want 2 added", code, msgs, end)
	}

	code, msgs, end = stream(t, f.http+"/tolk.v1.MemoryService/ExportTmx", envelopes(t, map[string]any{"memory": "nieuws"}))
	var doc []byte
	for _, m := range msgs {
		chunk, _ := m["chunk"].(string)
		b, err := base64.StdEncoding.DecodeString(chunk)
		if err != nil {
			t.Fatal(err)
		}
		doc = append(doc, b...)
	}
	if code != http.StatusOK || end["error"] != nil || !bytes.Contains(doc, []byte("<seg>The president answers.</seg>")) {
		t.Fatalf("ExportTmx over HTTP/1.1: %d %v, document %q", code, end, doc)
	}

	code, _, _ = stream(t, f.http+"/tolk.v1.MemoryService/ImportTmxStream", envelopes(t, map[string]any{"memory": "nieuws", "chunk": []byte(tmx)}))
	if code != http.StatusHTTPVersionNotSupported {
		t.Errorf("ImportTmxStream over HTTP/1.1: %d, want 505", code)
	}
}
