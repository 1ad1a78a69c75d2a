package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/server"
)

const tmxHead = `<tmx version="1.4"><header srclang="nl" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body>`

// holdImport starts an ImportTmx that names its memory and then sends
// nothing, so the server holds it open as a running heavy call until
// cancel is called. It returns once the server has answered the first
// message's memory check (a Lookup on the same connection after it is
// ordered behind it).
func holdImport(t *testing.T, mem tolkv1.MemoryServiceClient, name string) (cancel func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := mem.ImportTmx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(&tolkv1.ImportTmxRequest{Memory: name, Create: true, Chunk: []byte(tmxHead)}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		l, err := mem.ListMemories(context.Background(), &tolkv1.ListMemoriesRequest{})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range l.GetMemories() {
			if m.GetName() == name {
				return true
			}
		}
		return false
	})
	return cancel
}

// waitFor polls cond for up to 10 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatal("condition not met within 10 s")
		}
	}
}

// TestAdmission holds MaxHeavyCalls imports open and checks what the next
// heavy call gets: refused with ResourceExhausted after the wait, cut by
// its own deadline, or let in once a running call ends; light calls pass
// meanwhile.
func TestAdmission(t *testing.T) {
	tests := []struct {
		name     string
		wait     time.Duration // Limits.HeavyWait
		deadline time.Duration // of the extra call; 0 means none
		free     bool          // end one held call 200 ms after the extra one starts
		code     codes.Code
		msg      string
	}{
		{name: "refused after the wait", wait: 300 * time.Millisecond, code: codes.ResourceExhausted, msg: "server busy: 2 heavy calls running"},
		{name: "own deadline first", wait: 10 * time.Second, deadline: 300 * time.Millisecond, code: codes.DeadlineExceeded},
		{name: "let in when one ends", wait: 10 * time.Second, free: true, code: codes.OK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls := startLocal(t, server.Limits{MaxHeavyCalls: 2, HeavyWait: tt.wait})
			conn := ls.dial(t)
			mem := tolkv1.NewMemoryServiceClient(conn)
			first := holdImport(t, mem, "held1")
			defer first()
			defer holdImport(t, mem, "held2")()
			if _, err := mem.Lookup(context.Background(), &tolkv1.LookupRequest{Text: "De minister bezocht de ambassade."}); err != nil {
				t.Fatalf("a light call while the heavy ones are full: %v", err)
			}
			ctx := context.Background()
			if tt.deadline > 0 {
				var cancel func()
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}
			if tt.free {
				time.AfterFunc(200*time.Millisecond, first)
			}
			start := time.Now()
			err := importTMX(ctx, mem, "extra", tmxHead+`</body></tmx>`)
			st := status.Convert(err)
			if st.Code() != tt.code || !strings.Contains(st.Message(), tt.msg) {
				t.Fatalf("the third heavy call got %v %q; want %v %q", st.Code(), st.Message(), tt.code, tt.msg)
			}
			if took := time.Since(start); took < 150*time.Millisecond {
				t.Errorf("the third heavy call was answered after %v; it should have waited", took)
			}
		})
	}
}
