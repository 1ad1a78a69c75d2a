package termfile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/internal/shareddata"
)

// FuzzDecoder runs format, header and direction detection and the chosen
// reader on any bytes: every concept returned is valid and holds Dutch and
// English terms, and nothing panics.
func FuzzDecoder(f *testing.F) {
	if dir, ok := shareddata.Root(); ok {
		files, _ := filepath.Glob(filepath.Join(dir, "termbase", "*", "*"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil && len(b) < 32*1024 {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("# languages: nl en\nvrede\tpeace\n"))
	f.Add([]byte("nl,en\nvrede,peace\n"))
	f.Add([]byte("kde,csv kde\n\"a, b\",c\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dec, err := NewDecoder(bytes.NewReader(b), AutoDetect, Options{})
		if err != nil {
			return
		}
		for i := 0; i < 10000; i++ {
			c, err := dec.Next()
			if err != nil {
				return
			}
			if err := glossary.Validate(c, "concept"); err != nil {
				t.Fatalf("invalid concept %+v: %v", c, err)
			}
			var nl, en bool
			for _, term := range c.Terms {
				nl = nl || glossary.PrimaryLang(term.Lang) == "nl"
				en = en || glossary.PrimaryLang(term.Lang) == "en"
			}
			if !nl || !en {
				t.Fatalf("concept without Dutch and English: %+v", c)
			}
		}
	})
}
