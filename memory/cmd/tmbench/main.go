// Command tmbench measures the translation memory at scale on a TMX file
// made by tmgen: import speed and peak memory, open time, and fuzzy and
// exact lookup latency against a brute-force scan of the same units.
//
//	go run ./memory/cmd/tmgen -n 1000000 -o /tmp/tm1m.tmx
//	go run ./memory/cmd/tmbench import -db /tmp/tm1m.db /tmp/tm1m.tmx
//	go run ./memory/cmd/tmbench lookup -db /tmp/tm1m.db -n 1000000
//
// Each phase runs in its own process so that its peak RSS (VmHWM) is its
// own. lookup regenerates the units with the same seed to draw queries.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/memory/tmgen"
	"github.com/tolkdev/tolk/memory/tmx"
	"go.etcd.io/bbolt"
)

func main() {
	log.SetFlags(0)
	if p := os.Getenv("TMBENCH_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if len(os.Args) < 2 {
		log.Fatal("usage: tmbench import|lookup [flags]")
	}
	switch os.Args[1] {
	case "import":
		importCmd(os.Args[2:])
	case "lookup":
		lookupCmd(os.Args[2:])
	case "mix":
		mixCmd(os.Args[2:])
	case "mixlookup":
		mixLookupCmd(os.Args[2:])
	case "concordance":
		fs := flag.NewFlagSet("concordance", flag.ExitOnError)
		dbPath := fs.String("db", "/tmp/tmbench.db", "database made by tmbench import")
		fs.Parse(os.Args[2:])
		db := openDB(*dbPath)
		ctx := context.Background()
		s, err := memory.Open(ctx, db)
		if err != nil {
			log.Fatal(err)
		}
		for _, q := range []memory.ConcordanceQuery{
			{Text: "regering"}, {Text: "de regering", Phrase: true}, {Text: "ik hou van", Phrase: true},
			{Text: "government", Target: true}, {Text: "the government", Target: true, Phrase: true},
		} {
			t := time.Now()
			p, err := s.Concordance(ctx, q)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf("concordance %+q target=%v phrase=%v: %d units in %v\n", q.Text, q.Target, q.Phrase, p.Total, time.Since(t).Round(time.Microsecond))
		}
		db.Close()
	case "open":
		fs := flag.NewFlagSet("open", flag.ExitOnError)
		dbPath := fs.String("db", "/tmp/tmbench.db", "database made by tmbench import")
		fs.Parse(os.Args[2:])
		start := time.Now()
		db := openDB(*dbPath)
		if _, err := memory.Open(context.Background(), db); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("open: %.2fs (CPU %.2fs); peak RSS %s\n", time.Since(start).Seconds(), cpuTime().Seconds(), peakRSS())
		db.Close()
	default:
		log.Printf("tmbench: unknown command %q", os.Args[1])
	}
}

func openDB(path string) *bbolt.DB {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{NoSync: os.Getenv("TMBENCH_NOSYNC") != ""})
	if err != nil {
		log.Fatalf("tmbench: %v", err)
	}
	return db
}

// peakRSS returns the process's peak resident set size (VmHWM).
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	var hwm, anon, file string
	for _, l := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(l, ":")
		switch k {
		case "VmHWM":
			hwm = strings.TrimSpace(v)
		case "RssAnon":
			anon = strings.TrimSpace(v)
		case "RssFile":
			file = strings.TrimSpace(v)
		}
	}
	return fmt.Sprintf("%s (now anonymous %s, file-backed %s)", hwm, anon, file)
}

// cpuTime returns the CPU time (user + system) the process has used: on a
// shared machine it says what the wall clock cannot.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func importCmd(args []string) {
	fs := flag.NewFlagSet("import", flag.ExitOnError)
	dbPath := fs.String("db", "/tmp/tmbench.db", "database file (replaced unless -append)")
	name := fs.String("memory", "bench", "memory to import into")
	appendTo := fs.Bool("append", false, "keep the database and add the memory to it")
	fs.Parse(args)
	if fs.NArg() != 1 {
		log.Fatal("usage: tmbench import [-append] [-memory NAME] -db FILE TMX")
	}
	if !*appendTo {
		os.Remove(*dbPath)
	}
	ctx := context.Background()
	start := time.Now()
	db := openDB(*dbPath)
	defer db.Close()
	s, err := memory.Open(ctx, db)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := s.CreateMemory(ctx, memory.Memory{Name: *name, SourceLang: "nl-NL", TargetLang: "en-GB"}); err != nil {
		log.Fatal(err)
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	res, err := tmx.Import(ctx, s, *name, f, tmx.Options{}, memory.KeepBoth, nil)
	if err != nil {
		log.Fatal(err)
	}
	el := time.Since(start)
	fi, _ := os.Stat(*dbPath)
	cpu := cpuTime()
	fmt.Printf("import: %d units read, %d added, %d skipped in %.2fs = %.0f units/s (CPU %.2fs); peak RSS %s; db %d MiB\n",
		res.Read, res.Added, res.AddResult.Skipped, el.Seconds(), float64(res.Read)/el.Seconds(), cpu.Seconds(), peakRSS(), fi.Size()>>20)
}

func pct(d []time.Duration, p float64) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

func mean(d []time.Duration) time.Duration {
	var t time.Duration
	for _, x := range d {
		t += x
	}
	return t / time.Duration(len(d))
}

func lookupCmd(args []string) {
	fs := flag.NewFlagSet("lookup", flag.ExitOnError)
	dbPath := fs.String("db", "/tmp/tmbench.db", "database made by tmbench import")
	n := fs.Int("n", 0, "units tmgen generated (to regenerate them for queries)")
	seed := fs.Uint64("seed", 1, "tmgen seed")
	nq := fs.Int("queries", 1000, "fuzzy queries")
	nb := fs.Int("brute", 20, "queries also run by brute-force scan")
	data := fs.String("data", os.Getenv("TOLK_DATA"), "shared data folder (default $TOLK_DATA)")
	minScore := fs.Int("min", 70, "MinScore of the fuzzy queries")
	qout := fs.String("queries-out", "", "also write the fuzzy queries here, one per line (for tmdb_lookup.py)")
	fs.Parse(args)
	if *n == 0 || *data == "" {
		log.Fatal("tmbench lookup: give -n and -data (or TOLK_DATA)")
	}
	ctx := context.Background()
	start := time.Now()
	db := openDB(*dbPath)
	defer db.Close()
	s, err := memory.Open(ctx, db)
	if err != nil {
		log.Fatal(err)
	}
	openTime := time.Since(start)
	fmt.Printf("open: %.2fs (CPU %.2fs; peak RSS so far %s)\n", openTime.Seconds(), cpuTime().Seconds(), peakRSS())

	// Queries: perturbed sources of 1 to 60 words, drawn from the units.
	pairs, err := tmgen.LoadCorpus(*data)
	if err != nil {
		log.Fatal(err)
	}
	g := tmgen.New(pairs, *seed)
	every := max(1, *n/(*nq*2))
	var sources []string
	for i := range *n {
		u := g.Unit()
		if i%every == 0 {
			if w := len(strings.Fields(u.Source)); w >= 1 && w <= 60 {
				sources = append(sources, u.Source)
			}
		}
	}
	r := g.Rand()
	var queries []memory.Query
	for len(queries) < *nq {
		src := sources[r.IntN(len(sources))]
		q := tmgen.Perturb(r, src, g.Vocabulary())
		if strings.TrimSpace(q) == "" {
			continue
		}
		queries = append(queries, memory.Query{Text: q, Limit: 5, MinScore: *minScore})
	}
	if *qout != "" {
		var b strings.Builder
		for _, q := range queries {
			b.WriteString(strings.ReplaceAll(q.Text, "\n", " ") + "\n")
		}
		if err := os.WriteFile(*qout, []byte(b.String()), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	var lat []time.Duration
	found := 0
	for _, q := range queries {
		t := time.Now()
		ms, err := s.Lookup(ctx, q)
		lat = append(lat, time.Since(t))
		if err != nil {
			log.Fatal(err)
		}
		if len(ms) > 0 {
			found++
		}
	}
	if os.Getenv("TMBENCH_SLOW") != "" {
		idx := make([]int, len(lat))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return int(lat[b] - lat[a]) })
		for _, i := range idx[:10] {
			fmt.Printf("  slow %v %d words: %.80q\n", lat[i], len(strings.Fields(queries[i].Text)), queries[i].Text)
		}
	}
	fmt.Printf("fuzzy lookup (min %d, %d queries of 1-60 words, %d with matches): p50 %v  p90 %v  p99 %v  max %v  mean %v\n",
		*minScore, len(queries), found, pct(lat, .5), pct(lat, .9), pct(lat, .99), pct(lat, 1), mean(lat))
	var ex []time.Duration
	exFound := 0
	for i := range min(len(sources), *nq) {
		q := memory.Query{Text: sources[i], MinScore: 100}
		t := time.Now()
		ms, err := s.Lookup(ctx, q)
		ex = append(ex, time.Since(t))
		if err != nil {
			log.Fatalf("exact lookup of %q: %v", q.Text, err)
		}
		if len(ms) > 0 {
			exFound++
		}
	}
	// Sources with several translations score 99 (SCORING.md), so not
	// every exact lookup finds a 100.
	fmt.Printf("exact lookup (min 100, %d queries, %d with a match): p50 %v  p99 %v\n", len(ex), exFound, pct(ex, .5), pct(ex, .99))
	var bl, il []time.Duration
	for _, q := range queries[:min(*nb, len(queries))] {
		q.Limit = memory.MaxLimit
		t := time.Now()
		a, err := s.Lookup(ctx, q)
		il = append(il, time.Since(t))
		if err != nil {
			log.Fatal(err)
		}
		t = time.Now()
		b, err := s.LookupScan(ctx, q)
		bl = append(bl, time.Since(t))
		if err != nil {
			log.Fatal(err)
		}
		if len(a) != len(b) {
			log.Fatalf("query %q: index %d matches, brute force %d", q.Text, len(a), len(b))
		}
		for i := range a {
			if a[i].Unit.ID != b[i].Unit.ID || a[i].Score != b[i].Score {
				log.Fatalf("query %q: match %d differs", q.Text, i)
			}
		}
	}
	if len(bl) > 0 {
		fmt.Printf("brute force (%d queries, identical results): mean %v vs index %v = %.0fx faster\n", len(bl), mean(bl), mean(il), float64(mean(bl))/float64(mean(il)))
	}
	fmt.Printf("peak RSS %s\n", peakRSS())
}
