// Command hostile attacks a running tolk server on loopback the way
// issue 15 did, while it sends lookups, and reports the server's peak RSS
// above its idle RSS, lookup latency during the attack against a quiet
// period just before, and whether health answered SERVING throughout.
//
//	go run ./loadtest/hostile -addr 127.0.0.1:50051 -pid PID -attack streams
//	go run ./loadtest/hostile -addr 127.0.0.1:50051 -pid PID -attack idle
//
// Attacks: "streams" sends -calls TranslateStream documents of -mb MiB at
// once, again as each ends, for -duration; "idle" opens -idle ImportTmx
// streams that name a memory and then send nothing, and reports when the
// server ends them; "none" only sends lookups, so that an attack can run in
// another process and not slow the lookups' own client (-lookups 0 there).
// loadtest/hostile.sh starts a server and runs both attacks that way.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/tolkdev/tolk/memory"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/seeds"
)

type config struct {
	addr, attack    string
	pid, mb, calls  int
	idle            int
	quiet, duration time.Duration
	lookupCallers   int
}

func main() {
	var c config
	flag.StringVar(&c.addr, "addr", "127.0.0.1:50051", "server address (loopback)")
	flag.IntVar(&c.pid, "pid", 0, "the server's process id, to read its RSS from /proc")
	flag.StringVar(&c.attack, "attack", "streams", "streams, idle, or none (lookups only, beside an attacking process)")
	flag.IntVar(&c.mb, "mb", 64, "streams: document size in MiB")
	flag.IntVar(&c.calls, "calls", 4, "streams: documents at once")
	flag.IntVar(&c.idle, "idle", 2000, "idle: streams to open")
	flag.DurationVar(&c.quiet, "quiet", 15*time.Second, "lookups alone before the attack")
	flag.DurationVar(&c.duration, "duration", time.Minute, "how long the attack lasts")
	flag.IntVar(&c.lookupCallers, "lookups", 4, "concurrent lookup callers")
	flag.Parse()
	if c.pid == 0 {
		log.Fatal("-pid is required")
	}
	if err := run(c); err != nil {
		log.Fatal(err)
	}
}

func run(c config) error {
	conn, err := grpc.NewClient(c.addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallSendMsgSize(256<<20)))
	if err != nil {
		return err
	}
	defer conn.Close()
	units, err := seeds.Units()
	if err != nil {
		return err
	}
	mem := tolkv1.NewMemoryServiceClient(conn)
	ctx := context.Background()

	start := time.Now()
	quiet := lookups(ctx, mem, units, c.lookupCallers, c.quiet)
	time.Sleep(time.Until(start.Add(c.quiet))) // with -lookups 0, a quiet period all the same
	idleRSS, _ := rss(c.pid)
	fmt.Printf("quiet %v: %d lookups, p50 %v, p99 %v; server RSS %d MiB\n", c.quiet, len(quiet), pct(quiet, 50), pct(quiet, 99), idleRSS>>20)

	actx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	var peak atomic.Int64
	var healthBad, healthOK atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // sample RSS and health
		defer wg.Done()
		hc := healthpb.NewHealthClient(conn)
		for i := 0; actx.Err() == nil; i++ {
			if v, err := rss(c.pid); err == nil && v > peak.Load() {
				peak.Store(v)
			}
			if i%5 == 0 {
				hctx, hcancel := context.WithTimeout(ctx, time.Second)
				r, err := hc.Check(hctx, &healthpb.HealthCheckRequest{})
				hcancel()
				if err != nil || r.GetStatus() != healthpb.HealthCheckResponse_SERVING {
					healthBad.Add(1)
				} else {
					healthOK.Add(1)
				}
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	var report func() string
	switch c.attack {
	case "streams":
		report = attackStreams(actx, c, units)
	case "idle":
		report = attackIdle(actx, c)
	case "none":
		report = func() string { return "none in this process" }
	default:
		return fmt.Errorf("unknown attack %q", c.attack)
	}
	during := lookups(actx, mem, units, c.lookupCallers, c.duration)
	<-actx.Done()
	wg.Wait()
	fmt.Printf("attack %s %v: %s\n", c.attack, c.duration, report())
	fmt.Printf("during: %d lookups, p50 %v, p99 %v (%.1f× quiet); server peak RSS %d MiB, %d MiB above idle; health SERVING %d/%d checks\n",
		len(during), pct(during, 50), pct(during, 99), float64(pct(during, 99))/float64(max(pct(quiet, 99), 1)),
		peak.Load()>>20, (peak.Load()-idleRSS)>>20, healthOK.Load(), healthOK.Load()+healthBad.Load())
	return nil
}

// lookups sends lookups of seed sentences from n callers for d (or until
// ctx ends) and returns their latencies.
func lookups(ctx context.Context, mem tolkv1.MemoryServiceClient, units []memory.Unit, n int, d time.Duration) []time.Duration {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	var all []time.Duration
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for i := w; ctx.Err() == nil; i += n {
				start := time.Now()
				_, err := mem.Lookup(ctx, &tolkv1.LookupRequest{Text: units[i%len(units)].Source + " vandaag"})
				if err == nil {
					mine = append(mine, time.Since(start))
				}
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(all)
	return all
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)].Round(10 * time.Microsecond)
}

// rss reads the resident set size of a process from /proc.
func rss(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmRSS")
}

// codeCount counts answers by status code.
type codeCount struct {
	mu sync.Mutex
	n  map[codes.Code]int
}

func (c *codeCount) add(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[codes.Code]int{}
	}
	c.n[status.Code(err)]++
}

func (c *codeCount) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var parts []string
	for code, n := range c.n {
		parts = append(parts, fmt.Sprintf("%v %d", code, n))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}
