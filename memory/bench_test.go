package memory_test

import (
	"bytes"
	"context"
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/memory/tmgen"
	"github.com/tolkdev/tolk/memory/tmx"
	"go.etcd.io/bbolt"
)

// The size of the generated memory the benchmarks use. The 1M figures of
// BENCHMARKS.md come from the tmgen and tmbench commands, not from here.
var tmSize = flag.Int("tm.size", 10000, "units in the benchmark translation memory")

type benchTM struct {
	gen     *tmgen.Generator
	units   []memory.Unit
	doc     []byte         // the units as TMX
	queries []memory.Query // perturbed stored sources
	fresh   []memory.Query // new sentences, mostly without a match
}

func newBenchTM(b *testing.B) *benchTM {
	b.Helper()
	root := filepath.Dir(shareddata.Path(b, "parallel"))
	pairs, err := tmgen.LoadCorpus(root)
	if err != nil {
		b.Fatal(err)
	}
	tm := &benchTM{gen: tmgen.New(pairs, 1)}
	for range *tmSize {
		tm.units = append(tm.units, tm.gen.Unit())
	}
	var buf bytes.Buffer
	w, err := tmx.NewWriter(&buf, tmx.Header{SrcLang: "nl-NL", TargetLang: "en-GB"})
	if err != nil {
		b.Fatal(err)
	}
	for _, u := range tm.units {
		if err := w.Write(u); err != nil {
			b.Fatal(err)
		}
	}
	w.Close()
	tm.doc = buf.Bytes()
	r := tm.gen.Rand()
	for len(tm.queries) < 500 {
		src := tm.units[r.IntN(len(tm.units))].Source
		if n := len(strings.Fields(src)); n < 1 || n > 60 {
			continue
		}
		tm.queries = append(tm.queries, memory.Query{Text: tmgen.Perturb(r, src, tm.gen.Vocabulary())})
	}
	for range 500 {
		tm.fresh = append(tm.fresh, memory.Query{Text: tm.gen.Sentence(60)})
	}
	return tm
}

func (tm *benchTM) store(b *testing.B) (*memory.Store, *bbolt.DB) {
	b.Helper()
	ctx := context.Background()
	db, err := bbolt.Open(filepath.Join(b.TempDir(), "bench.db"), 0o600, &bbolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	s, err := memory.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.CreateMemory(ctx, memory.Memory{Name: "bench", SourceLang: "nl", TargetLang: "en"}); err != nil {
		b.Fatal(err)
	}
	if _, err := tmx.Import(ctx, s, "bench", bytes.NewReader(tm.doc), tmx.Options{}, memory.KeepBoth, nil); err != nil {
		b.Fatal(err)
	}
	return s, db
}

// BenchmarkImport imports the generated memory from TMX into a new store
// (parsing, index and bbolt writes; NoSync).
func BenchmarkImport(b *testing.B) {
	tm := newBenchTM(b)
	b.ResetTimer()
	for range b.N {
		tm.store(b)
	}
	b.ReportMetric(float64(len(tm.units)*b.N)/b.Elapsed().Seconds(), "units/s")
}

// BenchmarkOpen opens a store of the generated memory (index rebuild).
func BenchmarkOpen(b *testing.B) {
	tm := newBenchTM(b)
	_, db := tm.store(b)
	b.ResetTimer()
	for range b.N {
		if _, err := memory.Open(context.Background(), db); err != nil {
			b.Fatal(err)
		}
	}
}

func lookupBench(b *testing.B, scan bool, fresh bool, prep func(q memory.Query) memory.Query) {
	tm := newBenchTM(b)
	s, _ := tm.store(b)
	ctx := context.Background()
	queries := tm.queries
	if fresh {
		queries = tm.fresh
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		q := prep(queries[i%len(queries)])
		t := time.Now()
		var err error
		if scan {
			_, err = s.LookupScan(ctx, q)
		} else {
			_, err = s.Lookup(ctx, q)
		}
		lat = append(lat, time.Since(t))
		if err != nil {
			b.Fatal(err)
		}
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkLookupFuzzy: perturbed 1–60-word queries at MinScore 70.
func BenchmarkLookupFuzzy(b *testing.B) {
	lookupBench(b, false, false, func(q memory.Query) memory.Query { return q })
}

// BenchmarkLookupNew: new 1–60-word sentences (mostly no match) at
// MinScore 70, the other half of the load test's traffic.
func BenchmarkLookupNew(b *testing.B) {
	lookupBench(b, false, true, func(q memory.Query) memory.Query { return q })
}

// BenchmarkLookupExact: MinScore 100.
func BenchmarkLookupExact(b *testing.B) {
	lookupBench(b, false, false, func(q memory.Query) memory.Query { q.MinScore = 100; return q })
}

// BenchmarkLookupScan: the brute-force scan the index is compared with.
func BenchmarkLookupScan(b *testing.B) {
	lookupBench(b, true, false, func(q memory.Query) memory.Query { return q })
}
