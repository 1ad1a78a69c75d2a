package server_test

import (
	"context"
	"errors"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/server"
)

// The hostile-input cases of issue 15 for the server's own limits, with
// short limits so that they run in seconds; loadtest/hostile.sh is the long
// run against a server process with the default limits.

// TestHostileIdleStreams opens 2,000 ImportTmx streams (500 under the race
// detector) that name a memory and then send nothing. Every one must be
// ended by the server: the MaxHeavyCalls admitted by StreamRecvTimeout
// with DeadlineExceeded, the others refused after HeavyWait with
// ResourceExhausted; and once the clients hang up the goroutines they
// held must be gone.
func TestHostileIdleStreams(t *testing.T) {
	n := 2000
	if raceEnabled {
		n = 500 // the race detector allows 8,128 goroutines
	}
	const perConn = 200
	limits := server.Limits{StreamRecvTimeout: time.Second, HeavyWait: 300 * time.Millisecond, MaxHeavyCalls: 8}
	ls := startLocal(t, limits)
	before := runtime.NumGoroutine()
	var conns []*grpc.ClientConn
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var mu sync.Mutex
	got := map[codes.Code]int{}
	var wg sync.WaitGroup
	for i := 0; i < n; i += perConn {
		conn := ls.dial(t)
		conns = append(conns, conn)
		mem := tolkv1.NewMemoryServiceClient(conn)
		for range min(perConn, n-i) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := mem.ImportTmx(ctx)
				if err == nil {
					err = s.Send(&tolkv1.ImportTmxRequest{Memory: "idle", Create: true, Chunk: []byte(tmxHead)})
				}
				if err == nil {
					err = s.RecvMsg(new(tolkv1.ImportTmxResponse)) // the answer, without ending the send side
				}
				mu.Lock()
				got[status.Code(err)]++
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	if ctx.Err() != nil {
		t.Fatalf("not every idle stream was ended by the server within 30 s: %v", got)
	}
	// As admitted streams end, streams still waiting are admitted in turn,
	// so more than MaxHeavyCalls may end by the receive limit.
	if len(got) != 2 || got[codes.DeadlineExceeded] < limits.MaxHeavyCalls || got[codes.ResourceExhausted] < n/2 {
		t.Errorf("%d idle streams ended with %v; want at least %d DeadlineExceeded (StreamRecvTimeout) and the most ResourceExhausted (admission), nothing else",
			n, got, limits.MaxHeavyCalls)
	}
	for _, c := range conns {
		c.Close()
	}
	waitFor(t, func() bool { return runtime.NumGoroutine() <= before+10 })
}

// TestHostileTranslateStreams sends four 64 MiB documents at once with the
// default limits (whose budget admits two, and on two cores one, so that a
// core stays free for lookups) and checks that the others are refused with
// ResourceExhausted after HeavyWait, the admitted ones stream segments,
// and the heap stays within the budget plus the client's own copies.
// The streaming calls are cut once they stream: a whole 64 MiB document
// takes minutes (TestTranslateStreamBoundedMemory measures one).
func TestHostileTranslateStreams(t *testing.T) {
	if raceEnabled {
		t.Skip("heap figures under the race detector are not the server's; run without -race")
	}
	const size = 64 << 20
	ls := startLocal(t, server.Limits{HeavyWait: time.Second})
	doc := streamDoc(t, size-1000)
	base := settledHeap()
	stop := heapPeak()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		code     codes.Code
		segments int
	}
	results := make(chan result, 4)
	streaming := make(chan bool, 4) // a call's first segment came
	for range 4 {
		tc := tolkv1.NewTranslationServiceClient(ls.dial(t)) // a connection each, as four clients
		go func() {
			s, err := tc.TranslateStream(ctx, &tolkv1.TranslateStreamRequest{Documents: []*tolkv1.Document{{Id: "d", Text: doc}}})
			n := 0
			for err == nil {
				if _, err = s.Recv(); err == nil {
					if n++; n == 1 {
						streaming <- true
					}
				}
			}
			results <- result{status.Code(err), n}
		}()
	}
	// The budget's rule (server.heavyBytes): a document counts 3 × 64 MiB,
	// and at least 512 MiB / (GOMAXPROCS − 1).
	admitted := int((512 << 20) / max(3*size, (512<<20)/max(1, runtime.GOMAXPROCS(0)-1)))
	refused, started := 0, 0
	for refused < 4-admitted || started < admitted {
		select {
		case r := <-results:
			if r.code != codes.ResourceExhausted || refused == 4-admitted {
				t.Fatalf("a call ended with %v after %d segments; want %d ResourceExhausted, %d streaming", r.code, r.segments, 4-admitted, admitted)
			}
			refused++
		case <-streaming:
			started++
		case <-time.After(2 * time.Minute):
			t.Fatalf("after 2 minutes %d calls refused and %d streaming; want %d and %d", refused, started, 4-admitted, admitted)
		}
	}
	cancel()
	for range admitted {
		if r := <-results; r.code != codes.Canceled || r.segments == 0 {
			t.Errorf("an admitted call ended with %v after %d segments; want segments, then Canceled", r.code, r.segments)
		}
	}
	peak := stop()
	grown := int64(peak) - int64(base)
	t.Logf("4 × 64 MiB at once: peak heap %d MiB above the %d MiB before", grown>>20, base>>20)
	// The server: two admitted documents in up to three copies each (the
	// budget, 512 MiB, counts 384), the two refused ones' received frames;
	// the client: four marshalled requests.
	if limit := int64(512<<20) + 4*size; grown > limit {
		t.Errorf("peak heap grew by %d MiB, more than %d MiB", grown>>20, limit>>20)
	}
}

// TestTranslateStreamStepsAside: a document streams to its end while two
// callers send lookups without pause (it steps aside for them after each
// segment, for maxStepAside at most), and the lookups are answered
// meanwhile.
func TestTranslateStreamStepsAside(t *testing.T) {
	ls := startLocal(t, server.Limits{})
	doc := streamDoc(t, 256<<10)
	conn := ls.dial(t)
	mem := tolkv1.NewMemoryServiceClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // far above the step-aside bound, 2 ms a segment
	defer cancel()
	var answered atomic.Int64
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if _, err := mem.Lookup(ctx, &tolkv1.LookupRequest{Text: "De vergadering begint om negen uur."}); err == nil {
					answered.Add(1)
				}
			}
		}()
	}
	start := time.Now()
	s, err := tolkv1.NewTranslationServiceClient(conn).TranslateStream(ctx, &tolkv1.TranslateStreamRequest{Documents: []*tolkv1.Document{{Id: "d", Text: doc}}})
	n := 0
	for err == nil {
		if _, err = s.Recv(); err == nil {
			n++
		}
	}
	took := time.Since(start)
	during := answered.Load()
	cancel()
	wg.Wait()
	t.Logf("%d segments in %v while %d lookups were answered", n, took, during)
	if !errors.Is(err, io.EOF) || n < 1000 {
		t.Fatalf("the document ended with %v after %d segments; want all of them (over 1,000), then EOF", err, n)
	}
	if during == 0 {
		t.Error("no lookup was answered while the document streamed")
	}
}
