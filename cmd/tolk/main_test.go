package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/tolkdev/tolk/client"
	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/server"
)

// testServer runs the real server wiring (open, seeds, server) on a bbolt
// file in a temporary folder, listening on loopback.
type testServer struct {
	addr string
	db   string
}

func startServer(t *testing.T) *testServer {
	t.Helper()
	dbPath := filepath.Join(t.TempDir(), "tolk.db")
	a, err := open(context.Background(), dbPath, true, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{DB: a.db, Memory: a.mem, Glossary: a.gl})
	g := grpc.NewServer(srv.ServerOptions()...)
	srv.Register(g)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go g.Serve(lis)
	t.Cleanup(func() { g.Stop(); a.close() })
	return &testServer{addr: lis.Addr().String(), db: dbPath}
}

// run runs one tolk command against the server and returns its exit code,
// stdout and stderr.
func (s *testServer) run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := client.Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string {
			if k == "TOLK_ADDR" {
				return s.addr
			}
			return ""
		},
		Dial: []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())},
	}
	err := client.Run(context.Background(), args, env)
	if err != nil {
		errOut.WriteString(client.Message(err))
	}
	return client.ExitCode(err), out.String(), errOut.String()
}

func TestTranslateSeedArticleCLI(t *testing.T) {
	s := startServer(t)
	units, err := seeds.Units()
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := s.run(t, seeds.Article(), "translate", "-")
	if code != 0 {
		t.Fatalf("translate exit %d: %s", code, errOut)
	}
	for _, u := range units {
		if !strings.Contains(out, u.Source) || !strings.Contains(out, u.Target) {
			t.Errorf("text output lacks the pair %q → %q", u.Source, u.Target)
		}
	}
	if !strings.Contains(out, "term: ") {
		t.Error("text output shows no glossary terms")
	}

	code, out, errOut = s.run(t, seeds.Article(), "translate", "--format", "json")
	if code != 0 {
		t.Fatalf("translate --format json exit %d: %s", code, errOut)
	}
	var resp struct {
		Segments []struct {
			Index, Start, End int
			Source, Target    string
			Status            string
			Best              struct{ Score int }
			Terms             []struct{ Text, Term, Target string }
		}
	}
	if err := json.Unmarshal([]byte(out), &resp); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if len(resp.Segments) != len(units) {
		t.Fatalf("%d segments, want %d", len(resp.Segments), len(units))
	}
	for i, sg := range resp.Segments {
		if sg.Target != units[i].Target || sg.Best.Score < 100 || sg.Index != i {
			t.Errorf("segment %d = %+v, want target %q with score ≥ 100", i, sg, units[i].Target)
		}
	}
}

func TestCLICommands(t *testing.T) {
	s := startServer(t)
	first, _ := seeds.Units()
	tests := []struct {
		name     string
		args     []string
		stdin    string
		code     int
		contains string
	}{
		{"lookup exact", []string{"lookup", "--json", first[1].Source}, "", 0, `"score":100`},
		{"lookup fuzzy", []string{"lookup", "--min-score", "60", "Het staatshoofd zei dat tijdens de antiterreurmaatregelen alleen militaire faciliteiten het doelwit waren."}, "", 0, "fuzzy"},
		{"lookup json shape", []string{"lookup", "--json", "iets heel anders dan het artikel"}, "", 0, `{"matches":[]}`},
		{"terms", []string{"terms", "--json", "De Amerikaanse minister van Buitenlandse Zaken belde het staatshoofd."}, "", 0, `"hits":[`},
		{"concordance", []string{"concordance", "Azerbeidzjan"}, "", 0, "units"},
		{"segment local", []string{"segment", "--json"}, "Een zin. Nog een zin.", 0, `{"start":0,"end":8,"text":"Een zin."}`},
		{"tm list", []string{"tm", "list"}, "", 0, "seed"},
		{"stats", []string{"stats"}, "", 0, "glossary:"},
		{"usage: unknown command", []string{"frobnicate"}, "", 2, "unknown command"},
		{"usage: bad flag", []string{"lookup", "--nope", "x"}, "", 2, "not defined"},
		{"usage: missing text", []string{"lookup"}, "", 2, "TEXT is required"},
		{"request fails", []string{"lookup", "--min-score", "20", "x"}, "", 1, "min_score"},
		{"unknown memory", []string{"tm", "export", "--memory", "nope"}, "", 1, "NotFound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := s.run(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stdout %q; stderr %q", code, tt.code, out, errOut)
			}
			if !strings.Contains(out+errOut, tt.contains) {
				t.Errorf("output lacks %q:\nstdout: %s\nstderr: %s", tt.contains, out, errOut)
			}
		})
	}
}

func TestTMAndGlossaryRoundTrip(t *testing.T) {
	s := startServer(t)
	dir := t.TempDir()
	tmxPath := filepath.Join(dir, "seed.tmx")
	if code, _, errOut := s.run(t, "", "tm", "export", "--memory", "seed", "-o", tmxPath); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	code, _, errOut := s.run(t, "", "tm", "import", tmxPath, "--memory", "copy")
	if code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	if !strings.Contains(errOut, "11 added") {
		t.Errorf("import said %q, want 11 added", errOut)
	}
	for _, format := range []string{"tbx", "csv", "tsv", "jsonl"} {
		path := filepath.Join(dir, "glossary."+format)
		if code, _, errOut := s.run(t, "", "glossary", "export", "--format", format, "-o", path); code != 0 {
			t.Fatalf("glossary export %s: %s", format, errOut)
		}
		if code, _, errOut := s.run(t, "", "glossary", "import", path, "--format", format); code != 0 {
			t.Fatalf("glossary import %s: %s", format, errOut)
		}
	}
}

func TestBackup(t *testing.T) {
	s := startServer(t)
	path := filepath.Join(t.TempDir(), "backup.db")
	if code, _, errOut := s.run(t, "", "backup", "-o", path); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatalf("backup fails bbolt's check: %v", err)
	}
}

// TestSeedingIsIdempotent starts twice on one file: the second start adds
// nothing, and loading the seeds again by hand duplicates nothing.
func TestSeedingIsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tolk.db")
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	count := func() (int, int) {
		t.Helper()
		a, err := open(ctx, path, true, log)
		if err != nil {
			t.Fatal(err)
		}
		defer a.close()
		if _, err := seeds.Load(ctx, a.mem, a.gl); err != nil {
			t.Fatal(err)
		}
		m, err := a.mem.Memory(ctx, seeds.MemoryName)
		if err != nil {
			t.Fatal(err)
		}
		concepts, _, err := a.gl.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return m.Units, concepts
	}
	u1, c1 := count()
	u2, c2 := count()
	units, _ := seeds.Units()
	if u1 != len(units) || u2 != u1 || c2 != c1 || c1 < 60 {
		t.Errorf("after two starts: %d then %d units (want %d), %d then %d concepts", u1, u2, len(units), c1, c2)
	}
}

// TestSecondServerFailsFast checks that a second server on a locked file
// says so within seconds instead of hanging.
func TestSecondServerFailsFast(t *testing.T) {
	s := startServer(t)
	start := time.Now()
	_, err := open(context.Background(), s.db, true, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("second open: %v, want a 'locked' error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second open took %v", d)
	}
}
