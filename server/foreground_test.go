package server

import (
	"context"
	"testing"
	"time"
)

// TestForegroundStepAside: a document call's stepper returns at once when
// no interactive call runs; while one runs it waits until that call ends,
// or maxStepAside at most, or its context ends.
func TestForegroundStepAside(t *testing.T) {
	var f foreground
	ctx := context.Background()
	step := f.stepper(ctx)

	start := time.Now()
	for range 1000 {
		step()
	}
	if took := time.Since(start); took > maxStepAside*100 {
		t.Errorf("1,000 steps with no interactive call took %v; they should not wait", took)
	}

	f.enter()
	start = time.Now()
	step()
	if took := time.Since(start); took < maxStepAside {
		t.Errorf("with an interactive call running the step returned after %v, before maxStepAside (%v)", took, maxStepAside)
	}

	done := make(chan time.Time)
	go func() {
		for range 100 {
			step()
		}
		done <- time.Now()
	}()
	time.Sleep(50 * time.Millisecond)
	left := time.Now()
	f.leave()
	select {
	case end := <-done:
		if end.Before(left) {
			t.Errorf("100 steps ended before the interactive call did: they did not wait for it")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("steps still waiting 10 s after the interactive call ended")
	}

	f.enter()
	defer f.leave()
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	start = time.Now()
	f.stepper(cctx)()
	if took := time.Since(start); took >= maxStepAside {
		t.Errorf("a canceled call's step waited %v", took)
	}
}
