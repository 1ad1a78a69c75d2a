package glossary

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tolkdev/tolk"
)

func openDB(t *testing.T) (*bbolt.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tolk.db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, path
}

func openStore(t *testing.T) *Store {
	t.Helper()
	db, _ := openDB(t)
	s, err := Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, path := openDB(t)
	s, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	cs := loadFixture(t)
	res, err := s.Upsert(ctx, cs)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != len(cs) || res.Updated != 0 || len(res.IDs) != len(cs) {
		t.Fatalf("Upsert = %+v", res)
	}
	if hs := s.Find("Het vredesverdrag werd door de VN ondertekend.", time.Time{}); len(hs) != 3 { // verdrag+, VN, ondertekend
		t.Errorf("Find after Upsert: %s", hitString("Het vredesverdrag werd door de VN ondertekend.", hs))
	}
	nc, nt, err := s.Count(ctx)
	if err != nil || nc != len(cs) || nt < 2*len(cs) {
		t.Errorf("Count = %d, %d, %v", nc, nt, err)
	}
	// Reopen: everything is still there and the recognizer is rebuilt.
	db.Close()
	db2, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	s2, err := Open(ctx, db2)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s2.Concept(ctx, "verdrag")
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject != "diplomacy/treaties" || len(c.Terms) != 3 || c.Changed.IsZero() {
		t.Errorf("Concept(verdrag) = %+v", c)
	}
	if hs := s2.Find("verdragen", time.Time{}); len(hs) != 1 {
		t.Errorf("Find after reopen: %v", hs)
	}
	if _, err := s2.Concept(ctx, "nope"); tolk.ErrorCode(err) != tolk.ENOTFOUND {
		t.Errorf("Concept(nope) err = %v", err)
	}
}

func TestUpsertAssignsAndReplaces(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	res, err := s.Upsert(ctx, []Concept{
		{Terms: []Term{{Lang: "NL", Text: " vredesakkoord "}, {Lang: "en-GB", Text: "peace agreement"}, {Lang: "en", Text: ""}}},
		{Terms: []Term{{Lang: "nl", Text: "bestand"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.IDs[0] == "" || res.IDs[0] == res.IDs[1] {
		t.Fatalf("ids %v", res.IDs)
	}
	c, err := s.Concept(ctx, res.IDs[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Terms) != 2 || c.Terms[0].Lang != "nl" || c.Terms[0].Text != "vredesakkoord" || c.Terms[1].Lang != "en-gb" {
		t.Errorf("normalized concept = %+v", c)
	}
	// Replace: the old term disappears from search and recognition.
	res2, err := s.Upsert(ctx, []Concept{{ID: res.IDs[0], Terms: []Term{{Lang: "nl", Text: "vredesovereenkomst"}}}})
	if err != nil || res2.Updated != 1 || res2.Created != 0 {
		t.Fatalf("replace: %+v %v", res2, err)
	}
	if got, _ := s.Search(ctx, SearchQuery{Text: "vredesak"}); len(got) != 0 {
		t.Errorf("old term still found: %v", got)
	}
	if hs := s.Find("het vredesakkoord", time.Time{}); len(hs) != 0 {
		t.Errorf("old term still recognized: %v", hs)
	}
	if hs := s.Find("de vredesovereenkomst", time.Time{}); len(hs) != 1 {
		t.Errorf("new term not recognized: %v", hs)
	}
	if _, nt, _ := s.Count(ctx); nt != 2 {
		t.Errorf("terms = %d, want 2", nt)
	}
}

func TestUpsertInvalid(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	good := Concept{ID: "ok", Terms: []Term{{Lang: "nl", Text: "vrede"}}}
	tests := []struct {
		name  string
		c     Concept
		field string
	}{
		{"no terms", Concept{ID: "x"}, "concepts[1].terms"},
		{"only empty terms", Concept{ID: "x", Terms: []Term{{Lang: "nl", Text: "  "}}}, "concepts[1].terms"},
		{"bad lang", Concept{ID: "x", Terms: []Term{{Lang: "dutch!", Text: "vrede"}}}, "concepts[1].terms[0].lang"},
		{"empty lang", Concept{ID: "x", Terms: []Term{{Text: "vrede"}}}, "concepts[1].terms[0].lang"},
		{"bad status", Concept{ID: "x", Terms: []Term{{Lang: "nl", Text: "vrede", Status: "great"}}}, "concepts[1].terms[0].status"},
		{"dates reversed", Concept{ID: "x", ValidFrom: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), ValidUntil: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), Terms: good.Terms}, "concepts[1].valid_from"},
		{"duplicate id", good, "concepts[1].id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Upsert(ctx, []Concept{good, tt.c})
			if tolk.ErrorCode(err) != tolk.EINVALID || tolk.ErrorField(err) != tt.field {
				t.Fatalf("err = %v (field %q), want EINVALID on %s", err, tolk.ErrorField(err), tt.field)
			}
			if n, _, _ := s.Count(ctx); n != 0 {
				t.Errorf("batch partly stored: %d concepts", n)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if _, err := s.Upsert(ctx, loadFixture(t)); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "vn"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "vn"); tolk.ErrorCode(err) != tolk.ENOTFOUND {
		t.Errorf("second Delete err = %v", err)
	}
	if hs := s.Find("de VN", time.Time{}); len(hs) != 0 {
		t.Errorf("deleted concept still recognized: %v", hs)
	}
	if got, _ := s.Search(ctx, SearchQuery{Text: "verenigde"}); len(got) != 0 {
		t.Errorf("deleted concept still searchable")
	}
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if _, err := s.Upsert(ctx, loadFixture(t)); err != nil {
		t.Fatal(err)
	}
	ids := func(cs []Concept) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	tests := []struct {
		q    SearchQuery
		want []string
	}{
		{SearchQuery{Text: "ambassade"}, []string{"ambassade", "ambassadeur"}},
		{SearchQuery{Text: "AMBASSADEU"}, []string{"ambassadeur"}},
		{SearchQuery{Text: "coordin", Lang: "nl"}, []string{"coordinator"}},
		{SearchQuery{Text: "coördinator", Lang: "en"}, []string{"coordinator"}},
		{SearchQuery{Text: "treaty", Lang: "nl"}, nil},
		{SearchQuery{Text: "ambassade", Limit: 1}, []string{"ambassade"}},
		{SearchQuery{Text: "ambasade", Fuzzy: true}, []string{"ambassade"}},
		{SearchQuery{Text: "ambasadeur", Fuzzy: true}, []string{"ambassadeur", "ambassade"}},
		{SearchQuery{Text: "ondertekenn", Fuzzy: true, Lang: "nl"}, []string{"ondertekenen"}},
		{SearchQuery{Text: "sanctei", Fuzzy: true}, []string{"sanctie"}},
		{SearchQuery{Text: "xyzzy", Fuzzy: true}, nil},
	}
	for _, tt := range tests {
		got, err := s.Search(ctx, tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(got), tt.want) {
			t.Errorf("Search(%+v) = %v, want %v", tt.q, ids(got), tt.want)
		}
	}
	if _, err := s.Search(ctx, SearchQuery{Text: " "}); tolk.ErrorCode(err) != tolk.EINVALID {
		t.Errorf("empty search err = %v", err)
	}
}

func TestEach(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	cs := loadFixture(t)
	// Enough concepts for several internal batches.
	for i := range 600 {
		cs = append(cs, Concept{Subject: "bulk", Terms: []Term{{Lang: "nl", Text: "term" + itoa(i)}}})
	}
	if _, err := s.Upsert(ctx, cs); err != nil {
		t.Fatal(err)
	}
	count := func(f Filter) int {
		t.Helper()
		n := 0
		var last string
		err := s.Each(ctx, f, func(c Concept) error {
			if c.ID <= last {
				t.Fatalf("Each out of order: %q after %q", c.ID, last)
			}
			last = c.ID
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(Filter{}); n != len(cs) {
		t.Errorf("all: %d, want %d", n, len(cs))
	}
	if n := count(Filter{Subject: "bulk"}); n != 600 {
		t.Errorf("bulk: %d", n)
	}
	if n := count(Filter{Subject: "Diplomacy"}); n != 16 {
		t.Errorf("diplomacy and below: %d", n)
	}
	if n := count(Filter{Status: StatusForbidden}); n != 1 {
		t.Errorf("forbidden: %d", n)
	}
	if n := count(Filter{ChangedSince: time.Now().Add(time.Hour)}); n != 0 {
		t.Errorf("changed in the future: %d", n)
	}
	stop := errors.New("stop")
	n := 0
	if err := s.Each(ctx, Filter{}, func(Concept) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("stop: %v after %d", err, n)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Each(cctx, Filter{}, func(Concept) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
}

func TestOpenSchemaMismatch(t *testing.T) {
	db, _ := openDB(t)
	if err := db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		return b.Put(schemaKey, []byte("99"))
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), db); tolk.ErrorCode(err) != tolk.EFAILEDPRE {
		t.Errorf("Open on schema 99: %v", err)
	}
}

func TestImport(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	cs := loadFixture(t)
	for i := range 2*ImportBatch + 10 {
		cs = append(cs, Concept{Terms: []Term{{Lang: "nl", Text: "bulkterm" + itoa(i)}, {Lang: "en", Text: "bulk term " + itoa(i)}}})
	}
	i := 0
	next := func() (Concept, error) {
		if i == len(cs) {
			return Concept{}, io.EOF
		}
		i++
		return cs[i-1], nil
	}
	var calls []int
	res, err := s.Import(ctx, "", SourceFunc(next), func(n int) { calls = append(calls, n) })
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != len(cs) || len(calls) != 3 || calls[2] != len(cs) {
		t.Errorf("Import = %+v, progress %v", res, calls)
	}
	if hs := s.Find("de bulkterm17 en het vredesverdrag", time.Time{}); len(hs) != 2 { // bulkterm17, verdrag+
		t.Errorf("recognizer not rebuilt: %v", hs)
	}
	// A bad record is named by its position in the stream; earlier batches
	// stay stored and recognized.
	bad := append(slices.Clone(cs[:ImportBatch+5]), Concept{ID: "x", Terms: []Term{{Lang: "??", Text: "x"}}})
	for j := range bad {
		bad[j].ID = "again" + itoa(j)
	}
	bad[len(bad)-1].Terms = []Term{{Lang: "??", Text: "x"}}
	i = 0
	next = func() (Concept, error) {
		if i == len(bad) {
			return Concept{}, io.EOF
		}
		i++
		return bad[i-1], nil
	}
	res, err = s.Import(ctx, "", SourceFunc(next), nil)
	if tolk.ErrorField(err) != "record "+itoa(len(bad))+".terms[0].lang" {
		t.Errorf("err = %v (field %q)", err, tolk.ErrorField(err))
	}
	if res.Created != ImportBatch {
		t.Errorf("committed %d before the error, want %d", res.Created, ImportBatch)
	}
	if _, err := s.Concept(ctx, "again0"); err != nil {
		t.Errorf("first batch not stored: %v", err)
	}
}

func TestCodec(t *testing.T) {
	for _, c := range loadFixture(t) {
		c.Changed = time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
		got, err := decodeConcept(encodeConcept(&c))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, c) {
			t.Errorf("codec round trip:\n got  %+v\n want %+v", got, c)
		}
	}
	for _, b := range [][]byte{nil, {9}, {1, 5, 'a'}, {1, 0, 0, 0, 0, 2}} {
		if _, err := decodeConcept(b); err == nil {
			t.Errorf("decodeConcept(%v) accepted", b)
		}
	}
}

func FuzzDecodeConcept(f *testing.F) {
	c := Concept{ID: "x", ValidFrom: time.Unix(5, 0), Terms: []Term{{Lang: "nl", Text: "vrede"}}}
	f.Add(encodeConcept(&c))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeConcept(b)
		if err != nil {
			return
		}
		if again, err := decodeConcept(encodeConcept(&c)); err != nil || !reflect.DeepEqual(again, c) {
			t.Fatalf("re-encoding differs: %+v vs %+v (%v)", again, c, err)
		}
	})
}

// TestConcurrentFindUpsert runs recognition while concepts change (run
// with -race): readers see one matcher or the next, never a torn one.
func TestConcurrentFindUpsert(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if _, err := s.Upsert(ctx, loadFixture(t)); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	errs := make(chan string, 4)
	for g := range 3 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 300 {
				text := "De ambassadeur " + itoa(g) + " tekende het vredesverdrag met de VN word" + itoa(i)
				if hs := s.Find(text, time.Time{}); len(hs) < 3 { // ambassadeur, verdrag+, VN
					errs <- text
					return
				}
			}
		}()
	}
	for i := range 20 {
		if _, err := s.Upsert(ctx, []Concept{{ID: "extra" + itoa(i), Terms: []Term{{Lang: "nl", Text: "word" + itoa(i)}}}}); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Errorf("too few hits in %q", e)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
