package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

// TestMemoryLimitFollowsLiveHeap checks that the limit stays the budget
// above a live heap larger than the budget, instead of below it.
func TestMemoryLimitFollowsLiveHeap(t *testing.T) {
	defer debug.SetMemoryLimit(math.MaxInt64)
	const budget = 8 << 20
	live := make([]byte, 64<<20)
	for i := range live {
		live[i] = byte(i)
	}
	runtime.GC()
	limit := setMemoryLimit(budget)
	if limit < 64<<20+budget {
		t.Fatalf("limit %d MiB with 64 MiB live and a budget of 8 MiB: want at least 72 MiB", limit>>20)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Fatalf("the runtime's limit is %d, setMemoryLimit returned %d", got, limit)
	}
	runtime.KeepAlive(live)
}
