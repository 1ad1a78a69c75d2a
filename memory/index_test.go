package memory

import (
	"slices"
	"testing"
)

// TestBitmapLifecycle follows one term's bitmap as documents are added:
// made when its list reaches the frequent threshold, kept in step with the
// list, dropped once the term falls to half the threshold.
func TestBitmapLifecycle(t *testing.T) {
	const term, other = 1, 2
	ix := newIndex()
	add := func(n int, tm uint32) {
		for range n {
			ix.add(0, uint64(len(ix.docs)+1), &indexRecord{L: 10, nW: 1, terms: []uint32{tm}})
		}
	}
	check := func(when string, want bool) {
		t.Helper()
		b, ok := ix.bits[term]
		if ok != want {
			t.Fatalf("%s: bitmap present %v, want %v (%d postings, %d documents)", when, ok, want, len(ix.post[term]), len(ix.docs))
		}
		if !ok {
			return
		}
		in := map[uint32]bool{}
		for _, d := range ix.post[term] {
			in[d] = true
		}
		for d := range uint32(len(ix.docs)) {
			if hasBit(b, d) != in[d] {
				t.Fatalf("%s: bit %d is %v, the list says %v", when, d, hasBit(b, d), in[d])
			}
		}
	}
	add(255, term)
	check("255 postings", false)
	add(1, term)
	check("256 postings of 256 documents", true)
	add(256*32-256, other)
	check("at 1/32 of the documents", true)
	add(1, term)
	check("a new posting", true)
	add(256*32, other)
	add(1, term) // 258 postings of 16,386 documents: above 1/64
	check("above half the threshold", true)
	add(200, other)
	add(1, term) // 259 of 16,587: below 1/64
	check("below half the threshold", false)

	// Open's rebuild uses the threshold itself.
	ix.buildBits()
	check("rebuilt", false)
}

// TestPartitionByMemory checks that after Open the postings a lookup reads
// for one memory are exactly that memory's documents in the length
// window, however many units the other memories hold.
func TestPartitionByMemory(t *testing.T) {
	db := openDB(t)
	s := openStore(t, db)
	for _, name := range []string{"big", "small", "other"} {
		newMemory(t, s, name)
	}
	var big, small []Unit
	for i := range 600 {
		big = append(big, Unit{Source: "De minister sprak " + itoa(i) + " keer over de begroting van " + itoa(i%7) + ".", Target: "t"})
	}
	for i := range 11 {
		small = append(small, Unit{Source: "De minister " + itoa(i) + " " + itoa(i) + ".", Target: "t"})
	}
	add(t, s, "big", KeepBoth, big...)
	add(t, s, "small", KeepBoth, small...)
	add(t, s, "other", KeepBoth, big[:50]...)
	s = openStore(t, db) // Open numbers the documents by memory
	ix := s.ix
	no := s.names["small"]
	allowed := make([]int, len(ix.parts))
	for i := range allowed {
		allowed[i] = -1
	}
	allowed[no] = 0
	term := wordTerms(nil, prepare("minister", false).toks)[0]
	for _, w := range []struct{ luMin, luMax int }{{0, 1000}, {40, 60}, {61, 1000}} {
		var got []uint32
		for _, seg := range ix.window(ix.post[term], ix.ranges(allowed, w.luMin, w.luMax, nil), nil) {
			got = append(got, seg...)
		}
		var want []uint32
		for d, di := range ix.docs {
			if di.mem == no && int(di.L) >= w.luMin && int(di.L) <= w.luMax {
				want = append(want, uint32(d))
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("window [%d, %d] of memory small: read %v, want %v", w.luMin, w.luMax, got, want)
		}
	}
}
