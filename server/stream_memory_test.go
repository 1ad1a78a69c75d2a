package server_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/server"
)

// streamDoc returns a Dutch document of about size bytes: the seed
// article's sentences, each numbered so that all differ and no cache can
// hold them, but most still match a seed unit (fuzzy, with alternatives,
// a diff and glossary hits: the most a segment can carry).
func streamDoc(t *testing.T, size int) string {
	t.Helper()
	units, err := seeds.Units()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.Grow(size + 1000)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "%d %s ", i, units[i%len(units)].Source)
		if i%8 == 7 {
			b.WriteString("\n\n")
		}
	}
	return b.String()[:size]
}

// settledHeap collects garbage twice, so that what sync.Pools (gRPC's
// buffers) kept from earlier tests is gone too and the collector's next
// goal is low, and returns the heap in use. Without it a test that follows
// one with a large heap measures that test's garbage as its own.
func settledHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// heapPeak samples the live heap every few milliseconds until stop is
// called, and returns the highest value seen.
func heapPeak() (stop func() uint64) {
	done := make(chan struct{})
	var peak uint64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak }
}

// translateStream sends doc in one TranslateStream call and reads every
// segment, returning how many came back.
func translateStream(ctx context.Context, tc tolkv1.TranslationServiceClient, doc string) (int, error) {
	stream, err := tc.TranslateStream(ctx, &tolkv1.TranslateStreamRequest{
		Documents: []*tolkv1.Document{{Id: "big", Text: doc}},
		Options:   &tolkv1.TranslateOptions{SkipGlossary: false}})
	if err != nil {
		return 0, err
	}
	n := 0
	for {
		_, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

// TestTranslateStreamBoundedMemory sends documents at the stream limit,
// several at once, and checks that the heap grows by little more than the
// requests themselves: the segments and matches of a document are not held
// while it streams. The document size is 4 MiB (TOLK_STREAM_MB sets it;
// the README's figure is for 64) and the calls 2 (TOLK_STREAM_CALLS).
//
//	TOLK_STREAM_MB=64 TOLK_STREAM_CALLS=1 go test ./server -run TranslateStreamBoundedMemory -v -timeout 20m
func TestTranslateStreamBoundedMemory(t *testing.T) {
	if raceEnabled {
		t.Skip("heap figures under the race detector are not the server's; run without -race")
	}
	mb, calls := envInt("TOLK_STREAM_MB", 4), envInt("TOLK_STREAM_CALLS", 2)
	size := mb << 20
	// On two cores the admission budget lets one document run at a time;
	// the others wait their turn (this test is about the heap, not about
	// refusing), however slow a loaded machine makes the first.
	ls := startLocal(t, server.Limits{MaxStreamBytes: size, HeavyWait: 5 * time.Minute})
	tc := tolkv1.NewTranslationServiceClient(ls.dial(t))
	doc := streamDoc(t, size-1000)
	base := settledHeap()
	stop := heapPeak()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, calls)
	segs := make([]int, calls)
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			segs[i], errs[i] = translateStream(context.Background(), tc, doc)
		}()
	}
	wg.Wait()
	peak := stop()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	grown := int64(peak) - int64(base)
	t.Logf("%d × %d MiB (%d segments each) in %v: peak heap %d MiB above the %d MiB before",
		calls, mb, segs[0], time.Since(start).Round(time.Millisecond), grown>>20, base>>20)
	// Each call holds its request, briefly in up to five copies (the
	// client's message, the server's received frames, their joined buffer
	// and the decoded string), plus a bounded working set. Before
	// TranslateStream streamed, 2 × 8 MiB took 350 MiB and 64 MiB ~1.5 GB.
	if limit := int64(calls)*5*int64(size) + 64<<20; grown > limit {
		t.Errorf("peak heap grew by %d MiB, more than %d MiB", grown>>20, limit>>20)
	}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
