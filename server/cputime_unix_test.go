//go:build unix

package server_test

import (
	"syscall"
	"time"
)

// cpuTime returns the CPU time (user + system) the process has used, on
// every thread: client and server of a benchmark together. Benchmarks
// report work per CPU second beside wall time, since the development
// machines are shared and wall time there depends on what else runs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
