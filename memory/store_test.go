package memory

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/segment"
	"go.etcd.io/bbolt"
)

func openDB(t testing.TB) *bbolt.DB {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "tolk.db"), 0o600, &bbolt.Options{NoFreelistSync: true, FreelistType: bbolt.FreelistMapType})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openStore(t testing.TB, db *bbolt.DB) *Store {
	t.Helper()
	s, err := Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newMemory(t testing.TB, s *Store, name string) {
	t.Helper()
	if _, err := s.CreateMemory(context.Background(), Memory{Name: name, SourceLang: "nl-NL", TargetLang: "en-GB"}); err != nil {
		t.Fatal(err)
	}
}

func add(t testing.TB, s *Store, mem string, p Policy, units ...Unit) AddResult {
	t.Helper()
	res, err := s.Add(context.Background(), mem, units, p)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func wantCode(t *testing.T, err error, code tolk.Code) {
	t.Helper()
	if got := tolk.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

func TestCreateMemory(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, openDB(t))
	for _, tc := range []struct {
		m    Memory
		code tolk.Code
	}{
		{Memory{Name: "main", SourceLang: "nl", TargetLang: "en"}, ""},
		{Memory{Name: "be", SourceLang: "NL-be", TargetLang: "en-US"}, ""},
		{Memory{Name: "main", SourceLang: "nl", TargetLang: "en"}, tolk.EEXISTS},
		{Memory{Name: "", SourceLang: "nl", TargetLang: "en"}, tolk.EINVALID},
		{Memory{Name: "a b", SourceLang: "nl", TargetLang: "en"}, tolk.EINVALID},
		{Memory{Name: "x", SourceLang: "de", TargetLang: "en"}, tolk.EINVALID},
		{Memory{Name: "x", SourceLang: "nl", TargetLang: "fr"}, tolk.EINVALID},
		{Memory{Name: "x", SourceLang: "nl-", TargetLang: "en"}, tolk.EINVALID},
	} {
		_, err := s.CreateMemory(ctx, tc.m)
		if tolk.ErrorCode(err) != tc.code {
			t.Errorf("CreateMemory(%+v) = %v, want code %q", tc.m, err, tc.code)
		}
	}
	ms, err := s.Memories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Name != "be" || ms[1].Name != "main" {
		t.Fatalf("Memories = %+v", ms)
	}
	_, err = s.Memory(ctx, "nope")
	wantCode(t, err, tolk.ENOTFOUND)
	wantCode(t, s.DeleteMemory(ctx, "nope"), tolk.ENOTFOUND)
	_, err = s.Add(ctx, "nope", []Unit{{Source: "a", Target: "b"}}, Overwrite)
	wantCode(t, err, tolk.ENOTFOUND)
}

func TestAddPolicies(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, openDB(t))
	newMemory(t, s, "m")
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	u := Unit{Source: "De kat zit op de mat.", Target: "The cat sits on the mat.", Changed: t0, Created: t0}
	res := add(t, s, "m", Overwrite, u)
	if res.Added != 1 || res.IDs[0] != 1 {
		t.Fatalf("first add: %+v", res)
	}
	// Same source, no context: overwrite keeps the id.
	u2 := u
	u2.Target = "The cat is sitting on the mat."
	u2.Changed = t0.Add(time.Hour)
	res = add(t, s, "m", Overwrite, u2)
	if res.Updated != 1 || res.IDs[0] != 1 {
		t.Fatalf("overwrite: %+v", res)
	}
	got, err := s.Unit(ctx, "m", 1)
	if err != nil || got.Target != u2.Target || !got.Created.Equal(t0) {
		t.Fatalf("after overwrite: %+v %v", got, err)
	}
	// KeepNewer with an older unit: skipped.
	res = add(t, s, "m", KeepNewer, u)
	if res.Skipped != 1 {
		t.Fatalf("keep newer (older): %+v", res)
	}
	u3 := u
	u3.Target = "A cat on a mat."
	u3.Changed = t0.Add(2 * time.Hour)
	res = add(t, s, "m", KeepNewer, u3)
	if res.Updated != 1 {
		t.Fatalf("keep newer (newer): %+v", res)
	}
	// KeepBoth adds a second translation, skips an identical one.
	res = add(t, s, "m", KeepBoth, u2, u3)
	if res.Added != 1 || res.Skipped != 1 {
		t.Fatalf("keep both: %+v", res)
	}
	// Another context is another unit.
	u4 := u
	u4.PrevSource = "Het regent."
	res = add(t, s, "m", Overwrite, u4)
	if res.Added != 1 {
		t.Fatalf("context: %+v", res)
	}
	// Duplicates within one batch.
	res = add(t, s, "m", Overwrite, Unit{Source: "Ja.", Target: "Yes."}, Unit{Source: "Ja.", Target: "Yes!"})
	if res.Added != 1 || res.Updated != 1 || res.IDs[0] != res.IDs[1] {
		t.Fatalf("batch duplicates: %+v", res)
	}
	m, _ := s.Memory(ctx, "m")
	if m.Units != 4 {
		t.Fatalf("Units = %d, want 4", m.Units)
	}
	ms, err := s.Lookup(ctx, Query{Text: "Ja.", Limit: 10})
	if err != nil || len(ms) != 1 || ms[0].Unit.Target != "Yes!" {
		t.Fatalf("lookup after batch overwrite: %+v %v", ms, err)
	}
}

func TestAddInvalid(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, openDB(t))
	newMemory(t, s, "m")
	for _, tc := range []struct {
		u    Unit
		code tolk.Code
	}{
		{Unit{Source: " ", Target: "x"}, tolk.EINVALID},
		{Unit{Source: "x", Target: ""}, tolk.EINVALID},
		{Unit{Source: "a " + string(segment.CodeRune(0)), Target: "b"}, tolk.EINVALID},
		{Unit{Source: "a", Target: "b", Penalty: -5}, tolk.EINVALID},
		// Over a size limit: ResourceExhausted, as every limit.
		{Unit{Source: "a", Target: "b", TUID: strings.Repeat("x", MaxTextBytes+1)}, tolk.ELIMIT},
	} {
		_, err := s.Add(ctx, "m", []Unit{{Source: "ok", Target: "ok"}, tc.u}, Overwrite)
		wantCode(t, err, tc.code)
		if f := tolk.ErrorField(err); f == "" || f[:8] != "units[1]" {
			t.Errorf("field %q", f)
		}
	}
	m, _ := s.Memory(ctx, "m")
	if m.Units != 0 {
		t.Fatalf("a rejected batch wrote %d units", m.Units)
	}
}

func TestUnitRoundTripAndReopen(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	s := openStore(t, db)
	newMemory(t, s, "m")
	t0 := time.Date(2023, 9, 26, 14, 30, 0, 0, time.UTC)
	u := Unit{
		Source: "Klik op " + string(segment.CodeRune(0)) + "OK" + string(segment.CodeRune(1)) + ".", Target: "Click " + string(segment.CodeRune(0)) + "OK" + string(segment.CodeRune(1)) + ".",
		SourceCodes: []Code{{Kind: "bpt", I: "1", Content: "&lt;b>"}, {Kind: "ept", I: "1", Content: "&lt;/b>"}},
		TargetCodes: []Code{{Kind: "bpt", I: "1", Content: "&lt;b>"}, {Kind: "ept", I: "1", Content: "&lt;/b>"}},
		PrevSource:  "Start.", NextSource: "Klaar.",
		Props: []Prop{{"domain", "ui"}}, Notes: []string{"a note"},
		SourceProps: []Prop{{"x-a", "1"}}, TargetNotes: []string{"tn"},
		TUID: "t1", Origin: "human", Penalty: 3,
		Created: t0, Changed: t0.Add(time.Minute), LastUsed: t0.Add(time.Hour), CreatedBy: "ann", ChangedBy: "bob", UsageCount: 7,
	}
	res := add(t, s, "m", Overwrite, u)
	got, err := s.Unit(ctx, "m", res.IDs[0])
	if err != nil {
		t.Fatal(err)
	}
	u.ID, u.Memory = res.IDs[0], "m"
	if !unitsEqual(got, u) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, u)
	}
	if err := s.RecordUsage(ctx, "m", []uint64{u.ID, 999}, t0.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Unit(ctx, "m", u.ID)
	if got.UsageCount != 8 || !got.LastUsed.Equal(t0.Add(48*time.Hour)) {
		t.Fatalf("usage: %d %v", got.UsageCount, got.LastUsed)
	}
	// Reopen: the index is rebuilt from the persisted records.
	s2 := openStore(t, db)
	ms, err := s2.Lookup(ctx, Query{Text: u.Source, Prev: "Start.", Next: "Klaar."})
	if err != nil || len(ms) != 1 || ms[0].Type != Context || ms[0].Score != 101-3 {
		t.Fatalf("lookup after reopen: %+v %v", ms, err)
	}
	if err := s2.Delete(ctx, "m", u.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s2.Delete(ctx, "m", u.ID), tolk.ENOTFOUND)
	_, err = s2.Unit(ctx, "m", u.ID)
	wantCode(t, err, tolk.ENOTFOUND)
	ms, _ = s2.Lookup(ctx, Query{Text: u.Source})
	if len(ms) != 0 {
		t.Fatalf("deleted unit still found: %+v", ms)
	}
}

func unitsEqual(a, b Unit) bool {
	ta := []time.Time{a.Created, a.Changed, a.LastUsed}
	tb := []time.Time{b.Created, b.Changed, b.LastUsed}
	for i := range ta {
		if !ta[i].Equal(tb[i]) {
			return false
		}
	}
	a.Created, a.Changed, a.LastUsed = time.Time{}, time.Time{}, time.Time{}
	b.Created, b.Changed, b.LastUsed = time.Time{}, time.Time{}, time.Time{}
	return equalJSON(a, b)
}

func TestExportOrderAndDeleteMemory(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, openDB(t))
	newMemory(t, s, "m")
	var units []Unit
	for i := range 1300 {
		units = append(units, Unit{Source: "Zin nummer " + itoa(i) + ".", Target: "Sentence number " + itoa(i) + "."})
	}
	add(t, s, "m", Overwrite, units...)
	var ids []uint64
	if err := s.Export(ctx, "m", func(u Unit) error { ids = append(ids, u.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1300 || !slices.IsSorted(ids) {
		t.Fatalf("export gave %d ids, sorted=%v", len(ids), slices.IsSorted(ids))
	}
	if err := s.DeleteMemory(ctx, "m"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.Export(ctx, "m", func(Unit) error { return nil }), tolk.ENOTFOUND)
	newMemory(t, s, "m")
	ms, err := s.Lookup(ctx, Query{Text: "Zin nummer 12."})
	if err != nil || len(ms) != 0 {
		t.Fatalf("units of a deleted memory found: %v %v", len(ms), err)
	}
}

func TestLookupBasics(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, openDB(t))
	newMemory(t, s, "a")
	newMemory(t, s, "b")
	add(t, s, "a", Overwrite,
		Unit{Source: "De kat zit op de mat.", Target: "The cat sits on the mat."},
		Unit{Source: "De hond zit op de mat.", Target: "The dog sits on the mat."},
		Unit{Source: "Het weer is vandaag mooi.", Target: "The weather is nice today."},
	)
	add(t, s, "b", Overwrite,
		Unit{Source: "De kat zit op de mat.", Target: "The cat is sitting on the mat.", Props: []Prop{{"domain", "pets"}}},
	)
	for _, tc := range []struct {
		name  string
		q     Query
		want  []int // scores
		types []MatchType
	}{
		{"exact in both", Query{Text: "De kat zit op de mat.", Memories: []string{"a", "b"}}, []int{99, 98, 84}, []MatchType{Exact, Exact, Fuzzy}},
		{"case only", Query{Text: "de kat zit op de mat.", Memories: []string{"a"}}, []int{96, 80}, nil},
		{"props", Query{Text: "De kat zit op de mat.", Memories: []string{"b", "a"}, Props: []Prop{{"domain", "pets"}}}, []int{99, 97, 82}, nil},
		{"min 100", Query{Text: "De kat zit op de mat.", Memories: []string{"a"}, MinScore: 100}, []int{100}, nil},
		{"nothing", Query{Text: "Geen idee waar dit over gaat."}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms, err := s.Lookup(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.Score)
			}
			if !slices.Equal(got, tc.want) {
				for _, m := range ms {
					t.Logf("%d %s %s %+v", m.Score, m.Unit.Memory, m.Unit.Source, m.Breakdown)
				}
				t.Fatalf("scores %v, want %v", got, tc.want)
			}
			for i, typ := range tc.types {
				if ms[i].Type != typ {
					t.Errorf("match %d type %v, want %v", i, ms[i].Type, typ)
				}
			}
		})
	}
	for _, q := range []Query{{Text: ""}, {Text: "x", MinScore: 20}, {Text: "x", MinScore: 102}, {Text: "x", Limit: -1}} {
		_, err := s.Lookup(ctx, q)
		wantCode(t, err, tolk.EINVALID)
	}
	_, err := s.Lookup(ctx, Query{Text: "x", Memories: []string{"zz"}})
	wantCode(t, err, tolk.ENOTFOUND)
}

func TestConcordance(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, openDB(t))
	newMemory(t, s, "m")
	var units []Unit
	for i := range 50 {
		units = append(units, Unit{Source: "De rode auto nummer " + itoa(i) + " staat hier.", Target: "The red car number " + itoa(i) + " is here."})
	}
	units = append(units, Unit{Source: "Auto rode de.", Target: "Car red the."})
	add(t, s, "m", Overwrite, units...)
	for _, tc := range []struct {
		q    ConcordanceQuery
		want int
	}{
		{ConcordanceQuery{Text: "rode auto"}, 51},
		{ConcordanceQuery{Text: "Rode Auto", Phrase: true}, 50},
		{ConcordanceQuery{Text: "red car", Target: true, Phrase: true}, 50},
		{ConcordanceQuery{Text: "car red", Target: true, Phrase: true}, 1},
		{ConcordanceQuery{Text: "nummer 7"}, 1},
		{ConcordanceQuery{Text: "fiets"}, 0},
	} {
		var all []uint64
		q := tc.q
		q.PageSize = 7
		for {
			p, err := s.Concordance(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != tc.want {
				t.Fatalf("%+v: total %d, want %d", tc.q, p.Total, tc.want)
			}
			for _, u := range p.Units {
				all = append(all, u.ID)
			}
			if p.NextPageToken == "" {
				break
			}
			q.PageToken = p.NextPageToken
		}
		if len(all) != tc.want || !slices.IsSorted(all) {
			t.Fatalf("%+v: paged %d units (sorted %v), want %d", tc.q, len(all), slices.IsSorted(all), tc.want)
		}
	}
	_, err := s.Concordance(ctx, ConcordanceQuery{Text: "auto", PageToken: "!!"})
	wantCode(t, err, tolk.EINVALID)
}
