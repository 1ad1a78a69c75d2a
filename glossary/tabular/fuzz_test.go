package tabular

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/tolkdev/tolk/internal/shareddata"
)

func addFiles(f *testing.F, glob string) {
	dir, ok := shareddata.Root()
	if !ok {
		return
	}
	files, _ := filepath.Glob(filepath.Join(dir, "termbase", glob))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64*1024 {
			f.Add(b)
		}
	}
}

func FuzzCSVReader(f *testing.F) {
	addFiles(f, "*/*.csv")
	addFiles(f, "eu_authority_tables/honorifics_nl_en.tsv")
	f.Add([]byte("id,nl,status,en\nx,vrede,preferred,peace\nx,,,\n"))
	f.Add([]byte("nl;en\n\"a;\"\"b\";c\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := NewCSVReader(bytes.NewReader(b), "")
		if err != nil {
			return
		}
		readAll(t, r) // validates every concept it returns
	})
}

func FuzzOmegaTReader(f *testing.F) {
	addFiles(f, "omegat*/*.t*")
	f.Add([]byte("# -*- coding: latin-1 -*-\nco\xF6rdinator\tcoordinator\tnote\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := NewOmegaTReader(bytes.NewReader(b), "nl", "en", "")
		if err != nil {
			return
		}
		readAll(t, r)
		r2, err := NewOmegaTCSVReader(bytes.NewReader(b), "nl", "en", "")
		if err != nil {
			return
		}
		readAll(t, r2)
	})
}

func FuzzJSONLReader(f *testing.F) {
	if b, err := os.ReadFile("../testdata/diplomatic.jsonl"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"id":"x","terms":[{"lang":"nl","text":"a"}],"valid_from":"2020-01-01T00:00:00Z"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := NewJSONLReader(bytes.NewReader(b), "")
		if err != nil {
			return
		}
		readAll(t, r)
	})
}
