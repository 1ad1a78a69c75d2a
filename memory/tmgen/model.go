package tmgen

import (
	"math/rand/v2"
	"slices"
	"strings"
)

// model is a word trigram model: words are whitespace-separated tokens as
// they stand in the corpus (punctuation attached), so generated text looks
// like the corpus, quotes, numbers and dates included.
type model struct {
	words []string
	ids   map[string]int32
	// next maps a context of two word ids to the words seen after it,
	// with cumulative counts for sampling.
	next map[[2]int32]*choices
}

type choices struct {
	words []int32
	cum   []uint32
}

const (
	bos = 0 // sentence start
	eos = 1 // sentence end
)

func newModel() *model {
	return &model{words: []string{"<s>", "</s>"}, ids: map[string]int32{"<s>": bos, "</s>": eos}, next: map[[2]int32]*choices{}}
}

func (m *model) id(w string) int32 {
	if id, ok := m.ids[w]; ok {
		return id
	}
	id := int32(len(m.words))
	m.words = append(m.words, w)
	m.ids[w] = id
	return id
}

// train adds the trigrams of each sentence.
func (m *model) train(sentences []string) {
	counts := map[[3]int32]uint32{}
	for _, s := range sentences {
		ctx := [2]int32{bos, bos}
		for _, w := range strings.Fields(s) {
			id := m.id(w)
			counts[[3]int32{ctx[0], ctx[1], id}]++
			ctx = [2]int32{ctx[1], id}
		}
		counts[[3]int32{ctx[0], ctx[1], eos}]++
	}
	// Deterministic order: sort the trigrams.
	keys := make([][3]int32, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [3]int32) int {
		for i := range a {
			if a[i] != b[i] {
				return int(a[i] - b[i])
			}
		}
		return 0
	})
	for _, k := range keys {
		c := m.next[[2]int32{k[0], k[1]}]
		if c == nil {
			c = &choices{}
			m.next[[2]int32{k[0], k[1]}] = c
		}
		total := counts[k]
		if n := len(c.cum); n > 0 {
			total += c.cum[n-1]
		}
		c.words = append(c.words, k[2])
		c.cum = append(c.cum, total)
	}
}

// sentence samples a sentence of at most maxWords words.
func (m *model) sentence(r *rand.Rand, maxWords int, b *strings.Builder) {
	b.Reset()
	ctx := [2]int32{bos, bos}
	for n := 0; n < maxWords; n++ {
		c := m.next[ctx]
		if c == nil {
			break
		}
		x := uint32(r.Uint64N(uint64(c.cum[len(c.cum)-1])))
		i, _ := slices.BinarySearch(c.cum, x+1)
		w := c.words[i]
		if w == eos {
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(m.words[w])
		ctx = [2]int32{ctx[1], w}
	}
}
