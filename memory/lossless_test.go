package memory_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tolkdev/tolk/internal/race"
	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/memory/tmgen"
	"github.com/tolkdev/tolk/memory/tmx"
	"go.etcd.io/bbolt"
)

// realUnits returns the real units of the shared data: the parallel
// corpora and the OmegaT Dutch project memory.
func realUnits(t testing.TB) ([]memory.Unit, []string) {
	t.Helper()
	root := shareddata.Path(t, "parallel")
	pairs, err := tmgen.LoadCorpus(filepath.Dir(root))
	if err != nil {
		t.Fatal(err)
	}
	var us []memory.Unit
	for _, p := range pairs {
		us = append(us, memory.Unit{Source: p.NL, Target: p.EN})
	}
	f, err := os.Open(shareddata.Path(t, "tmx/omegat_l10n_nl/project_save.tmx.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd, err := tmx.NewReader(f, tmx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for {
		u, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		us = append(us, u)
	}
	var vocab []string
	seen := map[string]bool{}
	for _, u := range us[:5000] {
		for _, w := range strings.Fields(u.Source) {
			if !seen[w] {
				seen[w] = true
				vocab = append(vocab, w)
			}
		}
	}
	return us, vocab
}

func openTestStore(t testing.TB) (*memory.Store, *bbolt.DB) {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "tolk.db"), 0o600, &bbolt.Options{NoFreelistSync: true, FreelistType: bbolt.FreelistMapType})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := memory.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

func matchKey(m memory.Match) string {
	return fmt.Sprintf("%s/%d:%d:%v:%s", m.Unit.Memory, m.Unit.ID, m.Score, m.Type, m.Target)
}

// compare runs q through the index and the brute-force scan and fails
// unless both return the same matches in the same order.
func compare(t *testing.T, s *memory.Store, q memory.Query) int {
	t.Helper()
	ctx := context.Background()
	got, err := s.Lookup(ctx, q)
	if err != nil {
		t.Fatalf("Lookup(%q): %v", q.Text, err)
	}
	want, err := s.LookupScan(ctx, q)
	if err != nil {
		t.Fatalf("LookupScan(%q): %v", q.Text, err)
	}
	if len(got) != len(want) {
		t.Fatalf("query %q (min %d): index found %d matches, brute force %d\nindex: %v\nbrute: %v", q.Text, q.MinScore, len(got), len(want), keys(got), keys(want))
	}
	for i := range got {
		if matchKey(got[i]) != matchKey(want[i]) {
			t.Fatalf("query %q (min %d): match %d differs: index %s, brute force %s", q.Text, q.MinScore, i, matchKey(got[i]), matchKey(want[i]))
		}
	}
	return len(got)
}

func keys(ms []memory.Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, matchKey(m)+" "+m.Unit.Source)
	}
	return out
}

// TestLossless proves that the index loses no match: over the real units
// of the shared data (12,000 of them, in two memories), many perturbed queries of
// 1 to 60+ words at every MinScore from 50 to 101 give exactly the matches
// of a brute-force scan: on the index as added, after a reopen, after
// updates and deletions, and after another reopen.
func TestLossless(t *testing.T) {
	if testing.Short() {
		t.Skip("brute-force comparison over 12,000 units")
	}
	ctx := context.Background()
	us, vocab := realUnits(t)
	if len(us) < 12000 {
		t.Fatalf("only %d real units", len(us))
	}
	// 12,000 of them, drawn from every corpus, keep the brute force fast.
	r := rand.New(rand.NewPCG(4, 2))
	r.Shuffle(len(us), func(i, j int) { us[i], us[j] = us[j], us[i] })
	us = us[:12000]
	s, db := openTestStore(t)
	for _, name := range []string{"main", "extra"} {
		if _, err := s.CreateMemory(ctx, memory.Memory{Name: name, SourceLang: "nl", TargetLang: "en"}); err != nil {
			t.Fatal(err)
		}
	}
	var main, extra []memory.Unit
	for _, u := range us {
		if r.IntN(4) == 0 {
			extra = append(extra, u)
		} else {
			main = append(main, u)
		}
	}
	if _, err := s.Add(ctx, "main", main, memory.KeepBoth); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, "extra", extra, memory.KeepBoth); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d units (%d main, %d extra)", len(us), len(main), len(extra))
	mins := []int{50, 55, 60, 65, 70, 70, 70, 70, 75, 80, 85, 90, 95, 99, 100, 101}
	queries := func(n int) []memory.Query {
		var qs []memory.Query
		for range n {
			u := us[r.IntN(len(us))]
			q := memory.Query{Text: tmgen.Perturb(r, u.Source, vocab), MinScore: mins[r.IntN(len(mins))], Limit: memory.MaxLimit}
			switch r.IntN(6) {
			case 0:
				q.Memories = []string{"extra", "main"}
			case 1:
				q.Memories = []string{"main"}
			case 2:
				q.Prev, q.Next = u.PrevSource, u.NextSource
			case 3:
				q.Props = []memory.Prop{{Type: "domain", Value: "x"}}
			}
			if r.IntN(3) == 0 { // the top few only: the early stop of Lookup
				q.Limit = 1 + r.IntN(5)
			}
			if r.IntN(10) == 0 { // short queries from the vocabulary
				n := 1 + r.IntN(3)
				var w []string
				for range n {
					w = append(w, vocab[r.IntN(len(vocab))])
				}
				q.Text = strings.Join(w, " ")
			}
			if strings.TrimSpace(q.Text) == "" {
				continue
			}
			qs = append(qs, q)
		}
		return qs
	}
	total, found, hit := 0, 0, 0
	run := func(n int) {
		if race.Enabled { // the brute force takes minutes under the race detector; .ci/run also runs this test without it
			n /= 5
		}
		for _, q := range queries(n) {
			k := compare(t, s, q)
			found += k
			if k > 0 {
				hit++
			}
			total++
		}
	}
	// As added: documents in arrival order, frequent terms' bitmaps made
	// as their lists grow.
	run(60)
	// Reopen: Open numbers the documents by length, the path most
	// lookups take; later additions take the other.
	s, err := memory.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	run(200)
	// Updates and deletions keep the index consistent.
	for i := range 200 {
		u := main[r.IntN(len(main))]
		u.Target = "changed " + fmt.Sprint(i)
		if _, err := s.Add(ctx, "main", []memory.Unit{u}, memory.Overwrite); err != nil {
			t.Fatal(err)
		}
	}
	for range 200 {
		_ = s.Delete(ctx, "main", uint64(1+r.IntN(len(main))))
	}
	run(60)
	// A reopened store rebuilds the same index.
	if s, err = memory.Open(ctx, db); err != nil {
		t.Fatal(err)
	}
	run(60)
	t.Logf("%d queries, %d with matches, %d matches in all: identical", total, hit, found)
	if hit < total*4/10 {
		t.Fatalf("only %d of %d queries found a match: the queries do not exercise the index", hit, total)
	}
}
