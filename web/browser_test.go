package web_test

// Browser tests: a real tolk serve (built from ./cmd/tolk, real bbolt file,
// seeded) on loopback, driven through Debian's headless Chromium with
// chromedp. They skip when Chromium is missing. With -screenshots they
// also write the screenshots of the main views to docs/.

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

var screenshots = flag.Bool("screenshots", false, "write screenshots of the main views to ../docs")

var (
	tolkBin    string // built once in TestMain
	chromePath string
	chrome     context.Context // the one browser; each test opens a tab in it
)

func TestMain(m *testing.M) {
	flag.Parse()
	chromePath = findChromium()
	if chromePath == "" {
		// CI sets TOLK_BROWSER_TESTS=require so that a missing browser
		// fails instead of skipping.
		if os.Getenv("TOLK_BROWSER_TESTS") == "require" {
			fmt.Println("web: FAIL: no Chromium found and TOLK_BROWSER_TESTS=require: apt-get install -y chromium, or set TOLK_CHROMIUM")
			os.Exit(1)
		}
		fmt.Println("web: browser tests skip: no Chromium found (apt-get install -y chromium, or set TOLK_CHROMIUM)")
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "tolk-web-test")
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	tolkBin = filepath.Join(dir, "tolk")
	if out, err := exec.Command("go", "build", "-o", tolkBin, "../cmd/tolk").CombinedOutput(); err != nil {
		fmt.Printf("building tolk: %v\n%s", err, out)
		os.Exit(1)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromePath), chromedp.WindowSize(1280, 720), chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	var cancelChrome context.CancelFunc
	chrome, cancelChrome = chromedp.NewContext(actx)
	if err := chromedp.Do(chrome); err != nil {
		fmt.Printf("starting Chromium %s: %v\n", chromePath, err)
		os.Exit(1)
	}
	code := m.Run()
	cancelChrome()
	cancelAlloc()
	os.RemoveAll(dir)
	os.Exit(code)
}

func findChromium() string {
	if p := os.Getenv("TOLK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// tolkServer is a running tolk serve process.
type tolkServer struct {
	grpc, url, db string
	cmd           *exec.Cmd
}

var listening = regexp.MustCompile(`msg="tolk listening" addr=(\S+) http=(\S+)`)

// startTolk runs tolk serve on a new seeded database in t.TempDir() with
// the gRPC and HTTP faces on free loopback ports, until the test ends.
func startTolk(t *testing.T, db string) *tolkServer {
	t.Helper()
	if chromePath == "" {
		t.Skip("no Chromium: apt-get install -y chromium (or set TOLK_CHROMIUM)")
	}
	if db == "" {
		db = filepath.Join(t.TempDir(), "tolk.db")
	}
	return startTolkAt(t, db, "127.0.0.1:0")
}

func startTolkAt(t *testing.T, db, httpAddr string) *tolkServer {
	t.Helper()
	cmd := exec.Command(tolkBin, "serve", "--db", db, "--addr", "127.0.0.1:0", "--http-addr", httpAddr, "--drain", "0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	found := make(chan []string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				found <- m
			}
		}
	}()
	select {
	case m := <-found:
		return &tolkServer{grpc: m[1], url: "http://" + m[2], db: db, cmd: cmd}
	case <-time.After(20 * time.Second):
		t.Fatal("tolk serve did not start within 20 s")
	}
	return nil
}

func (s *tolkServer) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

// cli runs a tolk client command against s and returns its stdout.
func (s *tolkServer) cli(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(tolkBin, append(args[:1:1], append([]string{"--addr", s.grpc}, args[1:]...)...)...)
	if len(args) > 1 && (args[0] == "token" || args[0] == "glossary" || args[0] == "tm") {
		cmd = exec.Command(tolkBin, append(args[:2:2], append([]string{"--addr", s.grpc}, args[2:]...)...)...)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tolk %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// browser returns a new tab of the headless Chromium (1280×720) that
// closes with the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(chrome)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return ctx
}

type action = chromedp.Action[chromedp.Void]

// run runs the actions in the page; on failure it reports what the page
// shows in its notice and status lines.
func run(t *testing.T, ctx context.Context, what string, actions ...action) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(c, actions...); err != nil {
		c, cancel := context.WithTimeout(ctx, 2*time.Second)
		notice, _ := chromedp.Run(c, chromedp.Evaluate[string](`document.getElementById('notice-text').textContent`))
		status, _ := chromedp.Run(c, chromedp.Evaluate[string](`document.getElementById('status').textContent`))
		cancel()
		t.Fatalf("%s: %v (page notice %q, status %q)", what, err, notice, status)
	}
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// js runs a script for its effect.
func js(expr string) action {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[any](expr)(ctx, tg)
		return chromedp.Void{}, err
	}
}

// waitJS waits until the expression is true.
func waitJS(expr string) action {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second))
}

func ctrl(key string) action {
	return chromedp.KeyEvent(key, chromedp.KeyModifiers(chromedp.ModifierCtrl))
}

func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if !*screenshots {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", "workbench-"+name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// translate pastes text into the page and waits for the grid of it.
func translate(t *testing.T, ctx context.Context, text string) {
	t.Helper()
	run(t, ctx, "translating",
		chromedp.Click(chromedp.CSS(`nav button[data-view=translate]`)),
		js(`delete document.body.dataset.segments; document.getElementById('tr-text').value = `+jsString(text)),
		chromedp.Click(chromedp.CSS(`#tr-form button[type=submit]`)),
		waitJS(`document.body.dataset.segments !== undefined`))
}

// changedDutch is a seed sentence with two words changed (24 → 48,
// faciliteiten → bases).
const changedDutch = "Het staatshoofd zei dat tijdens de antiterreurmaatregelen, die minder dan 48 uur duurden, alleen militaire bases het doelwit waren geweest en dat burgers geen schade hadden geleden."

// confirmedEnglish is the English that TestWorkbench confirms for
// changedDutch.
const confirmedEnglish = "The head of state said that during the anti-terrorist measures, which lasted less than 48 hours, only military bases had been targeted and civilians had not been harmed."

// workbench is the page and the server that TestWorkbench's steps share:
// each step starts where the one before left the page and the database.
type workbench struct {
	ctx context.Context
	srv *tolkServer
}

// watchCSP records the Content-Security-Policy violations of the page;
// checkCSP fails the test if there were any.
func watchCSP() action {
	return js(`window.cspViolations = []; document.addEventListener('securitypolicyviolation', e => cspViolations.push(e.violatedDirective + ' ' + e.blockedURI))`)
}

func checkCSP(t *testing.T, ctx context.Context) {
	t.Helper()
	if v := eval[[]string](t, ctx, `window.cspViolations`); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %q", v)
	}
}

func TestWorkbench(t *testing.T) {
	w := &workbench{srv: startTolk(t, "")}
	w.ctx = browser(t)
	run(t, w.ctx, "opening the workbench", chromedp.Navigate(w.srv.url+"/"), chromedp.WaitVisible(chromedp.CSS(`#tr-sample`)), watchCSP())
	steps := []struct {
		name string
		step func(*workbench, *testing.T)
	}{
		{"seed article: every segment at 101", (*workbench).seedArticle},
		{"changed sentence: fuzzy score and the changed words", (*workbench).changedSentence},
		{"Ctrl+1 inserts the first match", (*workbench).insertMatch},
		{"Ctrl+Enter confirms into the memory", (*workbench).confirm},
		{"Ctrl+K: concordance of the selected words finds the confirmed unit", (*workbench).concordance},
		{"checks: terms missing or forbidden in an edit", (*workbench).checks},
		{"opening files: XLIFF gives a grid, a binary file a message", (*workbench).openFiles},
		{"unconfirmed edits survive a reload", (*workbench).reload},
		{"glossary concept added in the page is found by tolk terms", (*workbench).glossary},
		{"TMX import shows progress and the new count", (*workbench).importFiles},
		{"concordance pages through the imported units", (*workbench).concordancePages},
		{"exports: the document as text, XLIFF and TMX, a memory as TMX, the seed glossary as JSONL", (*workbench).exports},
		{"a server error shows the server's message and keeps the text", (*workbench).serverError},
		{"accessible: names, Tab order, 200 % zoom", (*workbench).accessible},
		{"server down: the page says so, keeps the edit, and retries", (*workbench).serverDown},
	}
	for _, s := range steps {
		if !t.Run(s.name, func(t *testing.T) { s.step(w, t) }) {
			break // the next steps start from this one's page
		}
	}
}

// seedArticle is the step "seed article: every segment at 101".
func (w *workbench) seedArticle(t *testing.T) {
	ctx := w.ctx
	run(t, ctx, "loading the sample",
		chromedp.Click(chromedp.CSS(`#tr-sample`)),
		waitJS(`document.getElementById('tr-text').value.length > 100`),
		js(`delete document.body.dataset.segments`),
		chromedp.Click(chromedp.CSS(`#tr-form button[type=submit]`)),
		waitJS(`document.body.dataset.segments !== undefined`))
	badges := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#grid-body .badge')).map(b => b.className + ' ' + b.textContent)`)
	if len(badges) != 11 {
		t.Fatalf("%d segments, want the seed article's 11: %v", len(badges), badges)
	}
	for i, b := range badges {
		if b != "badge context 101" {
			t.Errorf("segment %d: badge %q, want a context match at 101", i+1, b)
		}
	}
	// Dutch renders as sent: the page's text equals the source's.
	src := eval[string](t, ctx, `document.querySelector('#grid-body .src').textContent`)
	if !strings.HasPrefix(eval[string](t, ctx, `document.getElementById('tr-text').value`), src) {
		t.Errorf("first source cell %q is not the start of the pasted text", src)
	}
	run(t, ctx, "hovering a term", chromedp.Focus(chromedp.CSS(`#grid .term`)), waitJS(`!document.getElementById('termcard').hidden`))
	if card := eval[string](t, ctx, `document.getElementById('termcard').textContent`); !strings.Contains(card, "Use:") {
		t.Errorf("term card %q", card)
	}
	shot(t, ctx, "translate")
}

// changedSentence is the step "changed sentence: fuzzy score and the changed words".
func (w *workbench) changedSentence(t *testing.T) {
	ctx, srv := w.ctx, w.srv
	translate(t, ctx, changedDutch)
	var look struct {
		Matches []struct{ Score int }
	}
	if err := json.Unmarshal([]byte(srv.cli(t, "lookup", "--json", "--limit", "1", changedDutch)), &look); err != nil || len(look.Matches) == 0 {
		t.Fatalf("tolk lookup: %v %+v", err, look)
	}
	badge := eval[string](t, ctx, `(b => b.className + ' ' + b.textContent)(document.querySelector('#grid-body .badge'))`)
	if want := fmt.Sprintf("badge fuzzy %d", look.Matches[0].Score); badge != want {
		t.Errorf("badge %q, want %q (the score tolk lookup gives)", badge, want)
	}
	marks := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#grid-body mark.diff')).map(m => m.textContent)`)
	if strings.Join(marks, "|") != "48|bases" {
		t.Errorf("highlighted %q, want the two words changed from the stored sentence: 48, bases", marks)
	}
	shot(t, ctx, "fuzzy")
}

// insertMatch is the step "Ctrl+1 inserts the first match".
func (w *workbench) insertMatch(t *testing.T) {
	ctx, srv := w.ctx, w.srv
	var look struct {
		Matches []struct {
			AdaptedTarget string `json:"adapted_target"`
		}
	}
	if err := json.Unmarshal([]byte(srv.cli(t, "lookup", "--json", "--limit", "1", changedDutch)), &look); err != nil || len(look.Matches) == 0 {
		t.Fatalf("tolk lookup: %v %+v", err, look)
	}
	run(t, ctx, "pressing Ctrl+1 in an emptied target",
		js(`(el => { el.focus(); document.execCommand('selectAll'); document.execCommand('delete'); })(document.querySelector('#grid .target'))`),
		ctrl("1"),
		waitJS(`document.querySelector('#grid .target').textContent !== ''`))
	if got := eval[string](t, ctx, `document.querySelector('#grid .target').textContent`); got != look.Matches[0].AdaptedTarget {
		t.Errorf("Ctrl+1 inserted %q, want the match's adapted target %q", got, look.Matches[0].AdaptedTarget)
	}
}

// confirm is the step "Ctrl+Enter confirms into the memory".
func (w *workbench) confirm(t *testing.T) {
	ctx, srv := w.ctx, w.srv
	run(t, ctx, "editing and confirming",
		js(`(el => { el.focus(); document.execCommand('selectAll'); document.execCommand('insertText', false, `+jsString(confirmedEnglish)+`); })(document.querySelector('#grid .target'))`),
		ctrl("\r"),
		waitJS(`document.querySelector('#grid-body .row').classList.contains('confirmed')`))
	var look struct {
		Matches []struct {
			Target string
			Score  int
		}
	}
	if err := json.Unmarshal([]byte(srv.cli(t, "lookup", "--json", "--limit", "1", changedDutch)), &look); err != nil || len(look.Matches) == 0 {
		t.Fatalf("tolk lookup after the confirm: %v %+v", err, look)
	}
	if m := look.Matches[0]; m.Target != confirmedEnglish || m.Score < 100 {
		t.Errorf("tolk lookup gives %+v, want the confirmed English at 100 or more", m)
	}
}

// concordance is the step "Ctrl+K: concordance of the selected words finds the confirmed unit".
func (w *workbench) concordance(t *testing.T) {
	ctx := w.ctx
	run(t, ctx, "selecting and pressing Ctrl+K",
		js(`(el => { el.focus(); const n = el.firstChild, at = n.textContent.indexOf('military bases'); const r = document.createRange(); r.setStart(n, at); r.setEnd(n, at + 14); getSelection().removeAllRanges(); getSelection().addRange(r); })(document.querySelector('#grid .target'))`),
		ctrl("k"),
		waitJS(`!document.getElementById('view-concordance').hidden && !document.getElementById('conc-table').hidden`))
	rows := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#conc-table tbody tr')).map(r => r.cells[1].textContent + ' | ' + Array.from(r.querySelectorAll('mark')).map(m => m.textContent).join(','))`)
	if len(rows) != 1 || rows[0] != confirmedEnglish+" | military bases" {
		t.Errorf("concordance rows %q, want the confirmed unit with 'military bases' highlighted", rows)
	}
	shot(t, ctx, "concordance")
}

// checks is the step "checks: terms missing or forbidden in an edit".
func (w *workbench) checks(t *testing.T) {
	ctx := w.ctx
	translate(t, ctx, "De Amerikaanse minister van Buitenlandse Zaken sprak met de VN-Veiligheidsraad.")
	flags := func(english string) string {
		t.Helper()
		run(t, ctx, "editing", js(`(el => { el.focus(); document.execCommand('selectAll'); document.execCommand('insertText', false, `+jsString(english)+`); })(document.querySelector('#grid .target'))`))
		return eval[string](t, ctx, `document.querySelector('#grid-body .flags').textContent`)
	}
	if got := flags("The minister spoke to the council."); !strings.Contains(got, "term missing: Secretary of State") || !strings.Contains(got, "term missing: Security Council") {
		t.Errorf("flags %q: want both terms missing", got)
	}
	if got := flags("The US Foreign Minister spoke to the Security Council."); !strings.Contains(got, "forbidden term for Amerikaanse minister van Buitenlandse Zaken") || strings.Contains(got, "Security Council") {
		t.Errorf("flags %q: want the forbidden English flagged and the council found", got)
	}
	if got := flags("The US Secretary of State spoke to the Security Council."); got != "" {
		t.Errorf("flags %q: want none", got)
	}
}

// openFiles is the step "opening files: XLIFF gives a grid, a binary file a message".
func (w *workbench) openFiles(t *testing.T) {
	ctx := w.ctx
	dir := t.TempDir()
	bin := filepath.Join(dir, "scan.pdf")
	xlf := filepath.Join(dir, "brief.xlf")
	os.WriteFile(bin, []byte("%PDF-1.4\x00\x01\x02binary"), 0o644)
	os.WriteFile(xlf, []byte(`<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="brief.txt" source-language="nl" target-language="en" datatype="plaintext"><body>
<trans-unit id="a1"><source>`+changedDutch+`</source></trans-unit>
<trans-unit id="a2"><source>De minister belde de president.</source><target>The minister phoned the president.</target></trans-unit>
</body></file></xliff>`), 0o644)
	run(t, ctx, "opening a binary file",
		chromedp.Click(chromedp.CSS(`nav button[data-view=translate]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#tr-file`), []string{bin}),
		waitJS(`!document.getElementById('notice').hidden`))
	if notice := eval[string](t, ctx, `document.getElementById('notice-text').textContent`); !strings.Contains(notice, "scan.pdf is not a text file") {
		t.Errorf("notice %q", notice)
	}
	run(t, ctx, "opening XLIFF", chromedp.Click(chromedp.CSS(`#notice-close`)),
		js(`delete document.body.dataset.segments`),
		chromedp.SetUploadFiles(chromedp.CSS(`#tr-file`), []string{xlf}),
		waitJS(`document.body.dataset.segments === '2'`))
	got := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#grid-body .row')).map(r => r.querySelector('[role=rowheader]').textContent + ' ' + r.querySelector('.badge').className + ' | ' + r.querySelector('.target').textContent)`)
	// a1 is the sentence confirmed above: the memory gives its English;
	// a2 keeps the English the file holds.
	if len(got) != 2 || !strings.HasPrefix(got[0], "a1 ") || !strings.HasSuffix(got[0], "| "+confirmedEnglish) ||
		!strings.HasPrefix(got[1], "a2 ") || !strings.HasSuffix(got[1], "| The minister phoned the president.") {
		t.Errorf("rows %q: want a1 and a2, a2 with the file's English", got)
	}
}

// reload is the step "unconfirmed edits survive a reload".
func (w *workbench) reload(t *testing.T) {
	ctx := w.ctx
	checkCSP(t, ctx)
	translate(t, ctx, "De minister belde de president. Daarna sprak hij met de pers.")
	run(t, ctx, "editing", js(`(el => { el.focus(); document.execCommand('insertText', false, 'Then he spoke to the press — ë, é, „quotes”.'); })(document.querySelectorAll('#grid .target')[1])`),
		chromedp.Reload(), // at once: the page stores the edit when it is left
		waitJS(`document.body.dataset.segments === '2'`), watchCSP())
	if got := eval[string](t, ctx, `document.querySelectorAll('#grid .target')[1].textContent`); got != "Then he spoke to the press — ë, é, „quotes”." {
		t.Errorf("after reload the edit is %q", got)
	}
}

// glossary is the step "glossary concept added in the page is found by tolk terms".
func (w *workbench) glossary(t *testing.T) {
	ctx, srv := w.ctx, w.srv
	run(t, ctx, "adding a concept",
		chromedp.Click(chromedp.CSS(`nav button[data-view=glossary]`)),
		chromedp.Click(chromedp.CSS(`#gl-new`)),
		chromedp.SendKeys(chromedp.CSS(`#ge-subject`), "security"),
		chromedp.SendKeys(chromedp.CSS(`#gt-text-0`), "grensbewakingsmissie"),
		chromedp.SendKeys(chromedp.CSS(`#gt-text-1`), "border monitoring mission"),
		chromedp.Click(chromedp.CSS(`#gl-edit-form button[type=submit]`)),
		waitJS(`document.getElementById('gl-detail').textContent.includes('grensbewakingsmissie')`))
	var terms struct {
		Hits []struct{ Target, Glossary string }
	}
	if err := json.Unmarshal([]byte(srv.cli(t, "terms", "--json", "De grensbewakingsmissie begint morgen.")), &terms); err != nil {
		t.Fatal(err)
	}
	if len(terms.Hits) != 1 || terms.Hits[0].Target != "border monitoring mission" || terms.Hits[0].Glossary != "main" {
		t.Errorf("tolk terms gives %+v, want the new concept in glossary main", terms.Hits)
	}
	run(t, ctx, "searching by prefix", chromedp.SetValue(chromedp.CSS(`#gl-q`), "grensbew"),
		chromedp.Click(chromedp.CSS(`#gl-form button[type=submit]`)),
		waitJS(`document.querySelectorAll('#gl-results button').length === 1`))
	run(t, ctx, "searching by approximate spelling", chromedp.SetValue(chromedp.CSS(`#gl-q`), "veiligheidsrad"),
		chromedp.Click(chromedp.CSS(`#gl-fuzzy`)),
		chromedp.Click(chromedp.CSS(`#gl-form button[type=submit]`)),
		waitJS(`document.getElementById('gl-results').textContent.includes('Security Council')`),
		chromedp.Click(chromedp.CSS(`#gl-results button`)),
		waitJS(`document.getElementById('gl-detail').textContent.includes('Security Council')`))
	shot(t, ctx, "glossary")
	run(t, ctx, "editing and deleting the new concept",
		chromedp.SetValue(chromedp.CSS(`#gl-q`), "grensbew"),
		chromedp.Click(chromedp.CSS(`#gl-fuzzy`)),
		chromedp.Click(chromedp.CSS(`#gl-form button[type=submit]`)),
		waitJS(`document.getElementById('gl-results').textContent.includes('border monitoring mission')`),
		chromedp.Click(chromedp.CSS(`#gl-results button`)),
		chromedp.Click(chromedp.CSS(`#gl-edit`)),
		chromedp.Click(chromedp.CSS(`#ge-add`)),
		chromedp.SendKeys(chromedp.CSS(`#gt-text-2`), "border mission"),
		chromedp.SetValue(chromedp.CSS(`#gt-status-2`), "TERM_STATUS_FORBIDDEN"),
		chromedp.Click(chromedp.CSS(`#gl-edit-form button[type=submit]`)),
		waitJS(`document.querySelector('#gl-detail tr.forbidden') !== null`))
	var edited struct {
		Hits []struct {
			Targets []struct{ Text, Status string }
		}
	}
	if err := json.Unmarshal([]byte(srv.cli(t, "terms", "--json", "De grensbewakingsmissie begint morgen.")), &edited); err != nil || len(edited.Hits) != 1 || len(edited.Hits[0].Targets) != 2 || edited.Hits[0].Targets[1].Status != "TERM_STATUS_FORBIDDEN" {
		t.Errorf("after the edit tolk terms gives %+v (%v), want the forbidden English too", edited, err)
	}
	run(t, ctx, "deleting", chromedp.Click(chromedp.CSS(`#gl-delete`)), chromedp.WaitVisible(chromedp.CSS(`#ask-yes`)),
		chromedp.Click(chromedp.CSS(`#ask-yes`)),
		waitJS(`document.getElementById('gl-detail').textContent.includes('deleted')`))
	if out := srv.cli(t, "terms", "--json", "De grensbewakingsmissie begint morgen."); strings.Contains(out, "border") {
		t.Errorf("after the delete tolk terms gives %s", out)
	}
}

// importFiles is the step "TMX import shows progress and the new count".
func (w *workbench) importFiles(t *testing.T) {
	ctx, srv := w.ctx, w.srv
	tmx := writeTMX(t, 400)
	run(t, ctx, "importing",
		chromedp.Click(chromedp.CSS(`nav button[data-view=memories]`)),
		chromedp.SendKeys(chromedp.CSS(`#mem-name`), "nieuws"),
		chromedp.Click(chromedp.CSS(`#mem-create button[type=submit]`)),
		waitJS(`Array.from(document.getElementById('imp-memory').options).some(o => o.value === 'nieuws')`),
		chromedp.SetValue(chromedp.CSS(`#imp-memory`), "nieuws"),
		chromedp.SetUploadFiles(chromedp.CSS(`#imp-file`), []string{tmx}),
		chromedp.Click(chromedp.CSS(`#imp-form button[type=submit]`)),
		waitJS(`document.getElementById('imp-result').textContent.includes('added')`))
	result := eval[string](t, ctx, `document.getElementById('imp-result').textContent`)
	bar := eval[float64](t, ctx, `document.getElementById('imp-bar').value`)
	listed := srv.cli(t, "tm", "list")
	if !strings.Contains(result, "400 added") || !strings.Contains(result, "nieuws now holds 400 units") || bar != 100 {
		t.Errorf("import result %q, bar %v; want 400 added, the new count 400 and a full bar", result, bar)
	}
	if !regexp.MustCompile(`nieuws\s.*\b400\b`).MatchString(listed) {
		t.Errorf("tolk tm list:\n%s\nwant nieuws with 400 units", listed)
	}
	if cell := eval[string](t, ctx, `document.querySelector('[data-units=nieuws]').textContent`); cell != "400" {
		t.Errorf("units cell %q, want 400", cell)
	}
	shot(t, ctx, "memories")

	csv := filepath.Join(t.TempDir(), "desk.csv")
	os.WriteFile(csv, []byte("nl,en\nvredesmacht,peacekeeping force\nwapenstilstand,ceasefire\ngijzelaar,hostage\n"), 0o644)
	run(t, ctx, "importing a termbase",
		chromedp.SetUploadFiles(chromedp.CSS(`#gimp-file`), []string{csv}),
		chromedp.Click(chromedp.CSS(`#gimp-form button[type=submit]`)),
		waitJS(`document.getElementById('imp-result').textContent.includes('desk.csv')`))
	if got := eval[string](t, ctx, `document.getElementById('imp-result').textContent`); !strings.Contains(got, "3 concepts, 6 terms into main") {
		t.Errorf("termbase import result %q", got)
	}
	if out := srv.cli(t, "terms", "--json", "De vredesmacht bewaakt de wapenstilstand."); !strings.Contains(out, "peacekeeping force") || !strings.Contains(out, "ceasefire") {
		t.Errorf("tolk terms after the termbase import: %s", out)
	}
}

// concordancePages is the step "concordance pages through the imported
// units": 400 units hold "ministerie", 20 a page.
func (w *workbench) concordancePages(t *testing.T) {
	ctx := w.ctx
	page := func() []string {
		t.Helper()
		return eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#conc-table tbody tr')).map(r => r.cells[0].innerHTML)`)
	}
	run(t, ctx, "searching", chromedp.Click(chromedp.CSS(`nav button[data-view=concordance]`)),
		chromedp.SetValue(chromedp.CSS(`#conc-side`), "source"),
		chromedp.SetValue(chromedp.CSS(`#conc-q`), "ministerie"),
		chromedp.Click(chromedp.CSS(`#conc-form button[type=submit]`)),
		waitJS(`document.getElementById('conc-count').textContent.includes('page 1')`))
	first := page()
	if got := eval[string](t, ctx, `document.getElementById('conc-count').textContent`); got != "400 units found; page 1." || len(first) != 20 || !strings.Contains(first[0], "<mark>ministerie</mark>") {
		t.Fatalf("count %q, %d rows, first %q", got, len(first), first[0])
	}
	run(t, ctx, "next page", chromedp.Click(chromedp.CSS(`#conc-next`)), waitJS(`document.getElementById('conc-count').textContent.includes('page 2')`))
	second := page()
	run(t, ctx, "previous page", chromedp.Click(chromedp.CSS(`#conc-prev`)), waitJS(`document.getElementById('conc-count').textContent.includes('page 1')`))
	if len(second) != 20 || second[0] == first[0] || page()[0] != first[0] {
		t.Errorf("page 2 starts %q, page 1 %q, and back %q", second[0], first[0], page()[0])
	}
}

// exports is the step "exports: the document as text, XLIFF and TMX, a memory as TMX, the seed glossary as JSONL".
func (w *workbench) exports(t *testing.T) {
	ctx := w.ctx
	dir := t.TempDir()
	run(t, ctx, "allowing downloads", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
		return err
	}))
	run(t, ctx, "exporting a memory and a glossary",
		chromedp.Click(chromedp.CSS(`nav button[data-view=memories]`)),
		chromedp.Click(chromedp.CSS(`[data-export=nieuws]`)),
		waitJS(`document.getElementById('gexp-glossary').options.length > 1`),
		chromedp.SetValue(chromedp.CSS(`#gexp-glossary`), "diplomatic"),
		chromedp.SetValue(chromedp.CSS(`#gexp-format`), "GLOSSARY_FORMAT_JSONL"),
		chromedp.Click(chromedp.CSS(`#gexp-form button[type=submit]`)),
		chromedp.Click(chromedp.CSS(`nav button[data-view=translate]`)))
	for _, kind := range []string{"txt", "xliff", "tmx"} {
		run(t, ctx, "exporting the document as "+kind, chromedp.SetValue(chromedp.CSS(`#tr-export`), kind), chromedp.Click(chromedp.CSS(`#tr-download`)))
	}
	read := func(name string) string {
		t.Helper()
		for range 100 {
			if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil && len(b) > 0 {
				return string(b)
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("%s was not downloaded", name)
		return ""
	}
	edited := "Then he spoke to the press — ë, é, „quotes”."
	if got := read("pasted.en.txt"); got != "De minister belde de president. "+edited {
		t.Errorf("plain text %q: want the untranslated Dutch kept and the edit", got)
	}
	var x struct {
		Units []struct {
			ID      string `xml:"id,attr"`
			Segment struct {
				State  string `xml:"state,attr"`
				Target string `xml:"target"`
			} `xml:"segment"`
		} `xml:"file>unit"`
	}
	if err := xml.Unmarshal([]byte(read("pasted.xlf")), &x); err != nil || len(x.Units) != 2 || x.Units[1].Segment.Target != edited || x.Units[1].Segment.State != "translated" {
		t.Errorf("XLIFF: %v %+v", err, x)
	}
	if got := read("pasted.tmx"); strings.Count(got, "</tu>") != 1 || !strings.Contains(got, "<seg>"+edited+"</seg>") {
		t.Errorf("TMX of the document:\n%s", got)
	}
	if n := strings.Count(read("nieuws.tmx"), "</tu>"); n != 400 {
		t.Errorf("the memory's TMX holds %d units, want 400", n)
	}
	var concepts int
	fmt.Sscanf(eval[string](t, ctx, `document.querySelector('#gexp-glossary option[value=diplomatic]').textContent`), "diplomatic (%d concepts)", &concepts)
	if got := read("diplomatic.jsonl"); concepts == 0 || strings.Count(got, "\n") != concepts || !strings.Contains(got, `"un-security-council"`) {
		t.Errorf("glossary JSONL of %d lines, want one a concept (%d, as ListGlossaries says)", strings.Count(got, "\n"), concepts)
	}
}

// serverError is the step "a server error shows the server's message and keeps the text".
func (w *workbench) serverError(t *testing.T) {
	ctx := w.ctx
	run(t, ctx, "translating too long a text",
		chromedp.Click(chromedp.CSS(`nav button[data-view=translate]`)),
		js(`document.getElementById('tr-text').value = 'Een zin. '.repeat(5001)`),
		chromedp.Click(chromedp.CSS(`#tr-form button[type=submit]`)),
		waitJS(`!document.getElementById('notice').hidden`))
	notice := eval[string](t, ctx, `document.getElementById('notice-text').textContent`)
	if !strings.Contains(notice, "too long") || !strings.Contains(notice, "5001 segments is more than the limit of 5000") {
		t.Errorf("notice %q: want plain words and the server's message", notice)
	}
	if n := eval[int](t, ctx, `document.getElementById('tr-text').value.length`); n != 9*5001 {
		t.Errorf("the text box holds %d characters after the error, want the %d pasted", n, 9*5001)
	}
	if eval[bool](t, ctx, `document.getElementById('notice-retry').hidden`) {
		t.Error("no retry offered")
	}
}

// accessible is the step "accessible: names, Tab order, 200 % zoom".
func (w *workbench) accessible(t *testing.T) {
	ctx := w.ctx
	translate(t, ctx, "De VN-Veiligheidsraad veroordeelde de antiterreurmaatregelen. De minister belde de president.")
	unnamed := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('input, select, textarea, button, [role=textbox]')).filter(e =>
		!(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.tagName === 'BUTTON' && e.textContent.trim())).map(e => e.outerHTML.slice(0, 80))`)
	if len(unnamed) > 0 {
		t.Errorf("controls without a name: %q", unnamed)
	}
	// Tab from the top: the skip link, the views, the text box, the buttons,
	// and the first English cell are all reached.
	run(t, ctx, "focusing the top", js(`document.activeElement.blur(); window.scrollTo(0, 0)`))
	seen := map[string]bool{}
	for range 40 {
		run(t, ctx, "tabbing", chromedp.KeyEvent(kb.Tab))
		seen[eval[string](t, ctx, `(e => e.id || e.dataset.view || e.className || e.tagName)(document.activeElement)`)] = true
	}
	for _, want := range []string{"skip", "translate", "concordance", "glossary", "memories", "tr-text", "tr-file", "tr-memory", "tr-sample", "term", "target"} {
		if !seen[want] {
			t.Errorf("Tab never reached %q (reached %v)", want, seen)
		}
	}
	run(t, ctx, "zooming to 200 %", chromedp.EmulateViewport(640, 360, chromedp.EmulateScale(2)))
	for _, view := range []string{"translate", "concordance", "glossary", "memories"} {
		run(t, ctx, "showing "+view, chromedp.Click(chromedp.CSS(`nav button[data-view=`+view+`]`)))
		if w := eval[[]int](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); w[0] > w[1] {
			t.Errorf("%s at 200 %%: the page is %d px wide in a %d px window", view, w[0], w[1])
		}
	}
}

// serverDown is the step "server down: the page says so, keeps the edit, and retries".
func (w *workbench) serverDown(t *testing.T) {
	ctx, srv := w.ctx, w.srv
	run(t, ctx, "closing the notice", chromedp.Click(chromedp.CSS(`#notice-close`)))
	translate(t, ctx, "De minister belde de president.")
	srv.stop(t)
	run(t, ctx, "confirming while the server is down",
		js(`(el => { el.focus(); document.execCommand('insertText', false, 'The minister called the president.'); })(document.querySelector('#grid .target'))`),
		ctrl("\r"),
		waitJS(`!document.getElementById('notice').hidden`))
	notice := eval[string](t, ctx, `document.getElementById('notice-text').textContent`)
	if !strings.Contains(notice, "cannot be reached") || !strings.Contains(notice, "work is kept") {
		t.Errorf("notice %q", notice)
	}
	if got := eval[string](t, ctx, `document.querySelector('#grid .target').textContent`); got != "The minister called the president." {
		t.Errorf("the edit is %q after the failure", got)
	}
	// The server comes back on the same address; "Try again" confirms.
	srv = startTolkAt(t, srv.db, strings.TrimPrefix(srv.url, "http://"))
	w.srv = srv
	run(t, ctx, "retrying", chromedp.Click(chromedp.CSS(`#notice-retry`)),
		waitJS(`document.querySelector('#grid-body .row').classList.contains('confirmed')`))
	var look struct{ Matches []struct{ Target string } }
	if err := json.Unmarshal([]byte(srv.cli(t, "lookup", "--json", "--limit", "1", "De minister belde de president.")), &look); err != nil || len(look.Matches) == 0 || look.Matches[0].Target != "The minister called the president." {
		t.Errorf("after the retry tolk lookup gives %+v (%v)", look, err)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// writeTMX writes a TMX file of n distinct units.
func writeTMX(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="nl" datatype="plaintext"/><body>` + "\n")
	for i := range n {
		fmt.Fprintf(&b, `<tu><tuv xml:lang="nl"><seg>Het ministerie meldde op dag %d dat de begroting klopt.</seg></tuv><tuv xml:lang="en"><seg>On day %d the ministry reported that the budget is right.</seg></tuv></tu>`+"\n", i, i)
	}
	b.WriteString("</body></tmx>\n")
	path := filepath.Join(t.TempDir(), "nieuws.tmx")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// cliAs runs a tolk client command against s with token, returning its
// stdout, or its stderr and the error when it fails.
func (s *tolkServer) cliAs(t *testing.T, token string, args ...string) (string, string, error) {
	t.Helper()
	cmd := exec.Command(tolkBin, args...)
	cmd.Env = append(os.Environ(), "TOLK_ADDR="+s.grpc, "TOLK_TOKEN="+token)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	return string(out), stderr.String(), err
}

func (s *tolkServer) token(t *testing.T, admin, name, scope string) string {
	t.Helper()
	out, stderr, err := s.cliAs(t, admin, "token", "create", "--name", name, "--scope", scope)
	if err != nil {
		t.Fatalf("tolk token create %s: %v: %s", name, err, stderr)
	}
	return strings.TrimSpace(out)
}

func signIn(t *testing.T, ctx context.Context, secret string) {
	t.Helper()
	run(t, ctx, "signing in",
		chromedp.WaitVisible(chromedp.CSS(`#signin-token`)),
		chromedp.SendKeys(chromedp.CSS(`#signin-token`), secret),
		chromedp.Click(chromedp.CSS(`#signin-form button[type=submit]`)),
		waitJS(`document.getElementById('who').textContent !== ''`))
}

func TestSignIn(t *testing.T) {
	srv := startTolk(t, "")
	admin := srv.token(t, "", "admin", "admin")
	writer := srv.token(t, admin, "writer", "write")
	reader := srv.token(t, admin, "reader", "read")
	ctx := browser(t)
	run(t, ctx, "opening the workbench", chromedp.Navigate(srv.url+"/"))
	run(t, ctx, "waiting for sign-in", chromedp.WaitVisible(chromedp.CSS(`#signin-token`)))
	msg := eval[string](t, ctx, `document.getElementById('signin-msg').textContent`)
	if msg == "" {
		t.Error("the sign-in form shows no message from the server")
	}

	t.Run("a read token sees no edit controls", func(t *testing.T) {
		signIn(t, ctx, reader)
		if who := eval[string](t, ctx, `document.getElementById('who').textContent`); who != "Signed in · read only" {
			t.Errorf("who %q", who)
		}
		translate(t, ctx, "De minister belde de president. Daarna sprak hij met de pers.")
		editable := eval[int](t, ctx, `document.querySelectorAll('#grid [contenteditable="plaintext-only"]').length`)
		readonly := eval[int](t, ctx, `document.querySelectorAll('#grid [aria-readonly="true"]').length`)
		if editable != 0 || readonly != 2 {
			t.Errorf("%d editable and %d read-only targets, want 0 and 2", editable, readonly)
		}
		run(t, ctx, "opening memories", chromedp.Click(chromedp.CSS(`nav button[data-view=memories]`)), waitJS(`document.querySelectorAll('#mem-table tbody tr').length > 0`))
		visible := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('.write-only, [data-delete], #gl-new')).filter(e => e.offsetParent !== null).map(e => e.id || e.textContent)`)
		if len(visible) != 0 {
			t.Errorf("write controls visible to a read token: %q", visible)
		}
		run(t, ctx, "signing out", chromedp.Click(chromedp.CSS(`#signout`)))
	})

	t.Run("a write token edits and confirms", func(t *testing.T) {
		signIn(t, ctx, writer)
		if who := eval[string](t, ctx, `document.getElementById('who').textContent`); who != "Signed in" {
			t.Errorf("who %q", who)
		}
		translate(t, ctx, "De minister belde de president. Daarna sprak hij met de pers.")
		run(t, ctx, "confirming",
			js(`(el => { el.focus(); document.execCommand('insertText', false, 'Then he spoke to the press.'); })(document.querySelectorAll('#grid .target')[1])`),
			ctrl("\r"),
			waitJS(`document.querySelectorAll('#grid-body .row')[1].classList.contains('confirmed')`))
	})

	t.Run("a revoked token returns to sign-in with the server's message", func(t *testing.T) {
		if _, stderr, err := srv.cliAs(t, admin, "token", "revoke", "writer"); err != nil {
			t.Fatalf("revoking: %v %s", err, stderr)
		}
		_, want, err := srv.cliAs(t, writer, "lookup", "De minister belde de president.")
		if err == nil {
			t.Fatal("tolk lookup with the revoked token succeeded")
		}
		run(t, ctx, "confirming with the revoked token",
			js(`(el => { el.focus(); document.execCommand('insertText', false, 'The minister called the president.'); })(document.querySelectorAll('#grid .target')[0])`),
			ctrl("\r"),
			chromedp.WaitVisible(chromedp.CSS(`#signin-token`)))
		got := eval[string](t, ctx, `document.getElementById('signin-msg').textContent`)
		if got == "" || !strings.Contains(want, got) {
			t.Errorf("sign-in message %q; tolk lookup says %q", got, want)
		}
		if saved := eval[string](t, ctx, `Object.entries(localStorage).filter(([k]) => k.startsWith('tolk.work.')).map(([, v]) => v).join()`); !strings.Contains(saved, "The minister called the president.") {
			t.Errorf("the unconfirmed edit is not kept: %s", saved)
		}
	})
}

// TestLargeDocument times a 2,000-segment document from the answer to an
// interactive grid, against a 20-segment one in the same run, and the
// moves between segments.
func TestLargeDocument(t *testing.T) {
	srv := startTolk(t, "")
	ctx := browser(t)
	run(t, ctx, "opening the workbench", chromedp.Navigate(srv.url+"/"), chromedp.WaitVisible(chromedp.CSS(`#tr-sample`)))
	doc := func(n int) string {
		var b strings.Builder
		for i := range n {
			switch i % 3 {
			case 0:
				fmt.Fprintf(&b, "Het staatshoofd zei dat tijdens de antiterreurmaatregelen, die minder dan %d uur duurden, alleen militaire faciliteiten het doelwit waren geweest en dat burgers geen schade hadden geleden. ", i+30)
			case 1:
				fmt.Fprintf(&b, "De VN-Veiligheidsraad besprak op vergadering %d de situatie in de regio. ", i)
			default:
				fmt.Fprintf(&b, "Volgens het ministerie van Buitenlandse Zaken telde rapport %d precies %d pagina's.\n\n", i, i*3)
			}
		}
		return b.String()
	}
	// timing returns the ms from the answer to the first rows taking keys,
	// and to the whole grid built, and the time from the click to the
	// first.
	timing := func(n int) (interactive, full int, wait time.Duration) {
		start := time.Now()
		translate(t, ctx, doc(n))
		wait = time.Since(start)
		run(t, ctx, "waiting for the whole grid", waitJS(`document.body.dataset.fullMs !== undefined`))
		if got := eval[int](t, ctx, `document.querySelectorAll('#grid-body .row').length`); got != n {
			t.Fatalf("%d rows, want %d", got, n)
		}
		fmt.Sscan(eval[string](t, ctx, `document.body.dataset.renderMs`), &interactive)
		fmt.Sscan(eval[string](t, ctx, `document.body.dataset.fullMs`), &full)
		return interactive, full, wait
	}
	small, smallFull, _ := timing(20)
	large, largeFull, total := timing(2000)
	// Moving: 20 Ctrl+Down from the first segment, each waiting for the focus.
	run(t, ctx, "focusing the first segment", chromedp.Focus(chromedp.CSS(`#grid .target`)))
	start := time.Now()
	for i := 1; i <= 20; i++ {
		run(t, ctx, "moving", ctrl(kb.ArrowDown), waitJS(fmt.Sprintf(`document.activeElement.closest('.row').dataset.i === '%d'`, i)))
	}
	move := time.Since(start) / 20
	t.Logf("2,000 segments: interactive %d ms after the answer, whole grid built %d ms (20 segments: %d and %d ms); click to interactive %v (with Translate); Ctrl+Down %v a move (with the DevTools round trip)",
		large, largeFull, small, smallFull, total.Round(time.Millisecond), move.Round(time.Millisecond))
	// The target is 2 s; the machine may be loaded, so it fails only when
	// the large document is also far slower than the small one: building
	// the first rows must not depend on the document's length.
	if large > 2000 && large > 10*max(small, 1) {
		t.Errorf("2,000 segments took %d ms to become interactive, more than 2 s and 10× the %d ms of 20 segments", large, small)
	}
}
