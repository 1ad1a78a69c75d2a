package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/schollz/progressbar/v3"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// runAlign aligns a Dutch text with its English version, or every pair of
// NAME.nl.txt and NAME.en.txt files in a folder (--batch), printing the
// pairs and storing them with --import.
func runAlign(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("align", true)
	format := fs.String("format", "text", "output: text, json or tmx")
	out := fs.String("o", "", "output file (default standard output)")
	importTo := fs.String("import", "", "store the kept pairs as units of this memory")
	minConf := fs.Float64("min-confidence", 0, "leave out pairs below this confidence, 0–1 (default 0.5)")
	batch := fs.String("batch", "", "align every NAME.nl.txt with NAME.en.txt in this folder")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *format != "text" && *format != "json" && *format != "tmx" {
		return usagef("--format must be text, json or tmx, got %q", *format)
	}
	type pair struct{ name, nl, en string }
	var pairs []pair
	switch {
	case *batch != "" && len(pos) == 0:
		nls, err := filepath.Glob(filepath.Join(*batch, "*.nl.txt"))
		if err != nil {
			return err
		}
		sort.Strings(nls)
		for _, nl := range nls {
			name := strings.TrimSuffix(filepath.Base(nl), ".nl.txt")
			pairs = append(pairs, pair{name, nl, filepath.Join(*batch, name+".en.txt")})
		}
		if len(pairs) == 0 {
			return fmt.Errorf("no NAME.nl.txt files in %s", *batch)
		}
	case *batch == "" && len(pos) == 2:
		pairs = []pair{{filepath.Base(pos[0]), pos[0], pos[1]}}
	default:
		return usagef("align takes NL_FILE EN_FILE, or --batch DIR")
	}
	if *format == "tmx" && len(pairs) > 1 {
		return usagef("--format tmx takes one document pair; use --import to store a batch")
	}
	cl, err := c.dial()
	if err != nil {
		return err
	}
	defer cl.Close()
	w, closeOut, err := c.createOutput(*out)
	if err != nil {
		return err
	}
	var bar *progressbar.ProgressBar
	if len(pairs) > 1 {
		if f, ok := c.env.Stderr.(*os.File); ok && terminalWidth(f) > 0 {
			bar = progressbar.NewOptions(len(pairs), progressbar.OptionSetWriter(f), progressbar.OptionSetDescription("aligning"))
		}
	}
	kept, left, imported := 0, 0, 0
	for _, p := range pairs {
		nl, err := os.ReadFile(p.nl)
		if err != nil {
			closeOut()
			return err
		}
		en, err := os.ReadFile(p.en)
		if err != nil {
			closeOut()
			return err
		}
		req := &tolkv1.AlignRequest{SourceText: string(nl), TargetText: string(en), ImportMemory: *importTo, MinConfidence: *minConf, DocumentName: p.name}
		if *format == "tmx" {
			req.DocumentFormat = tolkv1.DocumentFormat_DOCUMENT_FORMAT_TMX
		}
		resp, err := cl.Translation.Align(ctx, req)
		if err != nil {
			closeOut()
			fmt.Fprintf(c.env.Stderr, "aligning %s failed\n", p.name)
			return err
		}
		kept, left, imported = kept+len(resp.GetPairs()), left+len(resp.GetLeftOut()), imported+int(resp.GetImported())
		switch *format {
		case "json":
			err = c.printJSONTo(w, resp)
		case "tmx":
			_, err = w.Write(resp.GetDocument())
		default:
			for _, ap := range resp.GetPairs() {
				fmt.Fprintf(w, "%.2f\t%s\n\t%s\n", ap.GetConfidence(), ap.GetSource(), ap.GetTarget())
			}
			for _, ap := range resp.GetLeftOut() {
				fmt.Fprintf(w, "left out %.2f\t%s\n\t%s\n", ap.GetConfidence(), ap.GetSource(), ap.GetTarget())
			}
		}
		if err != nil {
			closeOut()
			return err
		}
		if bar != nil {
			bar.Add(1)
		}
	}
	fmt.Fprintf(c.env.Stderr, "%d document pairs: %d pairs kept, %d left out", len(pairs), kept, left)
	if *importTo != "" {
		fmt.Fprintf(c.env.Stderr, ", %d units added to %s", imported, *importTo)
	}
	fmt.Fprintln(c.env.Stderr)
	return closeOut()
}
