package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/memory/tmgen"
	"github.com/tolkdev/tolk/memory/tmx"
)

// mixer recombines real sentence pairs into new units: no trained model,
// so its text is independent of what tmgen (and the scoring tuned on it)
// produces. A unit is one to three whole pairs of the shared corpora,
// joined in both languages, sometimes with a number changed.
type mixer struct {
	pairs []tmgen.Pair
	r     *rand.Rand
}

func newMixer(data string, seed uint64) *mixer {
	pairs, err := tmgen.LoadCorpus(data)
	if err != nil {
		log.Fatalf("loading the corpora: %v", err)
	}
	return &mixer{pairs: pairs, r: rand.New(rand.NewPCG(seed, 0x6d6978))}
}

// pair returns the next recombined Dutch and English texts.
func (m *mixer) pair() (nl, en string) {
	k := 1
	switch x := m.r.IntN(10); {
	case x >= 8:
		k = 3
	case x >= 2:
		k = 2
	}
	var a, b strings.Builder
	for i := range k {
		p := m.pairs[m.r.IntN(len(m.pairs))]
		if i > 0 {
			a.WriteByte(' ')
			b.WriteByte(' ')
		}
		a.WriteString(p.NL)
		b.WriteString(p.EN)
	}
	nl, en = a.String(), b.String()
	if m.r.IntN(4) == 0 {
		// Append a reference number, the same on both sides.
		n := m.r.IntN(100000)
		nl += fmt.Sprintf(" (ref. %d)", n)
		en += fmt.Sprintf(" (ref. %d)", n)
	}
	return nl, en
}

// mixCmd writes a TMX of n recombined units.
func mixCmd(args []string) {
	fs := flag.NewFlagSet("mix", flag.ExitOnError)
	n := fs.Int("n", 100000, "units to write")
	out := fs.String("o", "", "TMX file to write")
	seed := fs.Uint64("seed", 1, "seed")
	data := fs.String("data", os.Getenv("TOLK_DATA"), "shared data folder (default $TOLK_DATA)")
	fs.Parse(args)
	if *out == "" || *data == "" {
		log.Fatal("usage: tmbench mix -n N -o FILE.tmx [-seed S] (needs -data or TOLK_DATA)")
	}
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w, err := tmx.NewWriter(bw, tmx.Header{SrcLang: "nl-NL", TargetLang: "en-GB", CreationTool: "tmbench mix"})
	if err != nil {
		log.Fatal(err)
	}
	m := newMixer(*data, *seed)
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	domains := []string{"news", "legal", "travel", "general"}
	for i := range *n {
		nl, en := m.pair()
		u := memory.Unit{Source: nl, Target: en,
			Created: t0.Add(time.Duration(i) * time.Second), CreatedBy: "mix",
			Props: []memory.Prop{{Type: "domain", Value: domains[i%len(domains)]}}}
		if err := w.Write(u); err != nil {
			log.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// mixQueries returns n queries for a memory written by mix: half new
// recombinations (drawn with another seed than the file's, so mostly
// not stored, though their sentences are), half those perturbed as a
// translator's next segment might differ (tmgen.Perturb).
func mixQueries(data string, seed uint64, n, minScore int) []memory.Query {
	m := newMixer(data, seed)
	var vocab []string
	for _, p := range m.pairs[:2000] {
		vocab = append(vocab, strings.Fields(p.NL)...)
	}
	var qs []memory.Query
	for len(qs) < n {
		nl, _ := m.pair()
		if len(qs)%2 == 1 {
			nl = tmgen.Perturb(m.r, nl, vocab)
		}
		if strings.TrimSpace(nl) == "" || len(nl) > memory.MaxTextBytes {
			continue
		}
		qs = append(qs, memory.Query{Text: nl, Limit: 5, MinScore: minScore})
	}
	return qs
}

// mixLookupCmd opens a database made from mix units and reports lookup
// latency at concurrency 1 and the CPU per lookup at 1 and at -c.
func mixLookupCmd(args []string) {
	fs := flag.NewFlagSet("mixlookup", flag.ExitOnError)
	dbPath := fs.String("db", "/tmp/tmbench.db", "database of mix units")
	nq := fs.Int("queries", 2000, "queries")
	seed := fs.Uint64("seed", 99, "seed of the queries (the files' is 1)")
	minScore := fs.Int("min", 70, "MinScore")
	conc := fs.Int("c", 16, "concurrency of the second run")
	mem := fs.String("memory", "", "search only this memory")
	data := fs.String("data", os.Getenv("TOLK_DATA"), "shared data folder (default $TOLK_DATA)")
	fs.Parse(args)
	if *data == "" {
		log.Fatal("tmbench mixlookup: give -data or TOLK_DATA")
	}
	ctx := context.Background()
	db := openDB(*dbPath)
	defer db.Close()
	s, err := memory.Open(ctx, db)
	if err != nil {
		log.Fatal(err)
	}
	qs := mixQueries(*data, *seed, *nq, *minScore)
	if *mem != "" {
		for i := range qs {
			qs[i].Memories = []string{*mem}
		}
	}
	run := func(i int) int {
		ms, err := s.Lookup(ctx, qs[i])
		if err != nil {
			log.Fatalf("lookup %q: %v", qs[i].Text, err)
		}
		return len(ms)
	}
	for i := range min(200, len(qs)) { // warm the page cache a little
		run(i)
	}
	lat := make([]time.Duration, len(qs))
	found := 0
	c0, t0 := cpuTime(), time.Now()
	for i := range qs {
		t := time.Now()
		if run(i) > 0 {
			found++
		}
		lat[i] = time.Since(t)
	}
	cpu1, wall1 := cpuTime()-c0, time.Since(t0)
	fmt.Printf("lookup c1 (min %d, %d new queries, %d with matches): p50 %v  p90 %v  p99 %v  mean %v; CPU per lookup %v\n",
		*minScore, len(qs), found, pct(lat, .5), pct(lat, .9), pct(lat, .99), mean(lat), (cpu1 / time.Duration(len(qs))).Round(time.Microsecond))
	_ = wall1
	next := make(chan int)
	var wg sync.WaitGroup
	c0, t0 = cpuTime(), time.Now()
	for range *conc {
		wg.Go(func() {
			for i := range next {
				run(i)
			}
		})
	}
	for i := range qs {
		next <- i
	}
	close(next)
	wg.Wait()
	cpu, wall := cpuTime()-c0, time.Since(t0)
	fmt.Printf("lookup c%d: %.0f lookups/s, CPU per lookup %v; RSS %s\n", *conc, float64(len(qs))/wall.Seconds(), (cpu / time.Duration(len(qs))).Round(time.Microsecond), peakRSS())
}
