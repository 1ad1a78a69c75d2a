package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/tolkdev/tolk/client"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// The cluster soak runs real `tolk serve` processes and is not part of
// go test ./...: it takes minutes. Run it with
//
//	TOLK_SOAK=1 go test ./cmd/tolk -run TestClusterSoak -v -timeout 30m
//
// TOLK_SOAK_RUNS (default 3) sets how many kill-the-leader runs it makes;
// TOLK_SOAK_RUNS=0 skips them (import speed and lookups only). The lookups
// subtest needs the shared data (TOLK_DATA, or ../shared/data beside the
// repository) for tmbench mix, and is skipped without it.

// clusterProc is one node of a soak cluster.
type clusterProc struct {
	*process
	id, db, raftAddr string
}

// freeAddr returns a loopback address with a port free right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startClusterProc starts (or restarts) a node process.
func startClusterProc(t *testing.T, bin string, n *clusterProc, flags ...string) {
	t.Helper()
	n.process = startProcess(t, bin, n.db, append([]string{"--node-id", n.id, "--raft-addr", n.raftAddr}, flags...)...)
	t.Cleanup(func() { n.cmd.Process.Kill(); n.cmd.Wait() })
}

// startSoakCluster starts three node processes in dir.
func startSoakCluster(t *testing.T, bin, dir string) []*clusterProc {
	t.Helper()
	nodes := make([]*clusterProc, 3)
	for i := range nodes {
		nodes[i] = &clusterProc{id: fmt.Sprintf("n%d", i+1), db: filepath.Join(dir, fmt.Sprintf("n%d.db", i+1)), raftAddr: freeAddr(t)}
	}
	startClusterProc(t, bin, nodes[0], "--bootstrap")
	for _, n := range nodes[1:] {
		startClusterProc(t, bin, n, "--join", nodes[0].addr)
	}
	return nodes
}

// leaderOf asks a node who leads, waiting up to 10 s for a leader.
func leaderOf(t *testing.T, nodes []*clusterProc, ask *clusterProc) *clusterProc {
	t.Helper()
	cl, err := client.New(ask.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		st, err := cl.Cluster.Status(context.Background(), &tolkv1.StatusRequest{})
		if err == nil && st.GetLeaderId() != "" {
			for _, n := range nodes {
				if n.id == st.GetLeaderId() {
					return n
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no leader within 10 s")
	return nil
}

// importTMX imports path into memory mem through cl from unit skip on and
// returns the units committed (by the trailer) and the call's error.
func importTMX(ctx context.Context, cl *client.Client, path, mem string, skip int64) (int64, error) {
	var trailer metadata.MD
	stream, err := cl.Memory.ImportTmx(ctx, grpc.Trailer(&trailer))
	if err != nil {
		return 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	first := true
	for {
		n, rerr := f.Read(buf)
		if n > 0 {
			msg := &tolkv1.ImportTmxRequest{Chunk: append([]byte(nil), buf[:n]...)}
			if first {
				msg.Memory, msg.Create, msg.SkipUnits, first = mem, true, skip, false
			}
			if stream.Send(msg) != nil {
				break
			}
		}
		if rerr == io.EOF {
			break
		}
	}
	_, err = stream.CloseAndRecv()
	var resume int64 = skip
	if v := trailer.Get("tolk-resume-skip"); len(v) > 0 {
		resume, _ = strconv.ParseInt(v[0], 10, 64)
	}
	if err == nil {
		resume = -1 // done
	}
	return resume, err
}

// importResuming imports path through cl, resuming after a failure from
// the count the server said was committed, as `tolk tm import --skip N`
// does, until the file is in or a minute passed.
func importResuming(t *testing.T, cl *client.Client, path, mem string) {
	t.Helper()
	var skip int64
	deadline := time.Now().Add(time.Minute)
	for {
		next, err := importTMX(context.Background(), cl, path, mem, skip)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("import through a follower still failing after a minute: %v", err)
		}
		t.Logf("import stopped at %d (%v); resuming", next, err)
		skip = next
		time.Sleep(200 * time.Millisecond)
	}
}

// unitCount returns the units of mem on a node, read locally.
func unitCount(t *testing.T, addr, mem string) int64 {
	t.Helper()
	cl, err := client.New(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	resp, err := cl.Memory.GetMemory(context.Background(), &tolkv1.GetMemoryRequest{Name: mem})
	if err != nil {
		t.Fatalf("GetMemory on %s: %v", addr, err)
	}
	return resp.GetMemory().GetUnitCount()
}

// waitCount waits up to 30 s for a node to hold want units of mem.
func waitCount(t *testing.T, n *clusterProc, mem string, want int64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := unitCount(t, n.addr, mem)
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("node %s holds %d units of %s, want %d", n.id, got, mem, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestClusterSoak: three processes; a 20,000-unit import through a
// follower; the leader killed with SIGKILL halfway; the time to the next
// acknowledged write; every unit on the survivors, their files sound;
// the killed node restarted catches up. Then the import speed through the
// leader against a single node, in the same run.
func TestClusterSoak(t *testing.T) {
	if os.Getenv("TOLK_SOAK") == "" {
		t.Skip("set TOLK_SOAK=1 to run the cluster soak (minutes)")
	}
	runs := 3
	if v, err := strconv.Atoi(os.Getenv("TOLK_SOAK_RUNS")); err == nil && v >= 0 {
		runs = v
	}
	bin := buildTolk(t)
	const units = 20000
	tmx := writeTMX(t, units)
	var failovers []time.Duration
	for run := range runs {
		t.Run(fmt.Sprintf("run %d", run+1), func(t *testing.T) {
			failovers = append(failovers, soakRun(t, bin, tmx, units))
		})
	}
	slices.Sort(failovers)
	if len(failovers) > 0 {
		t.Logf("failover (leader SIGKILL → first acknowledged write) over %d runs: median %v, max %v", len(failovers), failovers[len(failovers)/2], failovers[len(failovers)-1])
	}
	t.Run("import speed", func(t *testing.T) { soakSpeed(t, bin, tmx, units) })
	t.Run("lookups", func(t *testing.T) { soakLookups(t, bin) })
}

// soakRun makes one kill-the-leader run and returns the failover time.
func soakRun(t *testing.T, bin, tmx string, units int64) time.Duration {
	dir := t.TempDir()
	nodes := startSoakCluster(t, bin, dir)
	l := leaderOf(t, nodes, nodes[0])
	var f, other *clusterProc
	for _, n := range nodes {
		switch {
		case n == l:
		case f == nil:
			f = n
		default:
			other = n
		}
	}
	cl, err := client.New(f.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	done := make(chan struct{})
	go func() { defer close(done); importResuming(t, cl, tmx, "soak") }()
	f.waitCommitted(t, int(units/2))
	if err := l.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	l.cmd.Wait()
	ocl, err := client.New(other.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer ocl.Close()
	var probes int64
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := ocl.Memory.AddUnits(ctx, &tolkv1.AddUnitsRequest{Memory: "probe", Units: []*tolkv1.Unit{{Source: "De proef " + strconv.FormatInt(probes, 10) + ".", Target: "The probe."}}})
		cancel()
		if err == nil {
			break
		}
		if _, cerr := ocl.Memory.CreateMemory(context.Background(), &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{Name: "probe", SourceLanguage: "nl", TargetLanguage: "en"}}); cerr == nil {
			continue
		}
		if time.Since(killed) > 30*time.Second {
			t.Fatalf("no write acknowledged 30 s after the leader's kill: %v", err)
		}
		probes++
	}
	failover := time.Since(killed)
	t.Logf("failover: %v", failover.Round(time.Millisecond))
	<-done
	for _, n := range []*clusterProc{f, other} {
		waitCount(t, n, "soak", units)
	}
	// The killed node comes back and catches up.
	startClusterProc(t, bin, l)
	waitCount(t, l, "soak", units)
	for _, n := range nodes {
		n.cmd.Process.Signal(syscall.SIGTERM)
		n.cmd.Wait()
		openChecked(t, n.db).Close()
	}
	return failover
}

// soakSpeed imports the file into a single node and through the leader of
// a three-node cluster, and logs units/s of each and their ratio.
func soakSpeed(t *testing.T, bin, tmx string, units int64) {
	single := startProcess(t, bin, filepath.Join(t.TempDir(), "single.db"))
	t.Cleanup(func() { single.cmd.Process.Kill(); single.cmd.Wait() })
	nodes := startSoakCluster(t, bin, t.TempDir())
	l := leaderOf(t, nodes, nodes[0])
	speed := func(addr string) float64 {
		cl, err := client.New(addr)
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		start := time.Now()
		if _, err := importTMX(context.Background(), cl, tmx, "speed", 0); err != nil {
			t.Fatal(err)
		}
		return float64(units) / time.Since(start).Seconds()
	}
	one, three := speed(single.addr), speed(l.addr)
	t.Logf("import of %d units: single node %.0f units/s, 3-node cluster through the leader %.0f units/s, ratio %.2f", units, one, three, three/one)
}
