package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strings"
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
