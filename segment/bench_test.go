package segment

import (
	"context"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/segment/internal/goldeval"
)

// benchText returns real Dutch text: the UD Alpino and LassySmall gold
// paragraphs, separated by blank lines (about 1.2 MB).
func benchText(b *testing.B) string {
	b.Helper()
	var sb strings.Builder
	for _, f := range []string{"ud_nl_alpino_dev", "ud_nl_alpino_test", "ud_nl_lassysmall_dev", "ud_nl_lassysmall_test"} {
		cases, err := goldeval.Load(shareddata.Path(b, "segmentation/gold/"+f+".paragraphs.jsonl"))
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range cases {
			sb.WriteString(c.Text)
			sb.WriteString("\n\n")
		}
	}
	return sb.String()
}

func benchSplit(b *testing.B, text string, split func(string) []Segment) {
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	n, iters := 0, 0
	cpu0 := cpuTime()
	for b.Loop() {
		n = len(split(text))
		iters++
	}
	b.ReportMetric(float64(n), "segments/op")
	reportCPU(b, cpu0, iters, len(text))
}

// cpuTime returns the CPU time this process has used. The machine the
// benchmarks run on is shared, so wall-clock MB/s varies with the load;
// the cpu-MB/s metric (bytes per CPU second) does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, cpu0 time.Duration, iters, size int) {
	b.Helper()
	if d := cpuTime() - cpu0; d > 0 && iters > 0 {
		b.ReportMetric(float64(size)*float64(iters)/d.Seconds()/1e6, "cpu-MB/s")
	}
}

// BenchmarkSplitDutch measures the built-in Dutch rules with their boundary
// model (rulesOnly: without it); the Baseline*
// sub-benchmarks are the first naive splitter and a bare scan for '.', in
// the same run, for the ratio.
func BenchmarkSplitDutch(b *testing.B) {
	text := benchText(b)
	Dutch()
	b.Run("builtin", func(b *testing.B) { benchSplit(b, text, Dutch().Split) })
	// The rules without the boundary model (rules/nl.punkt), for the ratio.
	b.Run("rulesOnly", func(b *testing.B) { benchSplit(b, text, dutchRules().Split) })
	b.Run("BaselineNaive", func(b *testing.B) { benchSplit(b, text, naiveSplit) })
	b.Run("BaselineIndexByte", func(b *testing.B) {
		benchSplit(b, text, func(s string) []Segment {
			var out []Segment
			for i := 0; ; {
				j := strings.IndexByte(s[i:], '.')
				if j < 0 {
					break
				}
				i += j + 1
				out = append(out, Segment{})
			}
			return out
		})
	})
}

// BenchmarkSplitSRX measures user SRX files with hundreds of rules, and a
// small rule set that needs regexp2 (look-behind, possessive quantifier,
// class intersection).
func BenchmarkSplitSRX(b *testing.B) {
	text := benchText(b)
	r2, err := compileRules([]Rule{
		{Break: false, Before: `(?<![\p{L}&&[^rwn]])\b(?:bijv|enz|o\.a|nr|blz)\.`, After: `\s`},
		{Break: false, Before: `\b\p{Lu}\.`, After: `\s`},
		{Break: false, Before: `[.?!]++`, After: `\s+\p{Ll}`},
		{Break: true, Before: `[.?!]++['"”’)]*+`, After: `\s`},
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("regexp2-rules", func(b *testing.B) { benchSplit(b, text, r2.Split) })
	for _, f := range []string{"languagetool-segment.srx", "okapi_default_icu4j.srx", "omegat-defaultRules.srx"} {
		x := loadSRX(b, shareddata.Path(b, "segmentation/srx/"+f))
		s, err := x.Segmenter("nl")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(f, ".srx"), func(b *testing.B) { benchSplit(b, text, s.Split) })
	}
}

func BenchmarkStreamDutch(b *testing.B) {
	text := benchText(b)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	iters := 0
	cpu0 := cpuTime()
	for b.Loop() {
		if err := Dutch().Stream(context.Background(), strings.NewReader(text), func(Segment) error { return nil }); err != nil {
			b.Fatal(err)
		}
		iters++
	}
	reportCPU(b, cpu0, iters, len(text))
}

// naiveSplit is the first splitter this package had, kept as a speed
// baseline: a break at a blank line and after '.', '!' or '?' followed by
// a space and an upper-case letter.
func naiveSplit(text string) []Segment {
	var out []Segment
	start := -1
	emit := func(end int) {
		if start < 0 {
			return
		}
		e := end
		for e > start {
			r, n := utf8.DecodeLastRuneInString(text[:e])
			if !unicode.IsSpace(r) {
				break
			}
			e -= n
		}
		if e > start {
			out = append(out, Segment{start, e, text[start:e]})
		}
		start = -1
	}
	for i, r := range text {
		if start < 0 {
			if !unicode.IsSpace(r) {
				start = i
			}
			continue
		}
		switch {
		case r == '\n':
			j := i + 1
			for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
				j++
			}
			if j < len(text) && text[j] == '\n' {
				emit(i)
			}
		case r == '.' || r == '!' || r == '?':
			j := i + 1
			if j < len(text) && text[j] == ' ' {
				for j < len(text) && text[j] == ' ' {
					j++
				}
				if r2, _ := utf8.DecodeRuneInString(text[j:]); unicode.IsUpper(r2) {
					emit(i + 1)
				}
			}
		}
	}
	emit(len(text))
	return out
}

// BenchmarkSplitHardCases measures the built-in Dutch segmenter with and
// without its boundary model on text dense with the positions the model
// decides (testdata/hardcases_nl.txt repeated to about 100 KB).
func BenchmarkSplitHardCases(b *testing.B) {
	var sb strings.Builder
	for sb.Len() < 100<<10 {
		for _, c := range loadHardCasesFile(b) {
			sb.WriteString(c.Text)
			sb.WriteString("\n\n")
		}
	}
	text := sb.String()
	b.Run("builtin", func(b *testing.B) { benchSplit(b, text, Dutch().Split) })
	b.Run("rulesOnly", func(b *testing.B) { benchSplit(b, text, dutchRules().Split) })
}

// BenchmarkSplitEnglish measures the built-in English segmenter with and
// without its boundary model on the English side of NTREX-128 (one
// paragraph per document).
func BenchmarkSplitEnglish(b *testing.B) {
	data, err := os.ReadFile(shareddata.Path(b, "parallel/ntrex128/newstest2019-src.eng.txt"))
	if err != nil {
		b.Fatal(err)
	}
	text := strings.ReplaceAll(strings.ReplaceAll(string(data), "\r\n", " "), "\n", " ")
	b.Run("builtin", func(b *testing.B) { benchSplit(b, text, English().Split) })
	b.Run("rulesOnly", func(b *testing.B) { benchSplit(b, text, englishRules().Split) })
}
