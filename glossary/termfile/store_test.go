package termfile

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/internal/shareddata"
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

// importFile imports r into s as Store.Import would from the server.
func importFile(t *testing.T, s *glossary.Store, r io.Reader, f Format, opt Options) glossary.UpsertResult {
	t.Helper()
	dec, err := NewDecoder(r, f, opt)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Import(context.Background(), "", dec, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// count returns the number of concepts in s.
func count(t *testing.T, s *glossary.Store) int {
	t.Helper()
	n, _, err := s.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReimportIdempotent imports the same id-less TSV twice, and then the
// glossary's own TSV export (one line per Dutch synonym), into one store:
// the concepts are the same each time and a text gets one hit per span (it
// used to be two after the second import and three after the round trip).
func TestReimportIdempotent(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	tsv := "# languages: nl en\nvredesverdrag\tpeace treaty\nambassade\tembassy\tdiplomatic mission\n"
	importFile(t, s, strings.NewReader(tsv), TSV, Options{})
	if _, err := s.Upsert(ctx, []glossary.Concept{{ID: "ceasefire", Terms: []glossary.Term{
		{Lang: "nl", Text: "staakt-het-vuren"}, {Lang: "nl", Text: "wapenstilstand"}, {Lang: "en", Text: "ceasefire"},
	}}}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s); n != 3 {
		t.Fatalf("first import: %d concepts, want 3", n)
	}
	importFile(t, s, strings.NewReader(tsv), TSV, Options{})
	if n := count(t, s); n != 3 {
		t.Errorf("second import: %d concepts, want 3", n)
	}
	var out bytes.Buffer
	enc, err := NewEncoder(&out, TSV)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Each(ctx, glossary.Filter{}, enc.Encode); err != nil {
		t.Fatal(err)
	}
	enc.Close()
	importFile(t, s, &out, AutoDetect, Options{})
	if n := count(t, s); n != 3 {
		t.Errorf("after the round trip: %d concepts, want 3:\n%s", n, out.String())
	}
	text := "Het vredesverdrag, de wapenstilstand en de ambassade."
	if hits := s.Find(text, time.Time{}); len(hits) != 3 {
		t.Errorf("%d hits, want one per term: %+v", len(hits), hits)
	}
	c, err := s.Concept(ctx, "ceasefire")
	if err != nil || len(c.Terms) != 3 {
		t.Errorf("ceasefire after the round trip: %+v %v", c, err)
	}
}

// TestRepeatedIDs imports Weblate's own TBX export, whose termEntry ids
// repeat (id="1" ten times): the file is not refused, each repeat is a
// warning naming its record, no concept is lost, and a second import adds
// nothing.
func TestRepeatedIDs(t *testing.T) {
	path := shareddata.Path(t, "termbase/weblate_glossaries_nl/weblateorg-glossary-nl.tbx")
	s := openStore(t)
	load := func() glossary.UpsertResult {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		return importFile(t, s, f, AutoDetect, Options{})
	}
	res := load()
	first := count(t, s)
	if first < 170 {
		t.Errorf("%d concepts stored from 177 entries with Dutch and English", first)
	}
	if len(res.Warnings) < 9 || !strings.Contains(strings.Join(res.Warnings, "\n"), `concept id "1" was already used at line `) {
		t.Errorf("warnings: %q", res.Warnings)
	}
	if !strings.HasPrefix(res.Warnings[0], "line ") {
		t.Errorf("warning without position: %q", res.Warnings[0])
	}
	t.Logf("first warning: %s", res.Warnings[0])
	load()
	if n := count(t, s); n != first {
		t.Errorf("second import: %d concepts, want %d", n, first)
	}
}
