package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/connectivity"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/server"
)

// TestStreamRecvTimeout starts client streams that send a first message
// and then nothing, and checks that the server ends each after
// StreamRecvTimeout with DeadlineExceeded naming the limit.
func TestStreamRecvTimeout(t *testing.T) {
	const limit = 300 * time.Millisecond
	ls := startLocal(t, server.Limits{StreamRecvTimeout: limit})
	conn := ls.dial(t)
	tests := []struct {
		name  string
		start func(ctx context.Context) (grpc.ClientStream, error)
		first any
	}{
		{"ImportTmx", func(ctx context.Context) (grpc.ClientStream, error) {
			return tolkv1.NewMemoryServiceClient(conn).ImportTmx(ctx)
		}, &tolkv1.ImportTmxRequest{Memory: "slow", Create: true, Chunk: []byte(tmxHead)}},
		{"ImportTmx silent from the start", func(ctx context.Context) (grpc.ClientStream, error) {
			return tolkv1.NewMemoryServiceClient(conn).ImportTmx(ctx)
		}, nil},
		{"ImportGlossary", func(ctx context.Context) (grpc.ClientStream, error) {
			return tolkv1.NewGlossaryServiceClient(conn).ImportGlossary(ctx)
		}, &tolkv1.ImportGlossaryRequest{Format: tolkv1.GlossaryFormat_GLOSSARY_FORMAT_CSV, Chunk: []byte("nl,en\nde minister,")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			s, err := tt.start(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if tt.first != nil {
				if err := s.SendMsg(tt.first); err != nil {
					t.Fatal(err)
				}
			}
			start := time.Now()
			err = s.RecvMsg(new(tolkv1.ImportTmxResponse)) // the answer, without closing the send side
			took := time.Since(start)
			st := status.Convert(err)
			if st.Code() != codes.DeadlineExceeded || !strings.Contains(st.Message(), "StreamRecvTimeout") {
				t.Fatalf("a silent client stream got %v %q; want DeadlineExceeded naming StreamRecvTimeout", st.Code(), st.Message())
			}
			if took < limit || took > limit+5*time.Second {
				t.Errorf("ended after %v; the limit is %v", took, limit)
			}
		})
	}
}

// TestMaxConnAge holds a health watch, a stream that never ends by itself,
// and checks that MaxConnAge plus its grace closes it.
func TestMaxConnAge(t *testing.T) {
	ls := startLocal(t, server.Limits{MaxConnAge: 300 * time.Millisecond, MaxConnAgeGrace: 300 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	w, err := healthpb.NewHealthClient(ls.dial(t)).Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for {
		if _, err = w.Recv(); err != nil {
			break
		}
	}
	if code := status.Code(err); code != codes.Unavailable || ctx.Err() != nil {
		t.Fatalf("the watch ended with %v after %v; want Unavailable from the age limit", err, time.Since(start))
	}
	t.Logf("closed after %v", time.Since(start).Round(time.Millisecond))
}

// TestMaxConnIdle checks that a connection without calls is closed by the
// server after MaxConnIdle: the client's connection leaves READY.
func TestMaxConnIdle(t *testing.T) {
	ls := startLocal(t, server.Limits{MaxConnIdle: 300 * time.Millisecond})
	conn := ls.dial(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for conn.GetState() == connectivity.Ready {
		if !conn.WaitForStateChange(ctx, connectivity.Ready) {
			t.Fatalf("the idle connection was still open after %v", time.Since(start))
		}
	}
	t.Logf("closed after %v idle", time.Since(start).Round(time.Millisecond))
}
