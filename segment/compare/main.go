// Command compare scores sentence segmenters on the Dutch gold files in the
// shared data folder: Tolk's built-in rules, SRX rule files run through
// Tolk's engine (the OmegaT and LanguageTool defaults) and, when the ucto
// binary is installed, ucto. It prints a Markdown table. run.sh installs
// ucto and runs it.
//
// Usage:
//
//	go run ./segment/compare [-data DIR] [-ucto PATH]
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/segment"
	"github.com/tolkdev/tolk/segment/internal/goldeval"
	"github.com/tolkdev/tolk/segment/internal/punkttrain"
)

// system splits a batch of paragraphs into segments (one slice per
// paragraph, as strings whose non-space characters are the paragraph's).
type system struct {
	name  string
	split func(paras []string) ([][]string, error)
}

type dataset struct {
	name    string
	files   []string
	exact   bool            // score exact segment lists (LanguageTool, pySBD), not boundaries
	cases   []goldeval.Case // given instead of files
	heldOut string          // whether Tolk's rules and model were built looking at it
}

func main() {
	root, _ := shareddata.Root()
	data := flag.String("data", root, "shared data folder (holding segmentation/)")
	uctoPath := flag.String("ucto", "ucto", "ucto binary; skipped when not found")
	flag.Parse()
	if *data == "" {
		*data = root
	}
	gold := filepath.Join(*data, "segmentation", "gold")
	srxDir := filepath.Join(*data, "segmentation", "srx")

	systems := []system{
		{"Tolk built-in (nl.srx + nl.punkt)", splitWith(segment.Dutch())},
		{"Tolk nl.srx alone", splitWith(segment.Dutch().WithPunkt(nil))},
	}
	for _, f := range []struct{ name, file string }{
		{"OmegaT defaultRules.srx (Tolk engine)", "omegat-defaultRules.srx"},
		{"LanguageTool segment.srx (Tolk engine)", "languagetool-segment.srx"},
	} {
		s, err := loadSRX(filepath.Join(srxDir, f.file))
		if err != nil {
			fmt.Fprintln(os.Stderr, "compare:", err)
			os.Exit(1)
		}
		systems = append(systems, system{f.name, splitWith(s)})
	}
	if p, err := exec.LookPath(*uctoPath); err == nil {
		systems = append(systems, system{"ucto -L nld", func(paras []string) ([][]string, error) { return runUcto(p, paras) }})
	} else {
		fmt.Fprintf(os.Stderr, "compare: %s not found, skipping ucto (run.sh installs it)\n", *uctoPath)
	}

	datasets, err := loadDatasets(*data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
	fmt.Println("| system | " + strings.Join(names(datasets), " | ") + " | time |")
	fmt.Println("|---" + strings.Repeat("|---", len(datasets)) + "|---|")
	row := []string{"held out for Tolk?"}
	for _, d := range datasets {
		row = append(row, d.heldOut)
	}
	fmt.Println("| " + strings.Join(row, " | ") + " | |")
	for _, sys := range systems {
		row := []string{sys.name}
		start := time.Now()
		for _, d := range datasets {
			cases := d.cases
			for _, f := range d.files {
				c, err := goldeval.Load(filepath.Join(gold, f+".paragraphs.jsonl"))
				if os.IsNotExist(err) {
					c, err = goldeval.Load(filepath.Join(gold, f+".jsonl"))
				}
				if err != nil {
					fmt.Fprintln(os.Stderr, "compare:", err)
					os.Exit(1)
				}
				cases = append(cases, c...)
			}
			cell, err := score(sys, cases, d.exact)
			if err != nil {
				cell = "error: " + err.Error()
			}
			row = append(row, cell)
		}
		row = append(row, time.Since(start).Round(10*time.Millisecond).String())
		fmt.Println("| " + strings.Join(row, " | ") + " |")
	}
}

// loadDatasets returns the gold sets: the held-out documents of the corpora
// the boundary model was trained from (segment/internal/punkttrain), the
// UD files, Tolk's hard cases and the exact LanguageTool and pySBD cases.
func loadDatasets(root string) ([]dataset, error) {
	corpora, err := punkttrain.Load(root, "nl")
	if err != nil {
		return nil, err
	}
	ds := []dataset{
		{name: "UD Alpino test", files: []string{"ud_nl_alpino_test"}, heldOut: "model: yes; rules: no (regressions seen)"},
		{name: "UD LassySmall test", files: []string{"ud_nl_lassysmall_test"}, heldOut: "model: yes; rules: no (errors inspected)"},
	}
	for _, c := range corpora {
		if c.Gold && !strings.HasPrefix(c.Name, "UD ") {
			docs := make([][]string, 0, len(c.HeldOut))
			for _, d := range c.HeldOut {
				docs = append(docs, d.Sentences)
			}
			ds = append(ds, dataset{name: c.Name + " held-out", cases: goldeval.FromSentences(c.Name, docs), heldOut: "yes"})
		}
	}
	hard, err := goldeval.LoadLines("segment/testdata/hardcases_nl.txt")
	if err != nil {
		return nil, err
	}
	return append(ds,
		dataset{name: "Tolk hard cases", cases: hard, heldOut: "written blind, then looked at"},
		dataset{name: "LanguageTool nl (60, exact)", files: []string{"languagetool_nl_srx_tests"}, exact: true, heldOut: "no"},
		dataset{name: "pySBD nl (3, exact)", files: []string{"pysbd_nl_golden_rules"}, exact: true, heldOut: "no"},
	), nil
}

func names(ds []dataset) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.name)
	}
	return out
}

func score(sys system, cases []goldeval.Case, exact bool) (string, error) {
	paras := make([]string, len(cases))
	for i, c := range cases {
		paras[i] = c.Text
	}
	got, err := sys.split(paras)
	if err != nil {
		return "", err
	}
	if exact {
		ok := 0
		for i, c := range cases {
			var want []string
			for _, w := range c.Segments {
				if w = strings.Join(strings.Fields(w), ""); w != "" {
					want = append(want, w)
				}
			}
			var have []string
			for _, g := range got[i] {
				if g = strings.Join(strings.Fields(g), ""); g != "" {
					have = append(have, g)
				}
			}
			if strings.Join(want, "\x00") == strings.Join(have, "\x00") {
				ok++
			}
		}
		return fmt.Sprintf("%d/%d", ok, len(cases)), nil
	}
	var total goldeval.Score
	for i, c := range cases {
		s, _, _ := goldeval.Compare(goldeval.Boundaries(c.Segments), goldeval.Boundaries(got[i]))
		total.Add(s)
	}
	return fmt.Sprintf("P %.4f R %.4f **F1 %.4f**", total.Precision(), total.Recall(), total.F1()), nil
}

func loadSRX(path string) (*segment.Segmenter, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	x, err := segment.ParseSRX(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return x.Segmenter("nl")
}

func splitWith(s *segment.Segmenter) func([]string) ([][]string, error) {
	return func(paras []string) ([][]string, error) {
		out := make([][]string, len(paras))
		for i, p := range paras {
			for _, seg := range s.Split(p) {
				out[i] = append(out[i], seg.Text)
			}
		}
		return out, nil
	}
}

// runUcto runs ucto once on all paragraphs (separated by blank lines) with
// one sentence per output line, and maps its sentences back to paragraphs
// by aligning non-space characters (ucto separates tokens with spaces and
// may drop or change a few characters).
func runUcto(bin string, paras []string) ([][]string, error) {
	dir, err := os.MkdirTemp("", "tolk-ucto")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in.txt"), filepath.Join(dir, "out.txt")
	if err := os.WriteFile(in, []byte(strings.Join(paras, "\n\n")+"\n"), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "-L", "nld", "-n", in, out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("ucto: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	f, err := os.Open(out)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var sents []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "<utt>") {
			sents = append(sents, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return align(paras, sents), nil
}

// align assigns each ucto sentence start to a position in the gold text
// (non-space characters, greedy alignment with resynchronisation) and cuts
// each paragraph there.
func align(paras []string, sents []string) [][]string {
	var g []rune    // gold non-space characters
	var para []int  // paragraph of each gold character
	var start []int // start offsets of paragraphs in g
	for i, p := range paras {
		start = append(start, len(g))
		for _, r := range p {
			if !unicode.IsSpace(r) {
				g = append(g, r)
				para = append(para, i)
			}
		}
	}
	start = append(start, len(g))
	cuts := make([][]int, len(paras)) // offsets (within paragraph) where sentences start
	gi := 0
	for _, s := range sents {
		u := []rune(strings.Join(strings.Fields(s), ""))
		if len(u) == 0 || gi >= len(g) {
			continue
		}
		// Resynchronise the sentence start if ucto changed characters.
		gi = resync(g, gi, u)
		if gi >= len(g) {
			break
		}
		p := para[gi]
		if off := gi - start[p]; off > 0 {
			cuts[p] = append(cuts[p], off)
		}
		gi = advance(g, gi, u)
	}
	out := make([][]string, len(paras))
	for i, p := range paras {
		// Rebuild segments as runs of non-space characters.
		rs := g[start[i]:start[i+1]]
		prev := 0
		for _, c := range cuts[i] {
			if c > prev && c < len(rs) {
				out[i] = append(out[i], string(rs[prev:c]))
				prev = c
			}
		}
		out[i] = append(out[i], string(rs[prev:]))
		_ = p
	}
	return out
}

// resync returns the position in g, at or shortly after gi, where u starts.
func resync(g []rune, gi int, u []rune) int {
	k := min(6, len(u))
	for d := 0; d < 40 && gi+d+k <= len(g); d++ {
		if string(g[gi+d:gi+d+k]) == string(u[:k]) {
			return gi + d
		}
	}
	return gi
}

// advance consumes u from g at gi, tolerating a few changed characters.
func advance(g []rune, gi int, u []rune) int {
	ui := 0
	for ui < len(u) && gi < len(g) {
		if g[gi] == u[ui] {
			gi++
			ui++
			continue
		}
		// Skip a character on either side if that resynchronises.
		switch {
		case ui+1 < len(u) && u[ui+1] == g[gi]:
			ui++
		case gi+1 < len(g) && g[gi+1] == u[ui]:
			gi++
		default:
			gi++
			ui++
		}
	}
	return gi
}
