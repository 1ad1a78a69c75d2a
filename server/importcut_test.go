package server_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/server"
)

// numberedTMX returns a TMX document of n distinct units.
func numberedTMX(n int) string {
	var b strings.Builder
	b.WriteString(tmxHead)
	for i := range n {
		fmt.Fprintf(&b, `<tu><tuv xml:lang="nl"><seg>zin nummer %d</seg></tuv><tuv xml:lang="en"><seg>sentence number %d</seg></tuv></tu>`, i, i)
	}
	b.WriteString(`</body></tmx>`)
	return b.String()
}

// slowImport sends doc into memory name in 4 KiB chunks, pausing between
// them, with KeepBoth so that a unit sent twice would be stored twice. It
// returns the answer, its trailer and its error.
func slowImport(ctx context.Context, mem tolkv1.MemoryServiceClient, name, doc string, skip int64, pause time.Duration) (*tolkv1.ImportTmxResponse, metadata.MD, error) {
	s, err := mem.ImportTmx(ctx)
	if err != nil {
		return nil, nil, err
	}
	first := &tolkv1.ImportTmxRequest{Memory: name, Create: true, SkipUnits: skip, Policy: tolkv1.UpdatePolicy_UPDATE_POLICY_KEEP_BOTH}
	for i := 0; i < len(doc); i += 4 << 10 {
		first.Chunk = []byte(doc[i:min(i+4<<10, len(doc))])
		if s.Send(first) != nil {
			break // the server answered; CloseAndRecv says how
		}
		first = &tolkv1.ImportTmxRequest{}
		time.Sleep(pause)
	}
	resp, err := s.CloseAndRecv()
	return resp, s.Trailer(), err
}

func unitCount(t *testing.T, mem tolkv1.MemoryServiceClient, name string) int {
	t.Helper()
	l, err := mem.ListMemories(context.Background(), &tolkv1.ListMemoriesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range l.GetMemories() {
		if m.GetName() == name {
			return int(m.GetUnitCount())
		}
	}
	return 0
}

// TestImportCutReportsCommitted cuts slow imports by a deadline and by the
// server stopping, and checks that the client is told how many units were
// committed (in the message and the trailer), that they are the units
// stored, and that resuming with skip_units completes the memory without
// a unit stored twice.
func TestImportCutReportsCommitted(t *testing.T) {
	const n = 3000
	doc := numberedTMX(n) // ~290 KiB: 72 chunks, ≥ 3.6 s at the pause below
	tests := []struct {
		name     string
		deadline time.Duration
		stopAt   time.Duration // call Server.Stop after this; 0 means never
		code     codes.Code
		why      string
	}{
		{name: "deadline", deadline: 2 * time.Second, code: codes.DeadlineExceeded, why: "the call's deadline passed"},
		{name: "shutdown", stopAt: 500 * time.Millisecond, code: codes.Unavailable, why: "the server is shutting down"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls := startLocal(t, server.Limits{ImportBatch: 100})
			mem := tolkv1.NewMemoryServiceClient(ls.dial(t))
			ctx := context.Background()
			if tt.deadline > 0 {
				var cancel func()
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}
			if tt.stopAt > 0 {
				time.AfterFunc(tt.stopAt, ls.srv.Stop)
			}
			_, trailer, err := slowImport(ctx, mem, "cut", doc, 0, 50*time.Millisecond)
			st := status.Convert(err)
			committed := trailerInt(t, trailer, "tolk-committed-units")
			resume := trailerInt(t, trailer, "tolk-resume-skip")
			want := fmt.Sprintf("import stopped: %s; %d units were committed; resume with skip_units (--skip) %d", tt.why, committed, resume)
			if st.Code() != tt.code || st.Message() != want {
				t.Fatalf("cut import got %v %q;\nwant %v %q", st.Code(), st.Message(), tt.code, want)
			}
			if committed == 0 || committed >= n || resume != committed {
				t.Fatalf("committed %d, resume %d; want the same number between 0 and %d", committed, resume, n)
			}
			if got := unitCount(t, mem, "cut"); got != committed {
				t.Fatalf("the memory holds %d units; the client was told %d", got, committed)
			}
			if tt.stopAt > 0 {
				return // the server stops taking imports
			}
			resp, trailer, err := slowImport(context.Background(), mem, "cut", doc, int64(resume), 0)
			if err != nil {
				t.Fatalf("resuming: %v", err)
			}
			if resp.GetAdded() != int64(n-resume) || unitCount(t, mem, "cut") != n || trailerInt(t, trailer, "tolk-resume-skip") != n {
				t.Errorf("resumed import added %d (want %d); memory holds %d (want %d)", resp.GetAdded(), n-resume, unitCount(t, mem, "cut"), n)
			}
		})
	}
}

func trailerInt(t *testing.T, md metadata.MD, key string) int {
	t.Helper()
	v := md.Get(key)
	if len(v) != 1 {
		t.Fatalf("trailer %q = %q; want one number (trailer %v)", key, v, md)
	}
	n, err := strconv.Atoi(v[0])
	if err != nil {
		t.Fatal(err)
	}
	return n
}
