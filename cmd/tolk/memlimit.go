package main

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// followMemoryLimit keeps the Go memory limit (debug.SetMemoryLimit) at
// budget above the live heap, set now and again every interval until ctx
// ends. The translation memory's index is live heap that grows with its
// units (~190 bytes each): a fixed limit of budget alone, once the index
// outgrows it, keeps the collector running without pause (a 10M import
// went from ~35 to ~250 µs of CPU per unit past 2.5M units). budget is
// what the heavy calls are counted to hold (server.Limits.SoftMemoryLimit).
func followMemoryLimit(ctx context.Context, budget int64, interval time.Duration) {
	setMemoryLimit(budget)
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				setMemoryLimit(budget)
			}
		}
	}()
}

// setMemoryLimit sets the memory limit to budget above the heap live
// after the last collection, and returns it.
func setMemoryLimit(budget int64) int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	limit := budget
	if s[0].Value.Kind() == metrics.KindUint64 {
		limit += int64(s[0].Value.Uint64())
	}
	debug.SetMemoryLimit(limit)
	return limit
}
