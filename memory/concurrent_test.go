package memory

import (
	"context"
	"sync"
	"testing"
)

// TestConcurrentUse runs lookups, concordance and exports while units are
// added, updated and deleted (run with -race).
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, openDB(t))
	newMemory(t, s, "m")
	var wg sync.WaitGroup
	wg.Add(4)
	go func() {
		defer wg.Done()
		for i := range 60 {
			u := Unit{Source: "De auto nummer " + itoa(i%20) + " is rood.", Target: "Car " + itoa(i) + " is red."}
			res, err := s.Add(ctx, "m", []Unit{u}, Policy(i%3))
			if err != nil {
				t.Error(err)
				return
			}
			if i%7 == 0 {
				_ = s.Delete(ctx, "m", res.IDs[0])
			}
		}
	}()
	go func() {
		defer wg.Done()
		for i := range 60 {
			if _, err := s.Lookup(ctx, Query{Text: "De auto nummer " + itoa(i%20) + " is blauw."}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for range 30 {
			if _, err := s.Concordance(ctx, ConcordanceQuery{Text: "red", Target: true}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for range 20 {
			if err := s.Export(ctx, "m", func(Unit) error { return nil }); err != nil {
				t.Error(err)
				return
			}
			if err := s.RecordUsage(ctx, "m", []uint64{1, 2, 3}, testTime()); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	wg.Wait()
}
