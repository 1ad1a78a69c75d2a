package server_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/server"
)

// TestHealthWhileWritesFail makes the database file unable to grow (the
// process's file size limit, RLIMIT_FSIZE, set to its size: writes fail
// with EFBIG as on a full disk) and checks that a failed write turns
// health NOT_SERVING, and that it turns SERVING again by itself, through
// the write probe, once the file can grow, after which writes succeed.
func TestHealthWhileWritesFail(t *testing.T) {
	ls := startLocal(t, server.Limits{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	go ls.srv.WatchHealth(ctx, 50*time.Millisecond)
	conn := ls.dial(t)
	watch, err := healthpb.NewHealthClient(conn).Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	waitHealth(t, watch, healthpb.HealthCheckResponse_SERVING)

	fi, err := os.Stat(ls.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Skipf("cannot read the file size limit: %v", err)
	}
	limited := old
	limited.Cur = uint64(fi.Size())
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &limited); err != nil {
		t.Skipf("cannot set the file size limit: %v", err)
	}
	restore := func() {
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
			t.Fatal(err)
		}
	}
	defer restore()

	mem := tolkv1.NewMemoryServiceClient(conn)
	add := func() error {
		units := make([]*tolkv1.Unit, 2000)
		for i := range units {
			units[i] = &tolkv1.Unit{Source: fmt.Sprintf("Zin %d %s", i, strings.Repeat("lang ", 80)), Target: fmt.Sprintf("Sentence %d", i)}
		}
		_, err := mem.AddUnits(ctx, &tolkv1.AddUnitsRequest{Memory: seeds.MemoryName, Units: units})
		return err
	}
	if err := add(); err == nil {
		t.Fatal("a write of 1 MB succeeded although the file cannot grow")
	}
	waitHealth(t, watch, healthpb.HealthCheckResponse_NOT_SERVING)
	restore()
	waitHealth(t, watch, healthpb.HealthCheckResponse_SERVING)
	if err := add(); err != nil {
		t.Fatalf("a write after the file can grow again: %v", err)
	}
}

// waitHealth reads the health watch until it reports want.
func waitHealth(t *testing.T, w healthpb.Health_WatchClient, want healthpb.HealthCheckResponse_ServingStatus) {
	t.Helper()
	for {
		resp, err := w.Recv()
		if err != nil {
			t.Fatalf("waiting for health %v: %v", want, err)
		}
		if resp.GetStatus() == want {
			return
		}
	}
}
