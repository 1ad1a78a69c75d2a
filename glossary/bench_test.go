package glossary

import (
	"bufio"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tolkdev/tolk/internal/shareddata"
)

// benchTerms is the size of the generated glossary the benchmarks use.
const benchTerms = 50000

// genGlossary builds a deterministic glossary of about n Dutch terms: every
// Dutch label of the EU authority tables, then words and word pairs from
// the Snowball Dutch vocabulary (real Dutch, so real text hits many of
// them), then synthetic words. Each concept gets one English term.
func genGlossary(tb testing.TB, n int) []Concept {
	tb.Helper()
	var cs []Concept
	terms := 0
	add := func(id, nl, en string) {
		cs = append(cs, Concept{ID: id, Subject: "bench", Terms: []Term{{Lang: "nl", Text: nl}, {Lang: "en", Text: en}}})
		terms++
	}
	dir := shareddata.Path(tb, "termbase/eu_authority_tables")
	files, _ := filepath.Glob(filepath.Join(dir, "*.tsv"))
	for _, f := range files {
		for i, line := range readLines(tb, f)[1:] {
			cols := strings.Split(line, "\t")
			if len(cols) < 6 {
				continue
			}
			for j, nl := range append([]string{cols[3]}, strings.Split(cols[5], " | ")...) {
				if nl = strings.TrimSpace(nl); nl != "" && terms < n {
					add(filepath.Base(f)+"#"+itoa(i)+"."+itoa(j), nl, cols[2])
				}
			}
		}
	}
	voc := readLines(tb, shareddata.Path(tb, "stemmer/snowball_dutch_porter/voc.txt"))
	r := rand.New(rand.NewPCG(1, 2))
	// Content words: every fourth vocabulary word of 8+ letters stands in
	// for a single-word term, pairs of 6+ letter words for multi-word
	// terms; synthetic words (which real text never contains) fill the
	// rest, as in a large specialised termbase.
	for i := 0; terms < n/5 && i < len(voc); i += 4 {
		if w := voc[i]; len(w) >= 8 {
			add("w"+itoa(i), w, "w-"+w)
		}
	}
	long := make([]string, 0, len(voc))
	for _, w := range voc {
		if len(w) >= 6 {
			long = append(long, w)
		}
	}
	for i := 0; terms < n*2/5; i++ {
		a, b := long[r.IntN(len(long))], long[r.IntN(len(long))]
		add("p"+itoa(i), a+" "+b, "p-"+a+"-"+b)
	}
	syl := []string{"ka", "ver", "ont", "lo", "mi", "sch", "aal", "tr", "ei", "nde", "ui", "bo", "st", "ge", "ra", "ijk"}
	for i := 0; terms < n; i++ {
		var b strings.Builder
		for range 3 + r.IntN(4) {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		add("s"+itoa(i), b.String(), "s-"+b.String())
	}
	return cs
}

func readLines(tb testing.TB, path string) []string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		out = append(out, strings.TrimRight(sc.Text(), "\r"))
	}
	return out
}

// benchText returns the Dutch side of NTREX-128, one sentence per line.
func benchText(tb testing.TB) []string {
	tb.Helper()
	return readLines(tb, shareddata.Path(tb, "parallel/ntrex128/newstest2019-ref.nld.txt"))
}

// BenchmarkFind measures recognition on real Dutch news text with a
// 50,000-term glossary: the matcher with a warm word cache (steady state),
// with the cache emptied before every pass (every distinct word stemmed
// once per pass), and naive case-insensitive substring matching of every
// term (what translate-toolkit does) on the first 50 sentences.
func BenchmarkFind(b *testing.B) {
	cs := genGlossary(b, benchTerms)
	lines := benchText(b)
	m := NewMatcher(cs)
	size := 0
	for _, l := range lines {
		size += len(l)
	}
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b.Run("matcher", func(b *testing.B) {
		b.SetBytes(int64(size))
		hits := 0
		for _, l := range lines { // warm the word cache: steady state
			m.Find(l, at)
		}
		cpu := cpuTime()
		for b.Loop() {
			for _, l := range lines {
				hits += len(m.Find(l, at))
			}
		}
		reportCPU(b, size, cpuTime()-cpu)
		b.ReportMetric(float64(hits)/float64(b.N), "hits/op")
	})
	b.Run("matcher-cold", func(b *testing.B) {
		b.SetBytes(int64(size))
		var cpu time.Duration
		for b.Loop() {
			b.StopTimer()
			m.cache.reset()
			c0 := cpuTime()
			b.StartTimer()
			for _, l := range lines {
				m.Find(l, at)
			}
			cpu += cpuTime() - c0
		}
		reportCPU(b, size, cpu)
	})
	b.Run("naive", func(b *testing.B) {
		few := lines[:50]
		n := 0
		for _, l := range few {
			n += len(l)
		}
		b.SetBytes(int64(n))
		nm := NewNaiveMatcher(cs)
		hits := 0
		for b.Loop() {
			for _, l := range few {
				hits += len(nm.Find(l, at))
			}
		}
		b.ReportMetric(float64(hits)/float64(b.N), "hits/op")
	})
}

// reportCPU reports throughput per CPU second (all threads, GC included),
// which the load of a shared machine disturbs far less than wall time.
func reportCPU(b *testing.B, size int, cpu time.Duration) {
	if cpu > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/cpu.Seconds()/1e6, "MB/cpu-s")
	}
}

// BenchmarkNewMatcher measures building the recognizer for 50,000 terms.
func BenchmarkNewMatcher(b *testing.B) {
	cs := genGlossary(b, benchTerms)
	cpu := cpuTime()
	for b.Loop() {
		NewMatcher(cs)
	}
	reportCPUPerOp(b, cpuTime()-cpu)
}

// reportCPUPerOp reports CPU milliseconds per operation (all threads).
func reportCPUPerOp(b *testing.B, cpu time.Duration) {
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkOpen measures opening a store of 50,000 terms: reading every
// concept from bbolt and building the recognizer.
func BenchmarkOpen(b *testing.B) {
	ctx := context.Background()
	cs := genGlossary(b, benchTerms)
	db, err := bbolt.Open(filepath.Join(b.TempDir(), "g.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s, err := Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Upsert(ctx, cs); err != nil {
		b.Fatal(err)
	}
	cpu := cpuTime()
	for b.Loop() {
		if _, err := Open(ctx, db); err != nil {
			b.Fatal(err)
		}
	}
	reportCPUPerOp(b, cpuTime()-cpu)
}

// BenchmarkRebuild measures what a Store does after every write: building
// the recognizer again with the Stem memo of earlier builds.
func BenchmarkRebuild(b *testing.B) {
	cs := genGlossary(b, benchTerms)
	memo := make(map[string]string)
	newMatcher(cs, memo)
	cpu := cpuTime()
	for b.Loop() {
		newMatcher(cs, memo)
	}
	reportCPUPerOp(b, cpuTime()-cpu)
}

// BenchmarkImport measures Store.Import of the 50,000-term glossary
// without ids (as an OmegaT file arrives) into an empty store, and its
// re-import into the filled one, where the identity rule finds every
// concept again.
func BenchmarkImport(b *testing.B) {
	ctx := context.Background()
	cs := genGlossary(b, benchTerms)
	for i := range cs {
		cs[i].ID = ""
	}
	importAll := func(s *Store) UpsertResult {
		i := 0
		res, err := s.Import(ctx, "", SourceFunc(func() (Concept, error) {
			if i == len(cs) {
				return Concept{}, io.EOF
			}
			i++
			return cs[i-1], nil
		}), nil)
		if err != nil {
			b.Fatal(err)
		}
		return res
	}
	for _, reimport := range []bool{false, true} {
		name := map[bool]string{false: "fresh", true: "again"}[reimport]
		b.Run(name, func(b *testing.B) {
			cpu := time.Duration(0)
			for b.Loop() {
				b.StopTimer()
				db, err := bbolt.Open(filepath.Join(b.TempDir(), "g.db"), 0o600, &bbolt.Options{NoSync: true})
				if err != nil {
					b.Fatal(err)
				}
				s, err := Open(ctx, db)
				if err != nil {
					b.Fatal(err)
				}
				if reimport {
					importAll(s)
				}
				b.StartTimer()
				start := cpuTime()
				res := importAll(s)
				cpu += cpuTime() - start
				b.StopTimer()
				if reimport && res.Created != 0 {
					b.Fatalf("re-import created %d concepts", res.Created)
				}
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(len(cs))*float64(b.N)/b.Elapsed().Seconds(), "concepts/s")
			reportCPUPerOp(b, cpu)
		})
	}
}
