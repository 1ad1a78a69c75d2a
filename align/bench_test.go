package align

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// BenchmarkAlign500 aligns a 500-sentence document pair made of
// consecutive NTREX documents.
func BenchmarkAlign500(b *testing.B) {
	var nl, en []string
	for _, d := range ntrex(b) {
		nl = append(nl, d.nl...)
		en = append(en, d.en...)
	}
	nl, en = nl[:500], en[:500]
	benchAlign(b, nl, en)
}

// benchAlign runs Align in the benchmark loop and also reports the CPU
// time per op (user+system of the process), which the shared build machine
// disturbs less than the wall time.
func benchAlign(b *testing.B, nl, en []string) {
	ctx := context.Background()
	start := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Align(ctx, nl, en, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAlign500Deleted is BenchmarkAlign500 with every tenth Dutch
// sentence removed, so the path leaves the diagonal.
func BenchmarkAlign500Deleted(b *testing.B) {
	var nl, en []string
	for _, d := range ntrex(b) {
		nl = append(nl, d.nl...)
		en = append(en, d.en...)
	}
	nl, en = nl[:500], en[:500]
	var nl2 []string
	for i, s := range nl {
		if i%10 != 3 {
			nl2 = append(nl2, s)
		}
	}
	benchAlign(b, nl2, en)
}

// BenchmarkPairConfidence scores one typical sentence pair.
func BenchmarkPairConfidence(b *testing.B) {
	nl := "Het voorstel is een gevolg van de plannen om de huidige naam ‘Welsh Assembly’ op 26 september te wijzigen in ‘Welsh Parliament’."
	en := "It has arisen because of plans to change the name of the assembly to the Welsh Parliament on September 26."
	for b.Loop() {
		PairConfidence(nl, en, nil)
	}
}
