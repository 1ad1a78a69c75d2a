package glossary

import (
	"bufio"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
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

// BenchmarkFindGlossaries compares recognition with several named
// glossaries against one glossary of the same total size: the 50,000
// concepts of genGlossary in one glossary, searched with Find (every
// glossary), and the same concepts dealt round-robin into 5 glossaries,
// searched with FindIn naming all 5 in priority order (the path that
// filters by glossary and orders by priority). Each pass times both on the
// same text one after the other, in CPU time, so that the machine's load
// falls on both alike; "ratio" is several/one over all passes and
// "median-ratio" the median of the passes' ratios (target ≤ 1.10).
func BenchmarkFindGlossaries(b *testing.B) {
	const n = 5
	cs := genGlossary(b, benchTerms)
	one := make([]Concept, len(cs))
	several := make([]Concept, len(cs))
	names := make([]string, n)
	for i := range names {
		names[i] = "g" + itoa(i)
	}
	for i, c := range cs {
		c.Glossary = "one"
		one[i] = c
		c.Glossary = names[i%n]
		several[i] = c
	}
	m1, mn := NewMatcher(one), NewMatcher(several)
	lines := benchText(b)
	size := 0
	for _, l := range lines {
		size += len(l)
	}
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	h1, hn := 0, 0
	for _, l := range lines { // warm both word caches; the same concepts found
		h1 += len(m1.Find(l, at))
		for _, h := range mn.FindIn(l, at, names) {
			hn += 1 + len(h.Others) // a term in two glossaries is one hit with an other
		}
	}
	if h1 != hn {
		b.Fatalf("one glossary finds %d concepts, %d glossaries %d", h1, n, hn)
	}
	var cpu1, cpun time.Duration
	var ratios []float64
	pass := func(f func(string)) time.Duration {
		c0 := cpuTime()
		for _, l := range lines {
			f(l)
		}
		return cpuTime() - c0
	}
	find1 := func(l string) { m1.Find(l, at) }
	findn := func(l string) { mn.FindIn(l, at, names) }
	b.SetBytes(int64(2 * size))
	i := 0
	for b.Loop() {
		// Alternate which goes first, so that neither always runs in the
		// other's wake (GC, caches).
		var d1, dn time.Duration
		if i++; i%2 == 0 {
			d1, dn = pass(find1), pass(findn)
		} else {
			dn, d1 = pass(findn), pass(find1)
		}
		cpu1 += d1
		cpun += dn
		if d1 > 0 {
			ratios = append(ratios, dn.Seconds()/d1.Seconds())
		}
	}
	if cpu1 > 0 && cpun > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/cpu1.Seconds()/1e6, "one-MB/cpu-s")
		b.ReportMetric(float64(size)*float64(b.N)/cpun.Seconds()/1e6, "several-MB/cpu-s")
		b.ReportMetric(cpun.Seconds()/cpu1.Seconds(), "ratio")
	}
	if len(ratios) > 0 {
		slices.Sort(ratios)
		b.ReportMetric(ratios[len(ratios)/2], "median-ratio")
	}
	b.ReportMetric(float64(h1), "hits")
}
