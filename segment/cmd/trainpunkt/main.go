// Command trainpunkt builds Tolk's Dutch sentence boundary model
// (segment/rules/nl.punkt) from the training part of the Dutch corpora in
// the shared data folder (TOLK_DATA, or ../shared/data beside the
// repository); the held-out part of each corpus is left for the figures in
// segment/README.md.
//
//	TOLK_DATA=…/shared/data go run ./segment/cmd/trainpunkt -o segment/rules/nl.punkt
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/segment/internal/punkttrain"
)

func main() {
	out := flag.String("o", "segment/rules/nl.punkt", "model file to write")
	data := flag.String("data", "", "shared data folder (default: TOLK_DATA or ../shared/data)")
	date := flag.String("date", time.Now().UTC().Format("2006-01-02"), "build date written into the model")
	flag.Parse()
	if err := run(*data, *out, *date); err != nil {
		fmt.Fprintln(os.Stderr, "trainpunkt:", err)
		os.Exit(1)
	}
}

func run(root, out, date string) error {
	if root == "" {
		var ok bool
		if root, ok = shareddata.Root(); !ok {
			return fmt.Errorf("shared data folder %s not found: set TOLK_DATA or pass -data", root)
		}
	}
	corpora, err := punkttrain.Load(root)
	if err != nil {
		return err
	}
	counts, sources := punkttrain.Train(corpora)
	var buf bytes.Buffer
	if err := punkttrain.Write(&buf, counts, sources, date); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "trainpunkt: wrote %s (%d bytes) from %d gold sentences and %d raw paragraphs\n", out, buf.Len(), counts.Sentences, counts.RawParagraphs)
	return nil
}
