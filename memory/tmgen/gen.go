package tmgen

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/tolkdev/tolk/memory"
)

// Generator generates translation units. It is not safe for concurrent use.
type Generator struct {
	nl, en *model
	r      *rand.Rand
	recent []string // recent sources, for near-duplicates
	n      int
	b, t   strings.Builder
	vocab  []string // Dutch words, for perturbations
}

// New trains the Dutch and English models on pairs and returns a generator
// whose output depends only on pairs and seed.
func New(pairs []Pair, seed uint64) *Generator {
	nl, en := make([]string, len(pairs)), make([]string, len(pairs))
	for i, p := range pairs {
		nl[i], en[i] = p.NL, p.EN
	}
	g := &Generator{nl: newModel(), en: newModel(), r: rand.New(rand.NewPCG(seed, seed^0x5eed))}
	g.nl.train(nl)
	g.en.train(en)
	g.vocab = g.nl.words[2:]
	return g
}

// Vocabulary returns the Dutch words the model knows.
func (g *Generator) Vocabulary() []string { return g.vocab }

// Rand returns the generator's random source.
func (g *Generator) Rand() *rand.Rand { return g.r }

// Sentence returns a new Dutch sentence of 1 to maxWords words.
func (g *Generator) Sentence(maxWords int) string {
	for {
		g.nl.sentence(g.r, maxWords, &g.b)
		if g.b.Len() > 0 {
			return g.b.String()
		}
	}
}

// Unit returns the next unit: a new sentence, or one time in five a
// near-duplicate of a recent one (as real memories hold many), with a
// generated English target, dates and a domain property.
func (g *Generator) Unit() memory.Unit {
	g.n++
	var src string
	if len(g.recent) > 0 && g.r.IntN(5) == 0 {
		src = Perturb(g.r, g.recent[g.r.IntN(len(g.recent))], g.vocab)
	} else {
		src = g.Sentence(80)
	}
	if len(g.recent) < 1024 {
		g.recent = append(g.recent, src)
	} else {
		g.recent[g.r.IntN(len(g.recent))] = src
	}
	for {
		g.en.sentence(g.r, 80, &g.t)
		if g.t.Len() > 0 {
			break
		}
	}
	created := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(g.r.Int64N(int64(10 * 365 * 24 * time.Hour)))).Truncate(time.Second)
	return memory.Unit{
		Source:    src,
		Target:    g.t.String(),
		Props:     []memory.Prop{{Type: "domain", Value: domains[g.r.IntN(len(domains))]}},
		Origin:    "imported",
		Created:   created,
		Changed:   created,
		CreatedBy: "gen" + strconv.Itoa(g.r.IntN(20)),
		TUID:      fmt.Sprintf("g%d", g.n),
	}
}

var domains = [...]string{"news", "legal", "software", "travel", "medical", "general"}

// Perturb returns a variant of s as a translator's next segment might
// differ from a stored one: a word deleted, replaced, inserted or moved,
// a case change, a number changed, punctuation added or removed, a
// truncation, or s itself.
func Perturb(r *rand.Rand, s string, vocab []string) string {
	w := strings.Fields(s)
	if len(w) == 0 {
		return s
	}
	word := func() string { return vocab[r.IntN(len(vocab))] }
	switch r.IntN(11) {
	case 0:
		return s
	case 1: // delete a word
		if len(w) > 1 {
			i := r.IntN(len(w))
			w = append(w[:i], w[i+1:]...)
		}
	case 2: // replace a word
		w[r.IntN(len(w))] = word()
	case 3: // insert a word
		i := r.IntN(len(w) + 1)
		w = append(w[:i], append([]string{word()}, w[i:]...)...)
	case 4: // swap two neighbours
		if len(w) > 1 {
			i := r.IntN(len(w) - 1)
			w[i], w[i+1] = w[i+1], w[i]
		}
	case 5: // case
		i := r.IntN(len(w))
		if up := strings.ToUpper(w[i]); up != w[i] {
			w[i] = up
		} else {
			w[i] = strings.ToLower(w[i])
		}
	case 6: // a number
		w[r.IntN(len(w))] = strconv.Itoa(r.IntN(3000))
	case 7: // punctuation
		if strings.HasSuffix(s, ".") {
			return strings.TrimSuffix(s, ".")
		}
		return s + "."
	case 8: // truncate: short queries
		n := 1 + r.IntN(min(len(w), 4))
		w = w[:n]
	case 9: // two edits
		return Perturb(r, Perturb(r, s, vocab), vocab)
	case 10: // replace two words
		w[r.IntN(len(w))] = word()
		w[r.IntN(len(w))] = word()
	}
	return strings.Join(w, " ")
}
