package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTMUnitCommands reads, changes, lists and exports units of the seed
// memory through the CLI.
func TestTMUnitCommands(t *testing.T) {
	s := startServer(t)
	must := func(args ...string) string {
		t.Helper()
		code, out, errOut := s.run(t, "", args...)
		if code != 0 {
			t.Fatalf("tolk %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		return out
	}
	units := regexp.MustCompile(`(?m)^#(\d+) `)

	out := must("tm", "list", "seed", "--page-size", "4")
	if n := len(units.FindAllString(out, -1)); n != 4 || !strings.Contains(out, "next page: --page-token ") {
		t.Fatalf("first page of 4: %d units\n%s", n, out)
	}
	token := strings.TrimSpace(out[strings.LastIndex(out, "--page-token ")+len("--page-token "):])
	out = must("tm", "list", "seed", "--page-size", "4", "--page-token", token)
	if n := len(units.FindAllString(out, -1)); n != 4 || strings.Contains(out, "#1 ") {
		t.Fatalf("second page: %d units\n%s", n, out)
	}
	if code, _, errOut := s.run(t, "", "tm", "list", "seed", "--page-size", "4", "--changed-by", "x", "--page-token", token); code != 1 || !strings.Contains(errOut, "page token") {
		t.Errorf("a token with other filters: exit %d, %s", code, errOut)
	}

	out = must("tm", "update", "seed", "1", "--target", "A new target.", "--prop", "domain=law", "--user", "anna")
	if !strings.Contains(out, "en: A new target.") || !strings.Contains(out, "domain=law") || !strings.Contains(out, "by anna") {
		t.Fatalf("update printed\n%s", out)
	}
	if out = must("tm", "get", "seed", "1"); !strings.Contains(out, "en: A new target.") {
		t.Fatalf("get after the update\n%s", out)
	}
	for _, args := range [][]string{{"--prop", "domain=law"}, {"--prop", "domain"}, {"--changed-by", "anna"}} {
		out = must(append([]string{"tm", "list", "seed"}, args...)...)
		if got := units.FindAllStringSubmatch(out, -1); len(got) != 1 || got[0][1] != "1" {
			t.Errorf("list %v: %q", args, out)
		}
	}
	if out = must("tm", "list", "seed", "--prop", "client=nobody"); units.MatchString(out) {
		t.Errorf("a property no unit has listed units:\n%s", out)
	}
	if out = must("tm", "list", "seed", "--changed-since", "2999-01-01"); units.MatchString(out) {
		t.Errorf("units changed since 2999:\n%s", out)
	}
	out = must("tm", "export", "--memory", "seed", "--prop", "domain=law")
	if n := strings.Count(out, "<tu ") + strings.Count(out, "<tu>"); n != 1 || !strings.Contains(out, "A new target.") {
		t.Errorf("export of domain=law: %d units", n)
	}
	if out = must("tm", "export", "--memory", "seed", "--changed-by", "anna", "--changed-since", "2000-01-01"); !strings.Contains(out, "A new target.") {
		t.Errorf("export changed by anna lacks the unit")
	}

	must("tm", "update", "seed", "--description", "The seed article")
	if out = must("tm", "get", "seed"); !strings.Contains(out, "The seed article") {
		t.Errorf("get memory after the update: %s", out)
	}
	if out = must("tm", "list", "--page-size", "1"); !strings.HasPrefix(out, "seed\t") || !strings.Contains(out, "The seed article") {
		t.Errorf("memories page of 1: %s", out)
	}
	if code, _, _ := s.run(t, "", "tm", "update", "seed", "1"); code != 2 {
		t.Errorf("update without a change: exit %d, want 2", code)
	}
	if code, _, errOut := s.run(t, "", "tm", "get", "seed", "999999"); code != 1 || !strings.Contains(errOut, "no unit 999999") {
		t.Errorf("get of an unknown unit: exit %d, %s", code, errOut)
	}
	if out = must("lookup", "--json", "--prop", "domain=other", "--memory", "seed", "Het staatshoofd zei dat tijdens de antiterreurmaatregelen, die minder dan twee dagen duurden, alleen militaire faciliteiten het doelwit waren geweest en dat burgers geen schade hadden geleden."); !strings.Contains(out, "property mismatch") {
		t.Errorf("lookup with --prop: no property penalty in %s", out)
	}
}

// TestGlossaryListAndGetCLI pages through the seed glossary's concepts and reads one
// concept.
func TestGlossaryListAndGetCLI(t *testing.T) {
	s := startServer(t)
	code, out, errOut := s.run(t, "", "glossary", "concepts", "--page-size", "3")
	if code != 0 || strings.Count(out, "\n") != 4 || !strings.Contains(out, "next page: --page-token ") {
		t.Fatalf("glossary concepts: exit %d %s\n%s", code, errOut, out)
	}
	id, _, _ := strings.Cut(out, "\t")
	token := strings.TrimSpace(out[strings.LastIndex(out, "--page-token ")+len("--page-token "):])
	code, out2, errOut := s.run(t, "", "glossary", "concepts", "--page-size", "3", "--page-token", token)
	if code != 0 || strings.Contains(out2, id+"\t") || strings.Count(out2, "\n") != 4 {
		t.Fatalf("second page: exit %d %s\n%s", code, errOut, out2)
	}
	if code, out, errOut = s.run(t, "", "glossary", "get", id); code != 0 || !strings.Contains(out, `"id":"`+id+`"`) {
		t.Fatalf("glossary get %s: exit %d %s\n%s", id, code, errOut, out)
	}
	if code, out, errOut = s.run(t, "", "glossary", "search", "--page-size", "1", "mi"); code != 0 || !strings.Contains(out, "next page:") {
		t.Fatalf("glossary search in pages: exit %d %s\n%s", code, errOut, out)
	}
}

// TestImportOnErrorCLI imports a file with a unit lacking its English and
// one with a bad usage count, skipping and stopping.
func TestImportOnErrorCLI(t *testing.T) {
	s := startServer(t)
	path := filepath.Join(t.TempDir(), "bad.tmx")
	doc := `<tmx version="1.4"><header srclang="nl"/><body>
<tu><tuv xml:lang="nl"><seg>Een.</seg></tuv><tuv xml:lang="en"><seg>One.</seg></tuv></tu>
<tu><tuv xml:lang="nl"><seg>Twee.</seg></tuv></tu>
<tu usagecount="-1"><tuv xml:lang="nl"><seg>Drie.</seg></tuv><tuv xml:lang="en"><seg>Three.</seg></tuv></tu>
<tu><tuv xml:lang="nl"><seg>Vier.</seg></tuv><tuv xml:lang="en"><seg>Four.</seg></tuv></tu>
</body></tmx>`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := s.run(t, "", "tm", "import", path, "--memory", "r", "--on-error", "skip")
	if code != 0 || strings.Count(errOut, "warning: line ") != 2 || !strings.Contains(errOut, "(unit 3): left out: usagecount") || !strings.Contains(errOut, "2 added") {
		t.Fatalf("--on-error skip: exit %d\n%s", code, errOut)
	}
	code, _, errOut = s.run(t, "", "tm", "import", path, "--memory", "s", "--on-error", "stop")
	if code != 1 || !strings.Contains(errOut, "usagecount") || !strings.Contains(errOut, "resume with --skip 1") {
		t.Fatalf("--on-error stop: exit %d\n%s", code, errOut)
	}
	if code, _, _ := s.run(t, "", "tm", "import", path, "--on-error", "maybe"); code != 2 {
		t.Errorf("--on-error maybe: exit %d, want 2", code)
	}
}
