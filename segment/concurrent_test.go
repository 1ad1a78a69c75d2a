package segment

import (
	"sync"
	"testing"
)

func TestConcurrentSplit(t *testing.T) {
	texts := []string{sampleDutch, "Dr. A. B. Smith kwam. Hij zei: 'Ja!' En toen... niets.", "Een. Twee. Drie."}
	want := make([][]Segment, len(texts))
	for i, x := range texts {
		want[i] = Dutch().Split(x)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				k := (g + i) % len(texts)
				got := Dutch().Split(texts[k])
				if len(got) != len(want[k]) {
					t.Errorf("concurrent Split differs")
					return
				}
			}
		}()
	}
	wg.Wait()
}
