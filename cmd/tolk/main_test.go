package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/tolkdev/tolk/internal/cli"
	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/memory"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
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
	srv := server.New(server.Config{DB: a.db, Memory: a.mem, Glossary: a.gl, Access: a.tokens})
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
	return s.runEnv(t, nil, stdin, args...)
}

// runEnv is run with extra environment variables.
func (s *testServer) runEnv(t *testing.T, vars map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string {
			if k == "TOLK_ADDR" {
				return s.addr
			}
			return vars[k]
		},
		Dial: []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())},
	}
	err := cli.Run(context.Background(), args, env)
	if err != nil {
		errOut.WriteString(cli.Message(err))
	}
	return cli.ExitCode(err), out.String(), errOut.String()
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
		{"lookup fuzzy", []string{"lookup", strings.Replace(first[3].Source, "24 uur", "twee dagen", 1)}, "", 0, "fuzzy"},
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
	for _, format := range []string{"tbx", "tbx2", "csv", "tsv", "jsonl"} {
		path := filepath.Join(dir, "glossary."+format)
		if code, _, errOut := s.run(t, "", "glossary", "export", "--format", format, "-o", path); code != 0 {
			t.Fatalf("glossary export %s: %s", format, errOut)
		}
		if code, _, errOut := s.run(t, "", "glossary", "import", path, "--format", format); code != 0 {
			t.Fatalf("glossary import %s: %s", format, errOut)
		}
	}
	// Filters: a subject, and a date after every change.
	code, out, errOut := s.run(t, "", "glossary", "export", "--format", "jsonl", "--subject", "capitals")
	if n := strings.Count(out, "\n"); code != 0 || n < 50 || strings.Contains(out, `"subject":"titles"`) {
		t.Errorf("export of subject capitals: exit %d, %d lines: %s", code, n, errOut)
	}
	code, out, _ = s.run(t, "", "glossary", "export", "--format", "jsonl", "--changed-since", "2999-01-01")
	if code != 0 || out != "" {
		t.Errorf("export changed since 2999: exit %d, %q", code, out)
	}
	// Both TBX versions validate, an empty v3 export too; v2 cannot be empty.
	validateXML(t, filepath.Join(dir, "glossary.tbx"), "schemas/tbx/v3/TBXcoreStructV03.rng")
	validateXML(t, filepath.Join(dir, "glossary.tbx2"), "schemas/tbx/v2/TBXcoreStructV02.dtd")
	empty := filepath.Join(dir, "empty.tbx")
	if code, _, errOut := s.run(t, "", "glossary", "export", "--format", "tbx", "--changed-since", "2999-01-01", "-o", empty); code != 0 {
		t.Fatalf("empty TBX v3 export: %s", errOut)
	}
	validateXML(t, empty, "schemas/tbx/v3/TBXcoreStructV03.rng")
	code, _, errOut = s.run(t, "", "glossary", "export", "--format", "tbx2", "--changed-since", "2999-01-01")
	if code != 1 || !strings.Contains(errOut, "TBX v2 cannot hold an empty termbase") {
		t.Errorf("empty TBX v2 export: exit %d, %s", code, errOut)
	}
}

// TestBackup imports a file while a backup stream is open (after its first
// chunk, before its last): the import succeeds, and the backup holds the
// database as it was when the backup began, consistent. Then the CLI's
// backup holds both imports.
func TestBackup(t *testing.T) {
	s := startServer(t)
	ctx := context.Background()
	if code, _, errOut := s.run(t, "", "tm", "import", writeUnitsTMX(t, 0, 200), "--memory", "busy"); code != 0 {
		t.Fatalf("import before the backup: %s", errOut)
	}
	conn, err := grpc.NewClient(s.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	stream, err := tolkv1.NewAdminServiceClient(conn).Backup(ctx, &tolkv1.BackupRequest{})
	if err != nil {
		t.Fatal(err)
	}
	first, err := stream.Recv()
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(first.GetChunk())) >= first.GetTotalSize() {
		t.Fatalf("the backup came in one chunk of %d bytes: nothing can run between its start and end", len(first.GetChunk()))
	}
	if code, _, errOut := s.run(t, "", "tm", "import", writeUnitsTMX(t, 1, 200), "--memory", "busy"); code != 0 {
		t.Fatalf("import during the backup: %s", errOut)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	data := first.GetChunk()
	for {
		msg, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("backup stream after the import: %v", err)
		}
		data = append(data, msg.GetChunk()...)
	}
	if int64(len(data)) != first.GetTotalSize() {
		t.Fatalf("the backup has %d bytes, its header said %d", len(data), first.GetTotalSize())
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	checkBackup(t, path, 200)

	cliPath := filepath.Join(t.TempDir(), "cli.db")
	if code, _, errOut := s.run(t, "", "backup", "-o", cliPath); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	checkBackup(t, cliPath, 400)
}

// checkBackup opens a backup (checking it with bbolt's consistency check):
// each memory's count matches its units, and memory busy holds busy units.
func checkBackup(t *testing.T, path string, busy int) {
	t.Helper()
	db := openChecked(t, path)
	defer db.Close()
	ctx := context.Background()
	mem, err := memory.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := mem.Memories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range ms {
		n := 0
		if err := mem.Export(ctx, m.Name, func(memory.Unit) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		if n != m.Units {
			t.Errorf("memory %s in the backup: %d units exported, %d counted", m.Name, n, m.Units)
		}
		if m.Name == "busy" {
			found = true
			if n != busy {
				t.Errorf("memory busy in the backup holds %d units, want %d", n, busy)
			}
		}
	}
	if !found {
		t.Error("the backup has no memory busy")
	}
}

// writeUnitsTMX writes a TMX file of n units numbered from batch*n.
func writeUnitsTMX(t *testing.T, batch, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<tmx version="1.4"><header srclang="nl" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body>`)
	for i := batch * n; i < (batch+1)*n; i++ {
		fmt.Fprintf(&b, `<tu><tuv xml:lang="nl"><seg>Zin nummer %d.</seg></tuv><tuv xml:lang="en"><seg>Sentence number %d.</seg></tuv></tu>`, i, i)
	}
	b.WriteString(`</body></tmx>`)
	path := filepath.Join(t.TempDir(), fmt.Sprintf("batch%d.tmx", batch))
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
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

// TestTokens checks access control end to end: an open server until the
// first token exists, then Unauthenticated without a valid token and
// PermissionDenied for a missing scope.
func TestTokens(t *testing.T) {
	s := startServer(t)
	code, admin, errOut := s.run(t, "", "token", "create", "--name", "root", "--scope", "admin")
	if code != 0 {
		t.Fatalf("creating the first token on an open server: %s", errOut)
	}
	admin = strings.TrimSpace(admin)
	code, reader, errOut := s.run(t, "", "token", "create", "--name", "reader", "--scope", "read", "--token", admin)
	if code != 0 {
		t.Fatalf("creating a read token: %s", errOut)
	}
	reader = strings.TrimSpace(reader)
	tests := []struct {
		name     string
		token    string
		args     []string
		code     int
		contains string
	}{
		{"no token", "", []string{"lookup", "x"}, 1, "Unauthenticated"},
		{"wrong token", "tolk_t9_nope", []string{"lookup", "x"}, 1, "Unauthenticated"},
		{"read token reads", reader, []string{"lookup", "x"}, 0, ""},
		{"read token cannot write", reader, []string{"tm", "create", "new"}, 1, "PermissionDenied"},
		{"read token cannot back up", reader, []string{"backup", "-o", filepath.Join(t.TempDir(), "b.db")}, 1, "PermissionDenied"},
		{"admin token writes", admin, []string{"tm", "create", "new"}, 0, ""},
		{"token from the environment", "env", []string{"token", "list"}, 0, "reader"},
		{"revoke", admin, []string{"token", "revoke", "reader"}, 0, ""},
		{"revoked token", reader, []string{"lookup", "x"}, 1, "Unauthenticated"},
		{"revoking the last token", admin, []string{"token", "revoke", "root"}, 1, "FailedPrecondition"},
		{"still closed", "", []string{"lookup", "x"}, 1, "Unauthenticated"},
		{"revoking it with --allow-open", admin, []string{"token", "revoke", "--allow-open", "root"}, 0, ""},
		{"open again", "", []string{"lookup", "x"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args, vars := tt.args, map[string]string{}
			switch tt.token {
			case "":
			case "env":
				vars["TOLK_TOKEN"] = admin
			default:
				args = append(args, "--token", tt.token)
			}
			code, out, errOut := s.runEnv(t, vars, "", args...)
			if code != tt.code || !strings.Contains(out+errOut, tt.contains) {
				t.Errorf("exit %d (want %d), output %q %q, want it to contain %q", code, tt.code, out, errOut, tt.contains)
			}
		})
	}
}

func TestServeRefusesPlaintextOffLoopback(t *testing.T) {
	var stderr strings.Builder
	err := serve(context.Background(), []string{"--addr", "0.0.0.0:0", "--db", filepath.Join(t.TempDir(), "x.db")}, &stderr)
	if err == nil || !strings.Contains(err.Error(), "without TLS") {
		t.Fatalf("serve on 0.0.0.0 without TLS: %v", err)
	}
	for addr, want := range map[string]bool{"127.0.0.1:1": true, "localhost:1": true, "[::1]:1": true, "0.0.0.0:1": false, ":1": false, "10.0.0.1:1": false} {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v", addr, got)
		}
	}
}

// TestTranslateChangedSentence changes one sentence of the seed article:
// it comes back as a fuzzy match with a diff and an adapted draft.
func TestTranslateChangedSentence(t *testing.T) {
	s := startServer(t)
	text := strings.Replace(seeds.Article(), "op 26 september een telefoongesprek", "op 3 oktober een telefoongesprek", 1)
	code, out, errOut := s.run(t, text, "translate", "--format", "json")
	if code != 0 {
		t.Fatal(errOut)
	}
	var resp struct {
		Segments []struct {
			Status string
			Target string
			Best   struct{ Score int }
			Diff   []struct{ Kind, Text string }
		}
	}
	if err := json.Unmarshal([]byte(out), &resp); err != nil {
		t.Fatal(err)
	}
	sg := resp.Segments[1]
	if sg.Status != "SEGMENT_STATUS_FUZZY" || sg.Best.Score >= 100 || sg.Best.Score < 80 {
		t.Errorf("changed sentence: status %s score %d, want a fuzzy match of 80–99", sg.Status, sg.Best.Score)
	}
	if !strings.Contains(sg.Target, "3 October") {
		t.Errorf("draft %q: the date is not adapted", sg.Target)
	}
	var inserted []string
	for _, op := range sg.Diff {
		if op.Kind == "KIND_INSERT" {
			inserted = append(inserted, op.Text)
		}
	}
	if got := strings.Join(inserted, ""); !strings.Contains(got, "3") || !strings.Contains(got, "oktober") {
		t.Errorf("diff inserts %q, want the new date", got)
	}
}

// TestXLIFFRoundTrip translates to XLIFF 2.1 and 1.2, checks each against
// its OASIS schema, marks it translated as a CAT tool would, and confirms it
// back into a memory; tm import of the same file stores the same units.
func TestXLIFFRoundTrip(t *testing.T) {
	s := startServer(t)
	for _, tc := range []struct {
		format, schema, draft, done string
	}{
		{"xliff", "schemas/xliff-2.1/xliff_2.1_all_modules.xsd", `state="initial"`, `state="translated"`},
		{"xliff12", "schemas/xliff-1.2/xliff-core-1.2-strict.xsd", `state="new"`, `state="translated"`},
	} {
		t.Run(tc.format, func(t *testing.T) {
			dir := t.TempDir()
			xlf := filepath.Join(dir, "seed.xlf")
			if code, _, errOut := s.run(t, seeds.Article(), "translate", "--format", tc.format, "-o", xlf); code != 0 {
				t.Fatal(errOut)
			}
			validateXML(t, xlf, tc.schema)
			b, err := os.ReadFile(xlf)
			if err != nil {
				t.Fatal(err)
			}
			if tc.format == "xliff12" {
				b = translateCopies(t, b) // as OmegaT does: 1.2 targets are copies of the source
			}
			translated := filepath.Join(dir, "translated.xlf")
			if err := os.WriteFile(translated, []byte(strings.ReplaceAll(string(b), tc.draft, tc.done)), 0o600); err != nil {
				t.Fatal(err)
			}
			confirmed, imported := "confirmed-"+tc.format, "imported-"+tc.format
			if code, _, errOut := s.run(t, "", "tm", "create", confirmed); code != 0 {
				t.Fatal(errOut)
			}
			code, _, errOut := s.run(t, "", "confirm", translated, "--memory", confirmed, "--user", "anna")
			if code != 0 || !strings.Contains(errOut, "11 added") {
				t.Fatalf("confirm: exit %d, %s", code, errOut)
			}
			code, _, errOut = s.run(t, "", "tm", "import", translated, "--memory", imported)
			if code != 0 || !strings.Contains(errOut, "11 added") {
				t.Fatalf("tm import of XLIFF: exit %d, %s", code, errOut)
			}
			code, out, _ := s.run(t, "", "lookup", "--json", "--memory", confirmed, seeds.Article()[:89])
			if code != 0 || !strings.Contains(out, `"memory":"`+confirmed+`"`) || !strings.Contains(out, `"origin":"confirmed"`) {
				t.Errorf("lookup in the confirmed memory: %s", out)
			}
		})
	}
}

// TestXLIFF12ReadByTranslateToolkit checks that translate-toolkit, which
// reads no XLIFF after 1.2, finds every segment of Tolk's XLIFF 1.2, each
// with the copy of its source that OmegaT 3.6 needs as the target, read as
// a fuzzy translation (Tolk's drafts are in <alt-trans>, which PO has no
// place for).
func TestXLIFF12ReadByTranslateToolkit(t *testing.T) {
	bin, err := exec.LookPath("xliff2po")
	if err != nil {
		t.Skip("xliff2po not installed (Debian translate-toolkit); .ci/run installs it")
	}
	s := startServer(t)
	dir := t.TempDir()
	xlf, po := filepath.Join(dir, "seed.xlf"), filepath.Join(dir, "seed.po")
	if code, _, errOut := s.run(t, seeds.Article(), "translate", "--format", "xliff12", "-o", xlf); code != 0 {
		t.Fatal(errOut)
	}
	if out, err := exec.Command(bin, "--progress=none", xlf, po).CombinedOutput(); err != nil {
		t.Fatalf("xliff2po: %v\n%s", err, out)
	}
	b, err := os.ReadFile(po)
	if err != nil {
		t.Fatal(err)
	}
	// The header entry has msgid "" and an empty msgstr of its own.
	if n := strings.Count(string(b), "\nmsgid \"") - 1; n != 11 {
		t.Errorf("xliff2po found %d messages, want the seed article's 11:\n%s", n, b)
	}
	if n := strings.Count(string(b), "#, fuzzy\nmsgid") - 1; n != 11 {
		t.Errorf("%d messages are fuzzy, want the 11 source copies:\n%s", n, b)
	}
}

// validateXML checks the file at path with xmllint against schema, a W3C
// schema, RELAX NG schema or DTD under the shared data folder.
func validateXML(t *testing.T, path, schema string) {
	t.Helper()
	xsd := shareddata.Path(t, schema)
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not installed (Debian libxml2-utils); .ci/run installs it")
	}
	kind := map[string]string{".xsd": "--schema", ".rng": "--relaxng", ".dtd": "--dtdvalid"}[filepath.Ext(schema)]
	out, err := exec.Command("xmllint", "--nonet", "--noout", kind, xsd, path).CombinedOutput()
	if err != nil {
		t.Fatalf("%s does not validate against %s: %v\n%s", path, schema, err, out)
	}
}

// TestAlign aligns the seed article with its English, as a document pair
// and as a batch folder, and imports the pairs as aligned units.
func TestAlign(t *testing.T) {
	s := startServer(t)
	dir := t.TempDir()
	units, _ := seeds.Units()
	var en strings.Builder
	for _, u := range units {
		en.WriteString(u.Target + "\n\n")
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	nl := write("seed.nl.txt", seeds.Article())
	enPath := write("seed.en.txt", en.String())
	code, out, errOut := s.run(t, "", "align", nl, enPath, "--format", "json")
	if code != 0 {
		t.Fatal(errOut)
	}
	var resp struct {
		Pairs []struct {
			Source, Target string
			Confidence     float64
		}
	}
	if err := json.Unmarshal([]byte(out), &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.Pairs) != len(units) {
		t.Fatalf("%d pairs, want %d", len(resp.Pairs), len(units))
	}
	for i, p := range resp.Pairs {
		if p.Source != units[i].Source || p.Target != units[i].Target {
			t.Errorf("pair %d = %q / %q", i, p.Source, p.Target)
		}
	}
	code, _, errOut = s.run(t, "", "align", "--batch", dir, "--import", "aligned")
	if code != 0 || !strings.Contains(errOut, "11 units added to aligned") {
		t.Fatalf("batch align: exit %d: %s", code, errOut)
	}
	// An aligned unit carries a penalty: it never outranks the human unit.
	code, out, _ = s.run(t, "", "lookup", "--json", units[2].Source)
	if code != 0 || !strings.Contains(out, `"origin":"seed"`) {
		t.Fatal(out)
	}
	if i, j := strings.Index(out, `"origin":"seed"`), strings.Index(out, `"origin":"aligned"`); j >= 0 && j < i {
		t.Errorf("an aligned unit ranks above the seed unit:\n%s", out)
	}
}

// TestImportPolicy imports OmegaT's own Dutch project memory, which holds
// alternative translations of the same sentences: the default policy keeps
// one translation per sentence and context (the others update it),
// --policy keep-both keeps them all, and a wrong policy is a usage error.
func TestImportPolicy(t *testing.T) {
	path := shareddata.Path(t, "tmx/omegat_l10n_nl/project_save.tmx.gz")
	s := startServer(t)
	counts := func(out string) (added, updated int) {
		t.Helper()
		if _, err := fmt.Sscanf(out[strings.Index(out, ": ")+2:], "%d added, %d updated", &added, &updated); err != nil {
			t.Fatalf("import said %q: %v", out, err)
		}
		return added, updated
	}
	code, _, errOut := s.run(t, "", "tm", "import", path, "--memory", "overwrite")
	if code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	added, updated := counts(errOut)
	code, _, errOut = s.run(t, "", "tm", "import", path, "--memory", "both", "--policy", "keep-both")
	if code != 0 {
		t.Fatalf("import --policy keep-both: %s", errOut)
	}
	addedBoth, updatedBoth := counts(errOut)
	t.Logf("overwrite: %d added, %d updated; keep-both: %d added", added, updated, addedBoth)
	if updated == 0 || updatedBoth != 0 || addedBoth != added+updated {
		t.Errorf("overwrite: %d added, %d updated; keep-both: %d added, %d updated; want keep-both to add every unit the default added or updated", added, updated, addedBoth, updatedBoth)
	}
	if code, _, errOut := s.run(t, "", "tm", "import", path, "--policy", "newest"); code != 2 || !strings.Contains(errOut, "--policy") {
		t.Errorf("a wrong policy: exit %d, %s", code, errOut)
	}
}

// TestGlossaryImportEncodingCLI: a Latin-1 glossary is refused naming the
// line and the flag to use, and imports with --encoding; a re-import of
// the same file adds no concept.
func TestGlossaryImportEncodingCLI(t *testing.T) {
	s := startServer(t)
	path := filepath.Join(t.TempDir(), "latin1.tsv")
	if err := os.WriteFile(path, []byte("vredesoverleg\tpeace talks\nco\xF6rdinator\tcoordinator\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := s.run(t, "", "glossary", "import", path, "--source-lang", "nl", "--target-lang", "en")
	if code != 1 || !strings.Contains(errOut, "line 2") || !strings.Contains(errOut, "encoding") {
		t.Fatalf("without --encoding: exit %d, %q; want 1 naming line 2 and the encoding", code, errOut)
	}
	for range 2 {
		code, _, errOut = s.run(t, "", "glossary", "import", path, "--source-lang", "nl", "--target-lang", "en", "--encoding", "windows-1252")
		if code != 0 || !strings.Contains(errOut, "imported 2 concepts") {
			t.Fatalf("with --encoding: exit %d, %q", code, errOut)
		}
	}
	// The import went to "main" (the seed's vredesoverleg is another
	// concept, of "diplomatic"): two concepts there after two imports.
	code, out, _ := s.run(t, "", "glossary", "export", "--format", "jsonl", "--glossary", "main")
	if code != 0 || strings.Count(out, "\n") != 2 || strings.Count(out, "vredesoverleg") != 1 {
		t.Errorf("main after two imports: exit %d, %q: want two concepts, vredesoverleg once", code, out)
	}
}

// TestGlossaryCommandsCLI: tolk glossary create|list|update|delete, and
// --glossary on import, export, terms and translate (repeatable, for the
// priority order), against a real server.
func TestGlossaryCommandsCLI(t *testing.T) {
	s := startServer(t)
	dir := t.TempDir()
	if code, _, errOut := s.run(t, "", "glossary", "create", "house", "--description", "desk B"); code != 0 {
		t.Fatalf("create: %s", errOut)
	}
	if code, _, errOut := s.run(t, "", "glossary", "create", "house"); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("create twice: exit %d, %s", code, errOut)
	}
	file := filepath.Join(dir, "house.csv")
	if err := os.WriteFile(file, []byte("nl,en\nverdrag,accord\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := s.run(t, "", "glossary", "import", file, "--glossary", "nope"); code != 1 || !strings.Contains(errOut, `glossary "nope" does not exist`) {
		t.Fatalf("import into unknown glossary: exit %d, %s", code, errOut)
	}
	if code, _, errOut := s.run(t, "", "glossary", "import", file, "--glossary", "house"); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	code, out, errOut := s.run(t, "", "glossary", "list")
	if code != 0 || !strings.Contains(out, "house\tnl→en\t1 concepts\tdesk B") || !strings.Contains(out, "diplomatic\t") {
		t.Fatalf("list: exit %d, %q %s", code, out, errOut)
	}
	code, out, _ = s.run(t, "", "terms", "--glossary", "house", "--glossary", "diplomatic", "het verdrag")
	if code != 0 || !strings.Contains(out, "→ accord") || !strings.Contains(out, "also treaty in diplomatic") {
		t.Fatalf("terms house first: exit %d, %q", code, out)
	}
	code, out, _ = s.run(t, "", "terms", "--glossary", "diplomatic", "--glossary", "house", "het verdrag")
	if code != 0 || !strings.Contains(out, "→ treaty") || !strings.Contains(out, "also accord in house") {
		t.Fatalf("terms diplomatic first: exit %d, %q", code, out)
	}
	code, out, _ = s.run(t, "Het verdrag is getekend.", "translate", "--format", "json", "--glossary", "house")
	if code != 0 || !strings.Contains(out, `"glossary":"house"`) || strings.Contains(out, `"diplomatic"`) {
		t.Fatalf("translate --glossary house: exit %d, %s", code, out)
	}
	code, out, _ = s.run(t, "", "glossary", "export", "--format", "tsv", "--glossary", "house")
	if code != 0 || !strings.Contains(out, "accord") || strings.Contains(out, "treaty") {
		t.Fatalf("export house: exit %d, %q", code, out)
	}
	if code, out, errOut := s.run(t, "", "glossary", "update", "house", "--description", "desk C"); code != 0 || !strings.Contains(out, "desk C") {
		t.Fatalf("update: exit %d, %q %s", code, out, errOut)
	}
	if code, _, errOut := s.run(t, "", "glossary", "delete", "house"); code != 0 || !strings.Contains(errOut, "1 concepts") {
		t.Fatalf("delete: exit %d, %s", code, errOut)
	}
	if code, _, errOut := s.run(t, "", "terms", "--glossary", "house", "het verdrag"); code != 1 || !strings.Contains(errOut, "does not exist") {
		t.Fatalf("terms in a deleted glossary: exit %d, %s", code, errOut)
	}
}

// TestConfirmXLIFFWithCodes confirms a CAT tool's XLIFF 1.2 whose segments
// hold inline codes (<g>, <x/>): the units keep their codes, which Lookup
// returns with their data. (Before codes went on the wire, confirm failed
// with "refers to inline code 0 but has only 0 codes".)
func TestConfirmXLIFFWithCodes(t *testing.T) {
	s := startServer(t)
	xlf := filepath.Join(t.TempDir(), "codes.xlf")
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="ui" source-language="nl" target-language="en" datatype="plaintext"><body>
  <trans-unit id="1"><source>Klik <g id="1" ctype="bold">hier</g> om de kaart te openen.<x id="2" equiv-text="{{n}}"/></source>
   <target state="translated">Click <g id="1" ctype="bold">here</g> to open the map.<x id="2" equiv-text="{{n}}"/></target></trans-unit>
 </body></file>
</xliff>`
	if err := os.WriteFile(xlf, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := s.run(t, "", "tm", "create", "ui"); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := s.run(t, "", "confirm", xlf, "--memory", "ui"); code != 0 || !strings.Contains(errOut, "1 added") {
		t.Fatalf("confirm: exit %d, %s", code, errOut)
	}
	code, out, errOut := s.run(t, "", "lookup", "--json", "--memory", "ui", "Klik \U00100000hier\U00100001 om de kaart te openen.\U00100002")
	if code != 0 {
		t.Fatal(errOut)
	}
	for _, want := range []string{`"score":100`, `"kind":"KIND_OPEN"`, `"data":"<g id=\"1\" ctype=\"bold\">"`, `"data":"<x id=\"2\" equiv-text=\"{{n}}\"/>"`} {
		if !strings.Contains(strings.ReplaceAll(out, " ", ""), strings.ReplaceAll(want, " ", "")) {
			t.Errorf("lookup lacks %s:\n%s", want, out)
		}
	}
}

// TestConfirmBadInput: confirm refuses, before sending anything, a file
// whose translated target lacks a code of its source (naming the unit) and
// a file between other languages, and an unknown --accept-state; the
// memory stays empty.
func TestConfirmBadInput(t *testing.T) {
	s := startServer(t)
	dir := t.TempDir()
	const head = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="ui" source-language="%s" target-language="en" datatype="plaintext"><body>
  <trans-unit id="ok"><source>Ja.</source><target state="translated">Yes.</target></trans-unit>
  <trans-unit id="knop"><source>Klik <x id="1"/> hier.</source><target state="translated">%s</target></trans-unit>
 </body></file>
</xliff>`
	write := func(name, lang, target string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(fmt.Sprintf(head, lang, target)), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	if code, _, errOut := s.run(t, "", "tm", "create", "ui"); code != 0 {
		t.Fatal(errOut)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"code missing", []string{write("lost.xlf", "nl", "Click here.")}, `unit "knop", segment "knop": the target lacks the source's inline code <x id="1"/>`},
		{"code added", []string{write("added.xlf", "nl", `Click <x id="1"/> here<x id="7"/>.`)}, `unit "knop", segment "knop": the target has the inline code <x id="7"/>, which its source has not`},
		{"German", []string{write("de.xlf", "de", `Click <x id="1"/> here.`)}, "translates de into en"},
		{"accept-state", []string{write("fine.xlf", "nl", `Click <x id="1"/> here.`), "--accept-state", "translated"}, `--accept-state "translated"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := s.run(t, "", append([]string{"confirm", "--memory", "ui"}, tc.args...)...)
			if code == 0 || !strings.Contains(errOut, tc.want) {
				t.Errorf("confirm: exit %d, %s; want a failure saying %s", code, errOut, tc.want)
			}
		})
	}
	if code, out, errOut := s.run(t, "", "tm", "list", "ui"); code != 0 || strings.TrimSpace(out) != "" {
		t.Errorf("memory ui after the refused confirms: exit %d, %q %s; want it empty", code, out, errOut)
	}
}

// TestTranslateWithByteOrderMark translates the seed article saved with a
// UTF-8 byte order mark: every sentence, the first included, is an
// in-context match (the mark used to be part of the first segment, which
// then scored 97).
func TestTranslateWithByteOrderMark(t *testing.T) {
	s := startServer(t)
	code, out, errOut := s.run(t, "\uFEFF"+seeds.Article(), "translate", "--format", "json")
	if code != 0 {
		t.Fatalf("translate exit %d: %s", code, errOut)
	}
	var resp struct {
		Segments []struct {
			Source string
			Best   struct{ Score int }
		}
	}
	if err := json.Unmarshal([]byte(out), &resp); err != nil {
		t.Fatal(err)
	}
	for i, sg := range resp.Segments {
		if sg.Best.Score != 101 || strings.ContainsRune(sg.Source, '\uFEFF') {
			t.Errorf("segment %d scores %d (source %q), want 101 without the mark", i, sg.Best.Score, sg.Source)
		}
	}
}

// TestPrivateUseCharacters imports a TMX whose text holds the private-use
// characters of Word's symbol fonts (U+F0B7 bullet, U+F8FF) beside inline
// codes: the export writes each segment byte for byte as it was read, and
// translate's JSON keeps the characters in source, match and draft (they
// used to become U+FFFD on import and vanish from JSON, taken for codes).
func TestPrivateUseCharacters(t *testing.T) {
	s := startServer(t)
	segs := []string{
		"\uF0B7 De minister opent de <bpt i=\"1\">&lt;b&gt;</bpt>nieuwe<ept i=\"1\">&lt;/b&gt;</ept> brug.\uF8FF",
		"\uF0B7 The minister opens the <bpt i=\"1\">&lt;b&gt;</bpt>new<ept i=\"1\">&lt;/b&gt;</ept> bridge.\uF8FF",
		"\uF0B7 Wij danken de burgemeester van Gent.",
		"\uF0B7 We thank the mayor of Ghent.",
	}
	tmxPath := filepath.Join(t.TempDir(), "pua.tmx")
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="nl" datatype="plaintext" segtype="sentence" adminlang="en" o-tmf="test" creationtool="test" creationtoolversion="1"/><body>
<tu><tuv xml:lang="nl"><seg>` + segs[0] + `</seg></tuv><tuv xml:lang="en"><seg>` + segs[1] + `</seg></tuv></tu>
<tu><tuv xml:lang="nl"><seg>` + segs[2] + `</seg></tuv><tuv xml:lang="en"><seg>` + segs[3] + `</seg></tuv></tu>
</body></tmx>`
	if err := os.WriteFile(tmxPath, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := s.run(t, "", "tm", "import", tmxPath, "--memory", "pua"); code != 0 {
		t.Fatalf("import: %s", errOut)
	}
	code, out, errOut := s.run(t, "", "tm", "export", "--memory", "pua")
	if code != 0 {
		t.Fatal(errOut)
	}
	for _, sg := range segs {
		if !strings.Contains(out, "<seg>"+sg+"</seg>") {
			t.Errorf("the export lacks <seg>%s</seg>:\n%s", sg, out)
		}
	}
	code, out, errOut = s.run(t, "\uF0B7 Wij danken de burgemeester van Gent.\n\uF0B7 De minister opent de nieuwe brug.\uF8FF", "translate", "--format", "json", "--memory", "pua")
	if code != 0 {
		t.Fatalf("translate exit %d: %s", code, errOut)
	}
	var resp struct {
		Segments []struct {
			Source, Target string
			Best           struct{ Target, AdaptedTarget string }
		}
	}
	if err := json.Unmarshal([]byte(out), &resp); err != nil {
		t.Fatal(err)
	}
	want := []struct{ source, target, stored string }{
		{"\uF0B7 Wij danken de burgemeester van Gent.", "\uF0B7 We thank the mayor of Ghent.", "\uF0B7 We thank the mayor of Ghent."},
		{"\uF0B7 De minister opent de nieuwe brug.\uF8FF", "\uF0B7 The minister opens the new bridge.\uF8FF", "\uF0B7 The minister opens the \U00100000new\U00100001 bridge.\uF8FF"},
	}
	if len(resp.Segments) != len(want) {
		t.Fatalf("%d segments, want %d:\n%s", len(resp.Segments), len(want), out)
	}
	for i, w := range want {
		sg := resp.Segments[i]
		if sg.Source != w.source || sg.Target != w.target || sg.Best.Target != w.stored {
			t.Errorf("segment %d: source %q, draft %q, match %q; want %q, %q, %q", i, sg.Source, sg.Target, sg.Best.Target, w.source, w.target, w.stored)
		}
	}
}

// translateCopies replaces each <target state="new"> of an XLIFF 1.2
// document, a copy of its source, with the seed memory's English for it,
// as a translator's tool would.
func translateCopies(t *testing.T, doc []byte) []byte {
	t.Helper()
	units, err := seeds.Units()
	if err != nil {
		t.Fatal(err)
	}
	english := make(map[string]string)
	for _, u := range units {
		english[u.Source] = u.Target
	}
	target := regexp.MustCompile(`(<target state="new" state-qualifier="x-tolk-source-copy">)([^<]*)</target>`)
	n := 0
	doc = target.ReplaceAllFunc(doc, func(m []byte) []byte {
		sub := target.FindSubmatch(m)
		src := html.UnescapeString(string(sub[2]))
		en, ok := english[src]
		if !ok {
			t.Errorf("the target %q is not a copy of a seed source", src)
			return m
		}
		n++
		var b bytes.Buffer
		xml.EscapeText(&b, []byte(en))
		return []byte(string(sub[1]) + b.String() + `</target>`)
	})
	if n != len(units) {
		t.Errorf("%d targets were copies of their source, want %d", n, len(units))
	}
	return doc
}

// TestGlossaryCSVReadByCsv2po exports the seed glossary as CSV and reads it
// with translate-toolkit's csv2po with its defaults: every row with a Dutch
// term becomes a message, Dutch term to English term, located at its
// concept's id (a Dutch term of two concepts, "protocol", gets the ids as
// msgctxt, as csv2po does with repeated messages).
func TestGlossaryCSVReadByCsv2po(t *testing.T) {
	bin, err := exec.LookPath("csv2po")
	if err != nil {
		t.Skip("csv2po not installed (Debian translate-toolkit); .ci/run installs it")
	}
	s := startServer(t)
	dir := t.TempDir()
	csvPath, po := filepath.Join(dir, "g.csv"), filepath.Join(dir, "g.po")
	if code, _, errOut := s.run(t, "", "glossary", "export", "--format", "csv", "-o", csvPath); code != 0 {
		t.Fatal(errOut)
	}
	if out, err := exec.Command(bin, "--progress=none", csvPath, po).CombinedOutput(); err != nil {
		t.Fatalf("csv2po: %v\n%s", err, out)
	}
	b, err := os.ReadFile(po)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows := 0 // rows with a Dutch term of their own, in the source column
	for _, r := range recs[1:] {
		if r[len(r)-2] != "" {
			rows++
		}
	}
	if n := strings.Count(string(b), "\nmsgid \"") - 1; n != rows || rows < 800 {
		t.Errorf("csv2po made %d messages of %d rows with a Dutch term", n, rows)
	}
	if want := "#: abstention\nmsgid \"stemonthouding\"\nmsgstr \"abstention\"\n"; !strings.Contains(string(b), want) {
		t.Errorf("the PO lacks\n%s", want)
	}
}
