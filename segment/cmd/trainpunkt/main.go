// Command trainpunkt builds Tolk's sentence boundary model for Dutch
// (segment/rules/nl.punkt) or English (-lang en: segment/rules/en.punkt)
// from the training part of the corpora in
// the shared data folder (TOLK_DATA, or ../shared/data beside the
// repository); the held-out part of each corpus is left for the figures in
// segment/README.md.
//
//	TOLK_DATA=…/shared/data go run ./segment/cmd/trainpunkt -lang nl -o segment/rules/nl.punkt
//	TOLK_DATA=…/shared/data go run ./segment/cmd/trainpunkt -lang en -o segment/rules/en.punkt
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
	lang := flag.String("lang", "nl", "language: nl or en")
	out := flag.String("o", "", "model file to write (default segment/rules/LANG.punkt)")
	data := flag.String("data", "", "shared data folder (default: TOLK_DATA or ../shared/data)")
	date := flag.String("date", time.Now().UTC().Format("2006-01-02"), "build date written into the model")
	flag.Parse()
	if *out == "" {
		*out = "segment/rules/" + *lang + ".punkt"
	}
	if err := run(*data, *lang, *out, *date); err != nil {
		fmt.Fprintln(os.Stderr, "trainpunkt:", err)
		os.Exit(1)
	}
}

func run(root, lang, out, date string) error {
	if root == "" {
		var ok bool
		if root, ok = shareddata.Root(); !ok {
			return fmt.Errorf("shared data folder %s not found: set TOLK_DATA or pass -data", root)
		}
	}
	counts, sources, err := punkttrain.TrainFrom(root, lang)
	if err != nil {
		return err
	}
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
