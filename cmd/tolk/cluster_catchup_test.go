package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/tolkdev/tolk/client"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// TestClusterCatchUp measures how long a new node takes to catch up from a
// snapshot of a large memory. It is not part of go test ./... (a
// 1,000,000-unit import takes minutes); run it with
//
//	TOLK_SOAK_UNITS=1000000 go test ./cmd/tolk -run TestClusterCatchUp -v -timeout 30m
//
// A single node imports the units; it is restarted with --bootstrap, which
// compacts the data it holds into a snapshot at once (cluster.Open); a
// second node joins with an empty file and is timed from its start until
// it answers every unit (GetMemory's count, read locally) and a lookup of
// the last unit identically to the first node.
func TestClusterCatchUp(t *testing.T) {
	units, err := strconv.ParseInt(os.Getenv("TOLK_SOAK_UNITS"), 10, 64)
	if err != nil || units <= 0 {
		t.Skip("set TOLK_SOAK_UNITS=1000000 to measure catch-up from a snapshot (minutes)")
	}
	bin := buildTolk(t)
	start := time.Now()
	tmx := writeTMX(t, int(units))
	t.Logf("wrote a TMX of %d units in %v", units, time.Since(start).Round(time.Millisecond))
	dir := t.TempDir()
	n1 := &clusterProc{id: "n1", db: filepath.Join(dir, "n1.db"), raftAddr: freeAddr(t)}
	n2 := &clusterProc{id: "n2", db: filepath.Join(dir, "n2.db"), raftAddr: freeAddr(t)}

	single := startProcess(t, bin, n1.db)
	t.Cleanup(func() { single.cmd.Process.Kill(); single.cmd.Wait() })
	cl, err := client.New(single.addr)
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	if _, err := importTMX(context.Background(), cl, tmx, "big", 0); err != nil {
		t.Fatalf("importing %d units into a single node: %v", units, err)
	}
	cl.Close()
	t.Logf("single node imported %d units in %v", units, time.Since(start).Round(time.Millisecond))
	single.cmd.Process.Signal(syscall.SIGTERM)
	single.cmd.Wait()

	start = time.Now()
	startClusterProc(t, bin, n1, "--bootstrap")
	leaderOf(t, []*clusterProc{n1}, n1)
	t.Logf("the single node's file bootstrapped as a cluster (snapshot taken) in %v", time.Since(start).Round(time.Millisecond))

	start = time.Now()
	startClusterProc(t, bin, n2, "--join", n1.addr)
	caughtUp(t, n2, "big", units, 5*time.Minute)
	took := time.Since(start)
	last := "De delegatie " + strconv.FormatInt(units-1, 10) + " sprak over het verdrag nummer " + strconv.FormatInt((units-1)*7, 10) + " met de minister."
	if a, b := lookupFirst(t, n1.addr, "big", last), lookupFirst(t, n2.addr, "big", last); a != b || a == "" {
		t.Errorf("lookup of the last unit: n1 answers %q, n2 %q", a, b)
	}
	fi, _ := os.Stat(n1.db)
	t.Logf("catch-up of a new node from a snapshot at %d units (file %d MB): %v from its start to all units answered locally", units, fi.Size()>>20, took.Round(time.Millisecond))
	for _, n := range []*clusterProc{n1, n2} {
		n.cmd.Process.Signal(syscall.SIGTERM)
		n.cmd.Wait()
		openChecked(t, n.db).Close()
	}
}

// caughtUp waits up to limit for a node to answer want units of mem,
// tolerating errors while it starts and restores.
func caughtUp(t *testing.T, n *clusterProc, mem string, want int64, limit time.Duration) {
	t.Helper()
	cl, err := client.New(n.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	deadline := time.Now().Add(limit)
	var got int64
	for time.Now().Before(deadline) {
		resp, err := cl.Memory.GetMemory(context.Background(), &tolkv1.GetMemoryRequest{Name: mem})
		if err == nil {
			if got = resp.GetMemory().GetUnitCount(); got == want {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("node %s answers %d units of %s after %v, want %d", n.id, got, mem, limit, want)
}

// lookupFirst returns the target of the best match for text in mem on
// the node at addr, read locally.
func lookupFirst(t *testing.T, addr, mem, text string) string {
	t.Helper()
	cl, err := client.New(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	resp, err := cl.Memory.Lookup(context.Background(), &tolkv1.LookupRequest{Text: text, Memories: []string{mem}})
	if err != nil {
		t.Fatalf("lookup on %s: %v", addr, err)
	}
	if len(resp.GetMatches()) == 0 {
		return ""
	}
	return resp.GetMatches()[0].GetTarget()
}
