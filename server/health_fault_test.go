package server

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/tolkdev/tolk"
)

// TestServerFault checks which failed write calls make the server probe
// whether writes can succeed: storage and limit failures, not the
// client's mistakes, whether the handler's error is a domain error (as it
// reaches the write watch, inside the errors interceptor) or a status.
func TestServerFault(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"disk full from the store", fmt.Errorf("adding units: %w", syscall.ENOSPC), true},
		{"internal domain error", tolk.Errorf(tolk.EINTERNAL, "broken"), true},
		{"limit", &tolk.Error{Code: tolk.ELIMIT, Message: "no space left on device"}, true},
		{"unavailable", tolk.Errorf(tolk.EUNAVAILABLE, "shutting down"), true},
		{"invalid request", tolk.Invalidf("units[0].target", "required"), false},
		{"unknown memory", tolk.Errorf(tolk.ENOTFOUND, "memory %q does not exist", "x"), false},
		{"client canceled", fmt.Errorf("reading: %w", context.Canceled), false},
		{"status Internal", status.Error(codes.Internal, "x"), true},
		{"status InvalidArgument", status.Error(codes.InvalidArgument, "x"), false},
		{"status Canceled from a stream's Recv", status.Error(codes.Canceled, "context canceled"), false},
		{"plain error", errors.New("bbolt: input/output error"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := serverFault(tt.err); got != tt.want {
				t.Errorf("serverFault(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
