// Command loadtest drives a running tolk server with Lookup traffic, and
// optionally TMX imports at the same time, and reports throughput, latency
// percentiles, errors and the server's resident memory over the run.
//
//	go run ./loadtest -addr 127.0.0.1:50051 -metrics http://127.0.0.1:9090/metrics \
//	    -prepare 100000 -duration 5m -concurrency 16 -import-every 30s
//
// -prepare N first imports N generated units (memory/tmgen, trained on the
// shared parallel corpora under TOLK_DATA) into the memory "load". Queries
// are new generated sentences (-new, default half) and perturbed copies of
// stored ones. The run
// stops by itself after -duration; it never targets anything but -addr.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tolkdev/tolk/client"
	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/memory/tmgen"
	"github.com/tolkdev/tolk/memory/tmx"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

func main() {
	addr := flag.String("addr", client.DefaultAddr, "server address")
	metrics := flag.String("metrics", "", "the server's /metrics URL, to sample its resident memory")
	prepare := flag.Int("prepare", 0, "import this many generated units into memory \"load\" first")
	duration := flag.Duration("duration", time.Minute, "how long to send lookups")
	concurrency := flag.Int("concurrency", 16, "concurrent callers")
	importEvery := flag.Duration("import-every", 0, "also import 5,000 generated units this often (0: never)")
	seed := flag.Uint64("seed", 1, "random seed")
	fresh := flag.Float64("new", 0.5, "fraction of queries that are new sentences (the rest are perturbed stored ones)")
	flag.Parse()
	if err := run(*addr, *metrics, *prepare, *duration, *concurrency, *importEvery, *seed, *fresh); err != nil {
		log.Fatal(err)
	}
}

func run(addr, metricsURL string, prepare int, duration time.Duration, concurrency int, importEvery time.Duration, seed uint64, fresh float64) error {
	root, ok := shareddata.Root()
	if !ok {
		return fmt.Errorf("shared data folder %s not found: set TOLK_DATA", root)
	}
	pairs, err := tmgen.LoadCorpus(root)
	if err != nil {
		return err
	}
	gen := tmgen.New(pairs, seed)
	cl, err := client.New(addr)
	if err != nil {
		return err
	}
	defer cl.Close()
	ctx := context.Background()

	var stored []string
	if prepare > 0 {
		start := time.Now()
		units := make([]memory.Unit, prepare)
		for i := range units {
			units[i] = gen.Unit()
		}
		if err := importUnits(ctx, cl, units); err != nil {
			return fmt.Errorf("preparing: %w", err)
		}
		for i := 0; i < len(units); i += max(1, len(units)/20000) {
			stored = append(stored, units[i].Source)
		}
		log.Printf("imported %d units in %v", prepare, time.Since(start).Round(time.Millisecond))
	}
	// Queries: perturbed stored sources (fuzzy matches) and, a fraction
	// fresh of them, new sentences of 1–60 words (mostly no match), made
	// before the clock starts.
	queries := make([]string, 20000)
	for i := range queries {
		if len(stored) > 0 && gen.Rand().Float64() >= fresh {
			queries[i] = tmgen.Perturb(gen.Rand(), stored[gen.Rand().IntN(len(stored))], gen.Vocabulary())
		} else {
			queries[i] = gen.Sentence(60)
		}
	}

	ctx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      atomic.Int64
		imports   atomic.Int64
		wg        sync.WaitGroup
	)
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(w)))
			var mine []time.Duration
			// Each lookup runs to its end (or its own 5 s deadline):
			// the run's end stops callers between lookups, not in one.
			for ctx.Err() == nil {
				q := queries[r.IntN(len(queries))]
				t0 := time.Now()
				rctx, rcancel := context.WithTimeout(context.Background(), 5*time.Second)
				_, err := cl.Memory.Lookup(rctx, &tolkv1.LookupRequest{Text: q})
				rcancel()
				mine = append(mine, time.Since(t0))
				if err != nil {
					if errs.Add(1) <= 5 {
						log.Printf("lookup error: %v", err)
					}
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}(w)
	}
	if importEvery > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(importEvery)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
				units := make([]memory.Unit, 5000)
				for i := range units {
					units[i] = gen.Unit()
				}
				if err := importUnits(ctx, cl, units); err != nil && ctx.Err() == nil {
					errs.Add(1)
					log.Printf("import error: %v", err)
				}
				imports.Add(1)
			}
		}()
	}
	var rss []float64
	if metricsURL != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(10 * time.Second)
			defer t.Stop()
			for {
				if v, err := residentMemory(metricsURL); err == nil {
					rss = append(rss, v/(1<<20))
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}()
	}
	start := time.Now()
	wg.Wait()
	elapsed := time.Since(start)

	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))]
	}
	fmt.Printf("lookups:     %d in %v, %.0f req/s, %d callers\n", len(latencies), elapsed.Round(time.Second), float64(len(latencies))/elapsed.Seconds(), concurrency)
	fmt.Printf("latency:     p50 %v  p90 %v  p99 %v  max %v\n", pct(.50), pct(.90), pct(.99), pct(1))
	fmt.Printf("errors:      %d\n", errs.Load())
	fmt.Printf("imports:     %d of 5,000 units during the run\n", imports.Load())
	if len(rss) > 0 {
		fmt.Printf("server RSS:  first %.0f MiB, last %.0f MiB, max %.0f MiB; every 10 s:", rss[0], rss[len(rss)-1], slices.Max(rss))
		for _, v := range rss {
			fmt.Printf(" %.0f", v)
		}
		fmt.Println()
	}
	if errs.Load() > 0 {
		return fmt.Errorf("%d errors", errs.Load())
	}
	return nil
}

// importUnits streams units to the server as a TMX import into "load".
func importUnits(ctx context.Context, cl *client.Client, units []memory.Unit) error {
	var buf bytes.Buffer
	w, err := tmx.NewWriter(&buf, tmx.Header{SrcLang: "nl", CreationTool: "loadtest"})
	if err != nil {
		return err
	}
	for _, u := range units {
		if err := w.Write(u); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	stream, err := cl.Memory.ImportTmx(ctx)
	if err != nil {
		return err
	}
	first := true
	for buf.Len() > 0 {
		msg := &tolkv1.ImportTmxRequest{Chunk: bytes.Clone(buf.Next(64 << 10))}
		if first {
			msg.Memory, msg.Create, msg.Policy, first = "load", true, tolkv1.UpdatePolicy_UPDATE_POLICY_KEEP_BOTH, false
		}
		if err := stream.Send(msg); err != nil {
			break // the server ended the stream; CloseAndRecv says why
		}
	}
	_, err = stream.CloseAndRecv()
	return err
}

// residentMemory reads process_resident_memory_bytes from a metrics page.
func residentMemory(url string) (float64, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(io.LimitReader(resp.Body, 4<<20))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "process_resident_memory_bytes "); ok {
			return strconv.ParseFloat(v, 64)
		}
	}
	return 0, fmt.Errorf("no process_resident_memory_bytes at %s", url)
}
