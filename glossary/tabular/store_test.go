package tabular

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tolkdev/tolk/glossary"
)

func openStore(t *testing.T) *glossary.Store {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "g.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := glossary.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestStoreExportImport exports a store with Each through every writer of
// the package and imports the output into a fresh store: the concepts come
// back (JSONL and CSV completely, apart from Changed and term order in CSV).
func TestStoreExportImport(t *testing.T) {
	ctx := context.Background()
	src := openStore(t)
	cs := fixture(t)
	cs[0].ValidFrom = time.Date(2001, 2, 3, 0, 0, 0, 0, time.UTC)
	if _, err := src.Upsert(ctx, cs); err != nil {
		t.Fatal(err)
	}
	type writer interface {
		Write(glossary.Concept) error
		Close() error
	}
	for _, format := range []string{"jsonl", "csv"} {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			var w writer
			if format == "jsonl" {
				w = NewJSONLWriter(&b)
			} else {
				cw, err := NewCSVWriter(&b)
				if err != nil {
					t.Fatal(err)
				}
				w = cw
			}
			if err := src.Each(ctx, glossary.Filter{}, w.Write); err != nil {
				t.Fatal(err)
			}
			w.Close()
			var r reader
			var err error
			if format == "jsonl" {
				r, err = NewJSONLReader(&b, "")
			} else {
				r, err = NewCSVReader(&b, "")
			}
			if err != nil {
				t.Fatal(err)
			}
			dst := openStore(t)
			if _, err := dst.Import(ctx, "", r, nil); err != nil {
				t.Fatal(err)
			}
			var want, got []glossary.Concept
			norm := func(c glossary.Concept) glossary.Concept {
				c.Changed = time.Time{}
				c.Terms = csvOrder(c.Terms)
				return c
			}
			src.Each(ctx, glossary.Filter{}, func(c glossary.Concept) error { want = append(want, norm(c)); return nil })
			dst.Each(ctx, glossary.Filter{}, func(c glossary.Concept) error { got = append(got, norm(c)); return nil })
			if !reflect.DeepEqual(got, want) {
				t.Errorf("imported glossary differs from the exported one")
				for i := range min(len(got), len(want)) {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Errorf("first difference:\n got  %+v\n want %+v", got[i], want[i])
						break
					}
				}
			}
		})
	}
}
