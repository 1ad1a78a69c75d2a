package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/tolkdev/tolk"
)

// reasonOf returns the ErrorInfo reason of st.
func reasonOf(st *status.Status) string {
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info.GetReason()
		}
	}
	return ""
}

// TestToStatusDeadline checks that a call whose deadline passed is reported
// as DeadlineExceeded even when what failed saw only a canceled context
// (a stream's Send after the deadline), and a canceled call as Canceled.
func TestToStatusDeadline(t *testing.T) {
	s := &Server{log: logger(nil)}
	passed, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	canceled, cancel2 := context.WithCancel(context.Background())
	cancel2()
	for _, err := range []error{
		status.Error(codes.Canceled, "context canceled"),
		context.Canceled,
		fmt.Errorf("looking up segment 3: %w", context.Canceled),
		context.DeadlineExceeded,
	} {
		for _, tt := range []struct {
			ctx    context.Context
			code   codes.Code
			reason tolk.Reason
		}{
			{passed, codes.DeadlineExceeded, tolk.ReasonDeadlineExceeded},
			{canceled, codes.Canceled, tolk.ReasonCanceled},
		} {
			if errors.Is(err, context.DeadlineExceeded) && tt.ctx == canceled {
				continue
			}
			st := status.Convert(s.toStatus(tt.ctx, "/m", err))
			if st.Code() != tt.code || reasonOf(st) != string(tt.reason) {
				t.Errorf("%v with ctx %v: %v %s, want %v %s", err, tt.ctx.Err(), st.Code(), reasonOf(st), tt.code, tt.reason)
			}
		}
	}
}

// TestToStatusInternal checks that an error that is not a domain error is
// logged with its details and answered without them.
func TestToStatusInternal(t *testing.T) {
	var logged bytes.Buffer
	s := &Server{log: slog.New(slog.NewTextHandler(&logged, nil))}
	st := status.Convert(s.toStatus(context.Background(), "/tolk.v1.X/Y", errors.New("disk on fire")))
	if st.Code() != codes.Internal || strings.Contains(st.Message(), "fire") || reasonOf(st) != string(tolk.ReasonInternal) {
		t.Errorf("status %v %q %s, want Internal without the details, reason INTERNAL", st.Code(), st.Message(), reasonOf(st))
	}
	if !strings.Contains(logged.String(), "disk on fire") || !strings.Contains(logged.String(), "/tolk.v1.X/Y") {
		t.Errorf("log %q lacks the error or the method", logged.String())
	}
}

// TestGRPCStatusReasons checks that a status made by gRPC or a standard
// service keeps its code and gets the reason of that code.
func TestGRPCStatusReasons(t *testing.T) {
	s := &Server{log: logger(nil)}
	for code, want := range map[codes.Code]tolk.Reason{
		codes.NotFound:          tolk.ReasonNotFound, // health: unknown service
		codes.InvalidArgument:   tolk.ReasonInvalidArgument,
		codes.ResourceExhausted: tolk.ReasonLimitExceeded,
		codes.Unavailable:       tolk.ReasonUnavailable,
		codes.Canceled:          tolk.ReasonCanceled,
		codes.DeadlineExceeded:  tolk.ReasonDeadlineExceeded,
		codes.Unimplemented:     tolk.ReasonInternal,
	} {
		st := status.Convert(s.toStatus(context.Background(), "/m", status.Error(code, "x")))
		if st.Code() != code || reasonOf(st) != string(want) {
			t.Errorf("%v: got %v %s, want %v %s", code, st.Code(), reasonOf(st), code, want)
		}
	}
}
