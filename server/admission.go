package server

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"

	"github.com/tolkdev/tolk"
)

// isHeavy reports whether a method is a heavy call: one whose memory or
// time grows with a document or a whole store (imports, exports,
// TranslateStream, Align, Backup). Heavy calls pass the admission budget.
func isHeavy(method string) bool {
	switch strings.TrimPrefix(method, "/tolk.v1.") {
	case "TranslationService/TranslateStream", "TranslationService/Align", "MemoryService/LookupSegmentsStream",
		"MemoryService/ImportTmx", "MemoryService/ImportTmxStream", "MemoryService/ExportTmx",
		"GlossaryService/ImportGlossary", "GlossaryService/ExportGlossary",
		"AdminService/Backup":
		return true
	}
	return false
}

// streamCallBytes is what a heavy call that streams (an import, an
// export, a backup) is counted to hold: its batch, parser and chunks.
const streamCallBytes = 32 << 20

// heavyBytes is the memory a heavy call is counted to hold against
// Limits.MaxHeavyBytes: a call that carries a whole document (TranslateStream,
// Align) holds it in up to three copies while gRPC decodes it, so it counts
// 3 × MaxStreamBytes; a streaming call counts streamCallBytes. A document
// call also keeps a core busy for as long as it runs, so it counts at least
// the budget's share of one core of GOMAXPROCS−1: at most one document
// fewer than there are cores translates at once, and a core stays free for
// the interactive calls (Lookup, Translate) that translators wait on.
func (s *Server) heavyBytes(method string) int64 {
	switch strings.TrimPrefix(method, "/tolk.v1.") {
	case "TranslationService/TranslateStream", "TranslationService/Align", "MemoryService/LookupSegmentsStream":
		docs := int64(max(1, runtime.GOMAXPROCS(0)-1))
		return max(3*int64(s.limits.MaxStreamBytes), s.limits.MaxHeavyBytes/docs)
	}
	return streamCallBytes
}

// admission is the global budget of heavy calls: at most maxCalls run at
// once, together counted to hold at most maxBytes. The next call waits, in
// order of arrival, up to wait or until its context ends, and is then
// refused. A call counted larger than the whole budget runs alone.
type admission struct {
	maxCalls, maxBytes int64
	wait               time.Duration

	mu           sync.Mutex
	calls, bytes int64 // running, and counted to hold
	queue        []*waiter

	fg foreground // the interactive calls running, that documents step aside for
}

// waiter is a heavy call waiting for its turn; ready closes when it is
// admitted.
type waiter struct {
	bytes int64
	ready chan struct{}
}

func newAdmission(maxCalls int, maxBytes int64, wait time.Duration) *admission {
	return &admission{maxCalls: int64(maxCalls), maxBytes: maxBytes, wait: wait}
}

// admit admits a heavy call counted to hold bytes and returns the function
// that ends it. It fails with ELIMIT when its turn does not come within
// the wait, or with the context's error when ctx ends first.
func (a *admission) admit(ctx context.Context, bytes int64) (release func(), err error) {
	bytes = min(bytes, a.maxBytes)
	a.mu.Lock()
	if len(a.queue) == 0 && a.fits(bytes) {
		a.take(bytes)
		a.mu.Unlock()
		return a.releaser(bytes), nil
	}
	w := &waiter{bytes: bytes, ready: make(chan struct{})}
	a.queue = append(a.queue, w)
	a.mu.Unlock()
	t := time.NewTimer(a.wait)
	defer t.Stop()
	select {
	case <-w.ready:
		return a.releaser(bytes), nil
	case <-ctx.Done():
		err = ctx.Err()
	case <-t.C:
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	select {
	case <-w.ready: // admitted meanwhile: give the turn back
		a.give(bytes)
	default:
		a.queue = slices.DeleteFunc(a.queue, func(q *waiter) bool { return q == w })
		a.wake()
	}
	if err == nil {
		err = &tolk.Error{Code: tolk.ELIMIT, Message: fmt.Sprintf(
			"server busy: %d heavy calls running, counted to hold %d of %d MiB (limits: %d calls, %d MiB; waited %v); try again",
			a.calls, a.bytes>>20, a.maxBytes>>20, a.maxCalls, a.maxBytes>>20, a.wait)}
	}
	return nil, err
}

func (a *admission) fits(bytes int64) bool {
	return a.calls < a.maxCalls && a.bytes+bytes <= a.maxBytes
}

func (a *admission) take(bytes int64) { a.calls++; a.bytes += bytes }

// give ends a call and admits the waiters that now fit, in order.
func (a *admission) give(bytes int64) {
	a.calls--
	a.bytes -= bytes
	a.wake()
}

func (a *admission) wake() {
	for len(a.queue) > 0 && a.fits(a.queue[0].bytes) {
		w := a.queue[0]
		a.queue = a.queue[1:]
		a.take(w.bytes)
		close(w.ready)
	}
}

func (a *admission) releaser(bytes int64) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			a.mu.Lock()
			defer a.mu.Unlock()
			a.give(bytes)
		})
	}
}

func (s *Server) admitUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if !isHeavy(info.FullMethod) {
		s.heavy.fg.enter()
		defer s.heavy.fg.leave()
		return handler(ctx, req)
	}
	release, err := s.heavy.admit(ctx, s.heavyBytes(info.FullMethod))
	if err != nil {
		return nil, err
	}
	defer release()
	return handler(ctx, req)
}

// admitStream admits a heavy stream before its handler reads the request,
// so a waiting call holds no document in memory.
func (s *Server) admitStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if !isHeavy(info.FullMethod) {
		return handler(srv, ss)
	}
	release, err := s.heavy.admit(ss.Context(), s.heavyBytes(info.FullMethod))
	if err != nil {
		return err
	}
	defer release()
	return handler(srv, ss)
}

// SoftMemoryLimit is the Go memory limit (runtime/debug.SetMemoryLimit)
// that suits l: the heavy calls' budget, which they are counted to hold
// at most and in practice hold less of, so that the garbage collector
// frees what they leave behind before the heap passes it, instead of
// letting the heap grow to twice its live size.
func (l Limits) SoftMemoryLimit() int64 {
	return l.withDefaults().MaxHeavyBytes
}

// A document call in the background of interactive calls (see
// foreground) pauses stepAsideRatio times as long as its last segment took,
// maxStepAside at most: documents still advance while lookups never stop.
const (
	stepAsideRatio = 3
	maxStepAside   = 6 * time.Millisecond
)

// foreground counts the interactive (unary, not heavy) calls, so that
// document calls (TranslateStream) run in their background. On a machine
// with few cores a document keeps a core busy, and lookups that arrive
// meanwhile share the rest with the document's sends and its client, or
// wait for Go's 10 ms preemption. So while interactive calls run, or have
// started since its last segment, a document pauses after each segment
// stepAsideRatio times as long as that segment took (maxStepAside at
// most): it uses at most a quarter of a core then, and a whole one when no
// one else needs it.
type foreground struct {
	running, started atomic.Int64
}

func (f *foreground) enter() { f.running.Add(1); f.started.Add(1) }

func (f *foreground) leave() { f.running.Add(-1) }

// stepper returns the function a document call runs after each segment:
// it returns at once when no interactive call ran since its last call,
// and otherwise after a pause stepAsideRatio times the time since its last
// call (maxStepAside at most), or when ctx ends. The function reuses one timer
// and is for one goroutine.
func (f *foreground) stepper(ctx context.Context) func() {
	t := time.NewTimer(maxStepAside)
	t.Stop()
	last, seen := time.Now(), f.started.Load()
	return func() {
		now := time.Now()
		work := now.Sub(last)
		last = now
		started := f.started.Load()
		if started == seen && f.running.Load() == 0 {
			return
		}
		seen = started
		t.Reset(min(stepAsideRatio*work, maxStepAside))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
		last = time.Now()
	}
}
