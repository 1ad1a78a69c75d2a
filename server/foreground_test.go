package server

import (
	"context"
	"testing"
	"time"
)

// TestForegroundStepAside: a document call's step returns at once when no
// interactive call ran since the last step; while one runs, or after one
// started, it pauses stepAsideRatio times as long as the document worked
// since the last step (maxStepAside at most), or until its context ends.
func TestForegroundStepAside(t *testing.T) {
	var f foreground
	step := f.stepper(context.Background())

	start := time.Now()
	for range 1000 {
		step()
	}
	if took := time.Since(start); took > 100*maxStepAside {
		t.Errorf("1,000 steps with no interactive call took %v; they should not pause", took)
	}

	pausesFor := func(name string, work time.Duration, during func()) {
		t.Helper()
		step() // the work starts now
		during()
		time.Sleep(work)
		begin := time.Now()
		step()
		if took, want := time.Since(begin), min(stepAsideRatio*work, maxStepAside); took < want {
			t.Errorf("%s: the step paused %v, less than the work before it or maxStepAside (%v)", name, took, want)
		}
	}
	f.enter()
	pausesFor("a call running, short work", maxStepAside/4, func() {})
	pausesFor("a call running, long work", 5*maxStepAside, func() {})
	f.leave()
	step() // sees that the call ended
	begin := time.Now()
	for range 100 {
		step()
	}
	if took := time.Since(begin); took > 50*maxStepAside {
		t.Errorf("100 steps after the call ended took %v; they should not pause", took)
	}
	pausesFor("a call came and went", maxStepAside/2, func() { f.enter(); f.leave() })

	f.enter()
	defer f.leave()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	canceled := f.stepper(ctx)
	time.Sleep(maxStepAside)
	begin = time.Now()
	canceled()
	if took := time.Since(begin); took >= maxStepAside {
		t.Errorf("a canceled call's step paused %v", took)
	}
}
