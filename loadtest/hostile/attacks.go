package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/tolkdev/tolk/memory"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// document returns about size bytes of Dutch: the seed sentences, each
// numbered so that no two are alike.
func document(units []memory.Unit, size int) string {
	var b strings.Builder
	b.Grow(size + 1000)
	for i := 0; b.Len() < size-1000; i++ {
		fmt.Fprintf(&b, "%d %s ", i, units[i%len(units)].Source)
		if i%8 == 7 {
			b.WriteString("\n\n")
		}
	}
	return b.String()
}

// attackStreams keeps c.calls TranslateStream calls of c.mb MiB running
// until ctx ends, each on its own connection, and reports how they ended.
func attackStreams(ctx context.Context, c config, units []memory.Unit) func() string {
	doc := document(units, c.mb<<20)
	var ends codeCount
	var segments atomic.Int64
	var wg sync.WaitGroup
	for range c.calls {
		conn, err := grpc.NewClient(c.addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithDefaultCallOptions(grpc.MaxCallSendMsgSize(256<<20)))
		if err != nil {
			panic(err)
		}
		tc := tolkv1.NewTranslationServiceClient(conn)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			for ctx.Err() == nil {
				s, err := tc.TranslateStream(ctx, &tolkv1.TranslateStreamRequest{Documents: []*tolkv1.Document{{Id: "d", Text: doc}}})
				for err == nil {
					if _, err = s.Recv(); err == nil {
						segments.Add(1)
					}
				}
				if ctx.Err() == nil {
					if errors.Is(err, io.EOF) {
						err = nil
					}
					ends.add(err)
				}
			}
		}()
	}
	return func() string {
		wg.Wait()
		return fmt.Sprintf("%d × %d MiB TranslateStream at a time: %d segments streamed; calls ended: %v (the rest cut by the end of the run)",
			c.calls, c.mb, segments.Load(), &ends)
	}
}

// attackIdle opens c.idle ImportTmx streams that send one message and then
// nothing, over as many connections as the server's per-connection stream
// limit needs, and reports how and when the server ended them.
func attackIdle(ctx context.Context, c config) func() string {
	const perConn = 200
	start := time.Now()
	var ends codeCount
	var mu sync.Mutex
	var first, last time.Duration
	var wg sync.WaitGroup
	for i := 0; i < c.idle; i += perConn {
		conn, err := grpc.NewClient(c.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			panic(err)
		}
		mc := tolkv1.NewMemoryServiceClient(conn)
		for j := i; j < min(i+perConn, c.idle); j++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := mc.ImportTmx(ctx)
				if err == nil {
					err = s.Send(&tolkv1.ImportTmxRequest{Memory: "idle", Create: true, Chunk: []byte("<tmx version=\"1.4\">")})
				}
				if err == nil {
					err = s.RecvMsg(new(tolkv1.ImportTmxResponse)) // the answer, without ending the send side
				}
				if ctx.Err() != nil {
					return
				}
				took := time.Since(start)
				mu.Lock()
				if first == 0 || took < first {
					first = took
				}
				last = max(last, took)
				mu.Unlock()
				ends.add(err)
			}()
		}
		go func() { <-ctx.Done(); conn.Close() }()
	}
	return func() string {
		wg.Wait()
		return fmt.Sprintf("%d idle ImportTmx streams: ended by the server %v–%v after they opened: %v; the rest still open at the end of the run",
			c.idle, first.Round(100*time.Millisecond), last.Round(100*time.Millisecond), &ends)
	}
}
