package omegat

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/seeds"
)

// The tests build the real tolk command and the plugin (build.sh), run a real
// `tolk serve` on loopback, and drive the real OmegaT 3.6 jar from Debian.
// They skip when Java or OmegaT is missing, except under CI, where .ci/run
// installs them and a missing tool is a failure.

const omegatJar = "/usr/share/omegat/OmegaT.jar"

var (
	buildOnce sync.Once
	built     struct {
		tolk, plugin, testClasses string
		err                       error
	}
	buildDir string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tolk-omegat-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	buildDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// requireTools skips (or, under CI, fails) when the Java tool chain or OmegaT
// is missing, then builds tolk and the plugin once for the package.
func requireTools(t *testing.T) {
	t.Helper()
	var missing []string
	for _, tool := range []string{"java", "javac", "jar", "protoc"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if _, err := os.Stat(omegatJar); err != nil {
		missing = append(missing, omegatJar)
	}
	if len(missing) > 0 {
		msg := fmt.Sprintf("missing %s: apt-get install default-jdk-headless omegat libgrpc-java libprotobuf-java libprotobuf-dev protobuf-compiler protobuf-compiler-grpc-java-plugin libnetty-java libperfmark-java", strings.Join(missing, ", "))
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	buildOnce.Do(func() {
		root, err := filepath.Abs("../..")
		if err != nil {
			built.err = err
			return
		}
		built.tolk = filepath.Join(buildDir, "tolk")
		cmd := exec.Command("go", "build", "-o", built.tolk, "./cmd/tolk")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build ./cmd/tolk: %v\n%s", err, out)
			return
		}
		plugin := filepath.Join(buildDir, "plugin")
		cmd = exec.Command("bash", "build.sh")
		cmd.Env = append(os.Environ(), "BUILD_DIR="+plugin)
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("build.sh: %v\n%s", err, out)
			return
		}
		built.plugin = filepath.Join(plugin, "tolk-omegat.jar")
		built.testClasses = filepath.Join(plugin, "test")
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
}

// server is a `tolk serve` process on loopback with a bbolt file in a
// temporary folder, seeded on its first start.
type server struct {
	addr string
}

func startServer(t *testing.T) *server {
	t.Helper()
	addr := freeAddr(t)
	dir := t.TempDir()
	cmd := exec.Command(built.tolk, "serve", "--db", filepath.Join(dir, "tolk.db"), "--addr", addr, "--http-addr", "")
	logFile, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close() // the child has its own copy
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	log := func() string { b, _ := os.ReadFile(logFile.Name()); return string(b) }
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-done:
			t.Fatalf("tolk serve exited: %s", log())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("tolk serve did not listen on %s within 30 s: %s", addr, log())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return &server{addr: addr}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// tolk runs the tolk command against s.
func (s *server) tolk(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(built.tolk, args...)
	cmd.Env = append(os.Environ(), "TOLK_ADDR="+s.addr, "TOLK_TOKEN=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tolk %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// java runs a Java main class with OmegaT's jar on the class path, headless,
// with a four-minute limit. The plugin's calls get a minute each
// (TOLK_TIMEOUT_MS): a cold JVM's first gRPC call on a machine busy with
// other builds can take longer than the 10 s a translator's OmegaT allows.
func java(t *testing.T, env []string, classPath string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "java", append([]string{"-Djava.awt.headless=true", "-cp", classPath}, args...)...)
	cmd.Env = append(append(os.Environ(), "TOLK_TIMEOUT_MS=60000"), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// checkLines is the plugin check's own report: its ok/FAIL lines and the
// closing count, without OmegaT's log.
func checkLines(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "ok ") || strings.HasPrefix(l, "FAIL ") || strings.Contains(l, " passed, ") ||
			strings.Contains(l, "Exception") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestPluginAgainstServer loads the plugin jar through OmegaT's own plugin
// loader and calls its machine-translation and glossary sources against a
// real server: the seed article's first sentence comes back as a 100 %
// match with the seed English, a sentence with a changed date as an adapted
// fuzzy match, and "VN-Veiligheidsraad" with its preferred English.
func TestPluginAgainstServer(t *testing.T) {
	requireTools(t)
	s := startServer(t)
	units, err := seeds.Units()
	if err != nil {
		t.Fatal(err)
	}
	runCheck(t, []string{"TOLK_ADDR=" + s.addr}, 12, append(upArgs(t, units),
		"org.tolkdev.omegat.check.PluginCheck", built.plugin, "up")...)
}

// upArgs are the plugin check's expectations for the "up" mode, from the
// seed memory: its first unit exactly, its second with another date.
func upArgs(t *testing.T, units []memory.Unit) []string {
	t.Helper()
	fuzzySource := strings.Replace(units[1].Source, "26 september", "27 september", 1)
	fuzzyTarget := strings.Replace(units[1].Target, "26 September", "27 September", 1)
	if fuzzySource == units[1].Source || fuzzyTarget == units[1].Target {
		t.Fatalf("the seed's second unit no longer holds 26 september: %q → %q", units[1].Source, units[1].Target)
	}
	return []string{
		"-Dcheck.exact.source=" + units[0].Source, "-Dcheck.exact.target=" + units[0].Target,
		"-Dcheck.fuzzy.source=" + fuzzySource, "-Dcheck.fuzzy.target=" + fuzzyTarget,
		"-Dcheck.term.text=De VN-Veiligheidsraad veroordeelde de antiterreurmaatregelen.",
		"-Dcheck.term.source=VN-Veiligheidsraad", "-Dcheck.term.target=Security Council",
	}
}

// runCheck runs the plugin check in a mode and wants its closing line to
// count n passed checks and no failed one.
func runCheck(t *testing.T, env []string, n int, args ...string) {
	t.Helper()
	args = append([]string{"-Dcheck.config=" + t.TempDir()}, args...)
	out, err := java(t, env, built.testClasses+string(os.PathListSeparator)+omegatJar, args...)
	t.Logf("plugin check:\n%s", checkLines(out))
	if err != nil {
		t.Fatalf("plugin check failed (%v); its whole output:\n%s", err, out)
	}
	if !regexp.MustCompile(fmt.Sprintf(`(?m)^%d passed, 0 failed$`, n)).MatchString(out) {
		t.Fatalf("plugin check ran other checks than the %d expected:\n%s", n, checkLines(out))
	}
}

// TestPluginWithoutServer: with no server at the address, both sources fail
// with a message naming the address, which OmegaT shows in its panes.
func TestPluginWithoutServer(t *testing.T) {
	requireTools(t)
	addr := freeAddr(t) // nothing listens there any more
	runCheck(t, []string{"TOLK_ADDR=" + addr}, 7,
		"-Dcheck.error=UNAVAILABLE", "org.tolkdev.omegat.check.PluginCheck", built.plugin, "fail")
}

// TestPluginToken: once the server has tokens, the plugin's calls carry the
// one given as -Dtolk.token, and without one they are refused.
func TestPluginToken(t *testing.T) {
	requireTools(t)
	s := startServer(t)
	cmd := exec.Command(built.tolk, "token", "create", "--name", "omegat", "--scope", "read")
	cmd.Env = append(os.Environ(), "TOLK_ADDR="+s.addr, "TOLK_TOKEN=")
	out, err := cmd.Output()
	secret := strings.TrimSpace(string(out))
	if err != nil || secret == "" || strings.ContainsAny(secret, " \n") {
		t.Fatalf("tolk token create: %v: %q", err, out)
	}
	runCheck(t, []string{"TOLK_ADDR=" + s.addr, "TOLK_TOKEN="}, 7,
		"-Dcheck.error=UNAUTHENTICATED", "org.tolkdev.omegat.check.PluginCheck", built.plugin, "fail")

	units, err := seeds.Units()
	if err != nil {
		t.Fatal(err)
	}
	runCheck(t, []string{"TOLK_ADDR=" + s.addr, "TOLK_TOKEN="}, 12, append(upArgs(t, units),
		"-Dtolk.token="+secret, "org.tolkdev.omegat.check.PluginCheck", built.plugin, "up")...)
}

const projectFile = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes/>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>nl-NL</source_lang>
    <target_lang>en-GB</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneDutchTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
`

// xliffUnit is a trans-unit of XLIFF 1.2 with its source and target as
// plain text (inline markers dropped).
type xliffUnit struct {
	ID     string `xml:"id,attr"`
	Source string `xml:"source"`
	Target string `xml:"target"`
}

func readUnits(t *testing.T, path string) []xliffUnit {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Groups []struct {
			Units []xliffUnit `xml:"trans-unit"`
		} `xml:"file>body>group"`
	}
	// The glossary's <mrk> markers would hide their text from the decoder:
	// drop the tags, keep the text.
	tags := regexp.MustCompile(`<mrk[^>]*>|</mrk>`)
	if err := xml.Unmarshal(tags.ReplaceAll(data, nil), &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var units []xliffUnit
	for _, g := range doc.Groups {
		units = append(units, g.Units...)
	}
	return units
}

// noMatch is a Dutch sentence the seed memory has no match for.
const noMatch = "Zwaluwen zwermen zingend boven zeven zompige zeeweiden."

// TestConsoleTranslateTolkXLIFF: OmegaT 3.6 in console mode translates a
// project whose source is Tolk's XLIFF 1.2 of the seed article and one more
// sentence, as tolk translate wrote it, with Tolk's TMX export of the seed
// memory in tm/auto: every segment is found, every seed sentence gets the
// memory's English, and the sentence without a match keeps its Dutch.
// (OmegaT 3.6's XLIFF filter translates each <target>'s text and keeps
// <source> intact: Tolk writes each target as a copy of its source, with
// its drafts in <alt-trans>.)
func TestConsoleTranslateTolkXLIFF(t *testing.T) {
	requireTools(t)
	s := startServer(t)
	project := t.TempDir()
	for _, d := range []string{"source", "target", "tm/auto", "glossary", "dictionary", "omegat"} {
		if err := os.MkdirAll(filepath.Join(project, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(project, "omegat.project"), []byte(projectFile), 0o644); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	text := filepath.Join(work, "article.nl.txt")
	if err := os.WriteFile(text, []byte(strings.TrimRight(seeds.Article(), "\n")+"\n\n"+noMatch+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tolkXliff := filepath.Join(project, "source", "article.xlf")
	s.tolk(t, "translate", "--format", "xliff12", text, "-o", tolkXliff)
	s.tolk(t, "tm", "export", "--memory", "seed", "-o", filepath.Join(project, "tm", "auto", "seed.tmx"))

	units, err := seeds.Units()
	if err != nil {
		t.Fatal(err)
	}
	english := make(map[string]string)
	for _, u := range units {
		english[u.Source] = u.Target
	}
	in := readUnits(t, tolkXliff)
	if len(in) != len(units)+1 || in[len(in)-1].Source != noMatch {
		t.Fatalf("Tolk wrote %d trans-units (the last %+v), want the %d seed units and %q",
			len(in), in[len(in)-1], len(units), noMatch)
	}
	for i, u := range in {
		if u.Target != u.Source {
			t.Errorf("unit %d: Tolk wrote the target %q, want a copy of the source %q", i, u.Target, u.Source)
		}
	}

	out, err := java(t, nil, omegatJar, "org.omegat.Main", project, "--mode=console-translate", "--config-dir="+t.TempDir())
	if err != nil || !strings.Contains(out, "Finished") {
		t.Fatalf("OmegaT console-translate: %v\n%s", err, out)
	}
	got := readUnits(t, filepath.Join(project, "target", "article.xlf"))
	if len(got) != len(in) {
		t.Fatalf("OmegaT's target file has %d trans-units, Tolk wrote %d", len(got), len(in))
	}
	translated := 0
	for i, u := range got {
		want, ok := english[u.Source]
		if !ok && u.Source == noMatch {
			want, ok = noMatch, true // untranslated: OmegaT writes the source
		}
		switch {
		case u.ID != in[i].ID || u.Source != in[i].Source:
			t.Errorf("unit %d: OmegaT wrote %s %q, Tolk wrote %s %q", i, u.ID, u.Source, in[i].ID, in[i].Source)
		case !ok:
			t.Errorf("unit %s: source %q is not a seed unit", u.ID, u.Source)
		case u.Target != want:
			t.Errorf("unit %s: target %q, want %q", u.ID, u.Target, want)
		case u.Source != noMatch:
			translated++
		}
	}
	stats, _ := os.ReadFile(filepath.Join(project, "omegat", "project_stats.txt"))
	t.Logf("OmegaT translated %d of %d segments from the memory; project_stats.txt:\n%s", translated, len(got), firstLines(string(stats), 6))
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// translatorsEnglish is what the translator types in OmegaT for noMatch.
const translatorsEnglish = "Swallows swarm, singing, above seven soggy sea meadows."

// projectSave is OmegaT's project memory (omegat/project_save.tmx, where
// OmegaT keeps what the translator typed) holding the translator's English
// for one Dutch sentence.
func projectSave(nl, en string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.1">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext" creationtoolversion="3.6.0_0" segtype="sentence" srclang="nl-NL"/>
  <body>
    <tu>
      <tuv lang="nl-NL"><seg>`)
	xml.EscapeText(&b, []byte(nl))
	b.WriteString(`</seg></tuv>
      <tuv lang="en-GB" changeid="anna" changedate="20261204T120000Z" creationid="anna" creationdate="20261204T120000Z"><seg>`)
	xml.EscapeText(&b, []byte(en))
	b.WriteString("</seg></tuv>\n    </tu>\n  </body>\n</tmx>\n")
	return b.String()
}

// newProject makes an OmegaT 3.6 project folder (nl-NL → en-GB) and
// returns its path.
func newProject(t *testing.T) string {
	t.Helper()
	project := t.TempDir()
	for _, d := range []string{"source", "target", "tm/auto", "glossary", "dictionary", "omegat"} {
		if err := os.MkdirAll(filepath.Join(project, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(project, "omegat.project"), []byte(projectFile), 0o644); err != nil {
		t.Fatal(err)
	}
	return project
}

// TestConfirmFromOmegaT is the whole loop with a translator in OmegaT 3.6:
// tolk translate --format xliff12 of three Dutch sentences (two in the seed
// memory, one not) is the source of an OmegaT project whose tm/auto holds
// Tolk's TMX of the seed memory and whose project memory holds the
// translator's English for the third; OmegaT console-translate writes its
// target file (state still "new", as OmegaT leaves every attribute);
// tolk confirm takes the translator's sentence and only it (the two filled
// in from Tolk's TMX are Tolk's drafts), and tolk lookup finds it at 100
// and, with its neighbours, 101. With --accept-state new the drafts are
// confirmed too.
func TestConfirmFromOmegaT(t *testing.T) {
	requireTools(t)
	s := startServer(t)
	units, err := seeds.Units()
	if err != nil {
		t.Fatal(err)
	}
	project := newProject(t)
	text := filepath.Join(t.TempDir(), "loop.nl.txt")
	if err := os.WriteFile(text, []byte(units[0].Source+"\n\n"+noMatch+"\n\n"+units[1].Source+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.tolk(t, "translate", "--format", "xliff12", text, "-o", filepath.Join(project, "source", "loop.xlf"))
	s.tolk(t, "tm", "export", "--memory", "seed", "-o", filepath.Join(project, "tm", "auto", "seed.tmx"))
	if err := os.WriteFile(filepath.Join(project, "omegat", "project_save.tmx"), []byte(projectSave(noMatch, translatorsEnglish)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := java(t, nil, omegatJar, "org.omegat.Main", project, "--mode=console-translate", "--config-dir="+t.TempDir())
	if err != nil || !strings.Contains(out, "Finished") {
		t.Fatalf("OmegaT console-translate: %v\n%s", err, out)
	}
	translated := filepath.Join(project, "target", "loop.xlf")
	got := readUnits(t, translated)
	want := []string{units[0].Target, translatorsEnglish, units[1].Target}
	if len(got) != len(want) {
		t.Fatalf("OmegaT's target file has %d trans-units, want %d", len(got), len(want))
	}
	for i, u := range got {
		if u.Target != want[i] {
			t.Fatalf("OmegaT wrote unit %s's target %q, want %q", u.ID, u.Target, want[i])
		}
	}
	if data, _ := os.ReadFile(translated); strings.Count(string(data), `state="new"`) != len(want) {
		t.Logf("OmegaT changed the targets' states (the rule still holds):\n%s", data)
	}

	s.tolk(t, "tm", "create", "loop")
	if out := s.tolk(t, "confirm", translated, "--memory", "loop", "--user", "anna"); !strings.Contains(out, "1 added, 0 updated; 2 segments skipped") {
		t.Errorf("tolk confirm: %s; want the translator's sentence added and Tolk's two drafts skipped", out)
	}
	if n := strings.Count(s.tolk(t, "tm", "list", "loop"), "\n    en: "); n != 1 {
		t.Errorf("memory loop holds %d units after confirm, want 1", n)
	}
	checkLookup(t, s, 100, "--memory", "loop", noMatch)
	checkLookup(t, s, 101, "--memory", "loop", "--prev", units[0].Source, "--next", units[1].Source, noMatch)

	s.tolk(t, "tm", "create", "all")
	if out := s.tolk(t, "confirm", translated, "--memory", "all", "--accept-state", "new"); !strings.Contains(out, "3 added, 0 updated; 0 segments skipped") {
		t.Errorf("tolk confirm --accept-state new: %s; want all three added", out)
	}
}

// checkLookup runs tolk lookup --json with args and wants its best match to
// be the translator's English at score, changed by anna.
func checkLookup(t *testing.T, s *server, score int, args ...string) {
	t.Helper()
	var resp struct {
		Matches []struct {
			Target    string `json:"target"`
			Score     int    `json:"score"`
			ChangedBy string `json:"changed_by"`
		} `json:"matches"`
	}
	out := s.tolk(t, append([]string{"lookup", "--json"}, args...)...)
	if err := json.Unmarshal([]byte(out), &resp); err != nil {
		t.Fatalf("tolk lookup --json: %v\n%s", err, out)
	}
	if len(resp.Matches) == 0 || resp.Matches[0].Target != translatorsEnglish || resp.Matches[0].Score != score || resp.Matches[0].ChangedBy != "anna" {
		t.Errorf("tolk lookup %s: %+v, want %q at %d by anna", strings.Join(args, " "), resp.Matches, translatorsEnglish, score)
	}
}
