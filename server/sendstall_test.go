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

// TestStreamSendTimeout starts a TranslateStream whose client reads
// nothing, so that the server's sends stall on flow control, and checks
// that the server ends the call after StreamSendTimeout with Unavailable
// "client too slow", and that the stalled call gives back its heavy-call
// turn (MaxHeavyCalls 1: the next TranslateStream is admitted).
func TestStreamSendTimeout(t *testing.T) {
	const limit = 500 * time.Millisecond
	ls := startLocal(t, server.Limits{StreamSendTimeout: limit, MaxHeavyCalls: 1, HeavyWait: 20 * time.Second})
	tc := tolkv1.NewTranslationServiceClient(ls.dial(t))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stalled, err := tc.TranslateStream(ctx, &tolkv1.TranslateStreamRequest{
		Documents: []*tolkv1.Document{{Id: "big", Text: streamDoc(t, 8<<20)}}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	n, err := translateStream(ctx, tc, "Het staatshoofd zei dat burgers geen schade hadden geleden.")
	if err != nil || n != 1 {
		t.Fatalf("the next call got %d segments, %v; want it admitted once the stalled one is ended", n, err)
	}
	if took := time.Since(start); took < limit {
		t.Errorf("the next call was admitted after %v, before the stalled one could be ended (%v)", took, limit)
	}
	for err == nil { // what the server sent before it gave up, then why
		_, err = stalled.Recv()
	}
	st := status.Convert(err)
	if st.Code() != codes.Unavailable || !strings.Contains(st.Message(), "client too slow") || !strings.Contains(st.Message(), "StreamSendTimeout") {
		t.Fatalf("the stalled call ended with %v %q; want Unavailable, client too slow, naming StreamSendTimeout", st.Code(), st.Message())
	}
}
