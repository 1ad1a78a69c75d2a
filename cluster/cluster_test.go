package cluster_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/tolkdev/tolk/cluster"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/seeds"
)

const batchUnits = 20

// startCluster bootstraps a node and joins two more through it.
func startCluster(t *testing.T) []*testNode {
	t.Helper()
	nodes := []*testNode{newTestNode(t, "n1"), newTestNode(t, "n2"), newTestNode(t, "n3")}
	if err := nodes[0].start(t, true, ""); err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes[1:] {
		if err := n.start(t, false, nodes[0].grpcAddr); err != nil {
			t.Fatalf("joining %s: %v", n.id, err)
		}
		converge(t, nodes)
	}
	return nodes
}

// writer adds batches of KeepBoth units through some node and counts the
// acknowledged ones, and the ones whose outcome the cluster could not tell
// (a leader lost while it committed them: Unavailable, "may or may not be
// applied"). KeepBoth makes an entry applied twice visible: its units
// would be stored twice.
type writer struct {
	t       *testing.T
	mem     string
	acked   int64
	unknown int64
	n       int
}

// add sends one batch through node and reports the call's error.
func (w *writer) add(ctx context.Context, node *testNode) error {
	w.n++
	_, err := node.mem().AddUnits(ctx, &tolkv1.AddUnitsRequest{Memory: w.mem, Units: batch(fmt.Sprintf("batch%d", w.n), batchUnits), Policy: tolkv1.UpdatePolicy_UPDATE_POLICY_KEEP_BOTH})
	switch {
	case err == nil:
		w.acked += batchUnits
	case strings.Contains(err.Error(), "may or may not"):
		w.unknown += batchUnits
	}
	return err
}

// mustAdd adds batches that must succeed, each within ten tries: a try
// that meets an election is tried again as a new batch.
func (w *writer) mustAdd(node *testNode, batches int) {
	w.t.Helper()
	for range batches {
		var err error
		for try := 0; try < 10; try++ {
			if err = w.add(context.Background(), node); status.Code(err) != codes.Unavailable {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			w.t.Fatalf("AddUnits through %s: %v", node.id, err)
		}
	}
}

// checkCounts checks that every live node holds the same units: all the
// acknowledged ones and at most the ones of unknown outcome besides; and
// finds the last batch's units by lookup.
func (w *writer) checkCounts(nodes []*testNode) {
	w.t.Helper()
	converge(w.t, nodes)
	first := int64(-1)
	for _, n := range nodes {
		if n.node == nil {
			continue
		}
		got := n.unitCount(w.t, w.mem)
		if got < w.acked || got > w.acked+w.unknown {
			w.t.Errorf("node %s holds %d units; %d were acknowledged, %d more of unknown outcome", n.id, got, w.acked, w.unknown)
		}
		if first >= 0 && got != first {
			w.t.Errorf("node %s holds %d units, another node %d", n.id, got, first)
		}
		first = got
		src := batch(fmt.Sprintf("batch%d", w.n), batchUnits)[3].GetSource()
		resp, err := n.mem().Lookup(context.Background(), &tolkv1.LookupRequest{Text: src, Memories: []string{w.mem}})
		if err != nil || len(resp.GetMatches()) == 0 || resp.GetMatches()[0].GetSource() != src {
			w.t.Errorf("node %s: lookup of the last batch's unit: %v %v", n.id, resp.GetMatches(), err)
		}
	}
}

// TestCluster runs a three-node cluster in one process: writes through a
// follower reach every node; the seeds were written once through the log;
// the leader is killed and a new one takes writes with no acknowledged
// write lost; the killed node comes back and catches up from the log; a
// node that lagged past a compacted log catches up from a snapshot; a
// follower killed during lookups sent to every node fails only the
// lookups sent to it; two nodes down make writes fail Unavailable while
// local reads answer.
func TestCluster(t *testing.T) {
	nodes := startCluster(t)
	ctx := context.Background()
	seedUnits := nodes[0].unitCount(t, seeds.MemoryName)
	for _, n := range nodes {
		if got := n.unitCount(t, seeds.MemoryName); got != seedUnits || got == 0 {
			t.Fatalf("node %s holds %d seed units, the bootstrapped node %d", n.id, got, seedUnits)
		}
	}

	f := follower(t, nodes)
	if _, err := f.mem().CreateMemory(ctx, &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{Name: "news", SourceLanguage: "nl", TargetLanguage: "en"}}); err != nil {
		t.Fatalf("CreateMemory through follower %s: %v", f.id, err)
	}
	w := &writer{t: t, mem: "news"}
	w.mustAdd(f, 5)
	if got := f.unitCount(t, w.mem); got < w.acked || got > w.acked+w.unknown {
		t.Errorf("follower %s shows %d units right after its acknowledged writes, want %d", f.id, got, w.acked)
	}
	w.checkCounts(nodes)

	// A refused write is refused with its reason through a follower too,
	// and changes nothing.
	_, err := f.mem().CreateMemory(ctx, &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{Name: "news", SourceLanguage: "nl", TargetLanguage: "en"}})
	if status.Code(err) != codes.AlreadyExists {
		t.Fatalf("creating an existing memory through a follower: %v, want AlreadyExists", err)
	}

	t.Run("failover", func(t *testing.T) {
		w.t = t
		old := leader(t, nodes)
		old.stop()
		killed := time.Now()
		survivor := follower(t, nodes)
		// Reads on the live nodes go on while there is no leader.
		for _, n := range nodes {
			if n.node != nil {
				if got := n.unitCount(t, w.mem); got < w.acked || got > w.acked+w.unknown {
					t.Errorf("node %s answers %d units with the leader dead, want %d", n.id, got, w.acked)
				}
			}
		}
		for {
			cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			err := w.add(cctx, survivor)
			cancel()
			if err == nil {
				break
			}
			if time.Since(killed) > 10*time.Second {
				t.Fatalf("no write acknowledged within 10 s of the leader's kill: %v", err)
			}
		}
		t.Logf("failover: first acknowledged write %v after the leader's kill", time.Since(killed).Round(time.Millisecond))
		w.mustAdd(survivor, 3)
		w.checkCounts(nodes)

		// The killed node comes back and catches up from the log, without
		// applying anything twice (KeepBoth would double its units).
		if err := old.start(t, false, ""); err != nil {
			t.Fatalf("restarting %s: %v", old.id, err)
		}
		w.mustAdd(leader(t, nodes), 1)
		w.checkCounts(nodes)
		if r := old.node.Stats().Restores; r != 0 {
			t.Errorf("node %s caught up with %d snapshot restores, want it from the log", old.id, r)
		}
	})

	t.Run("snapshot catch-up", func(t *testing.T) {
		w.t = t
		lag := follower(t, nodes)
		lag.stop()
		l := leader(t, nodes)
		w.mustAdd(l, 12) // more entries than TrailingLogs (4)
		converge(t, nodes)
		for _, n := range nodes { // whichever leads next has compacted its log
			if n.node != nil {
				if err := n.node.Snapshot(); err != nil {
					t.Fatal(err)
				}
			}
		}
		w.mustAdd(l, 1)
		if err := lag.start(t, false, ""); err != nil {
			t.Fatalf("restarting %s: %v", lag.id, err)
		}
		w.checkCounts(nodes)
		if r := lag.node.Stats().Restores; r != 1 {
			t.Errorf("node %s restored %d snapshots, want 1 (the log it lacked was compacted)", lag.id, r)
		}
		if got := lag.unitCount(t, seeds.MemoryName); got != seedUnits {
			t.Errorf("after the snapshot node %s holds %d seed units, want %d", lag.id, got, seedUnits)
		}
	})

	t.Run("leader consistency", func(t *testing.T) {
		w.t = t
		f := follower(t, nodes)
		w.mustAdd(leader(t, nodes), 1)
		rctx := metadata.AppendToOutgoingContext(ctx, cluster.ConsistencyHeader, "leader")
		resp, err := f.mem().GetMemory(rctx, &tolkv1.GetMemoryRequest{Name: w.mem})
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.GetMemory().GetUnitCount(); got != leader(t, nodes).unitCount(t, w.mem) || got < w.acked {
			t.Errorf("read with consistency leader on a follower saw %d units, the leader holds %d, %d were acknowledged", got, leader(t, nodes).unitCount(t, w.mem), w.acked)
		}
		_, err = f.mem().GetMemory(metadata.AppendToOutgoingContext(ctx, cluster.ConsistencyHeader, "strong"), &tolkv1.GetMemoryRequest{Name: w.mem})
		if status.Code(err) != codes.InvalidArgument {
			t.Errorf("an unknown consistency: %v, want InvalidArgument", err)
		}
	})

	t.Run("follower down during lookups", func(t *testing.T) {
		w.t = t
		converge(t, nodes) // every node has the last batch to find
		src := batch(fmt.Sprintf("batch%d", w.n), batchUnits)[3].GetSource()
		dead := follower(t, nodes)
		var addrs []string
		for _, n := range nodes {
			if n.node != nil {
				addrs = append(addrs, n.grpcAddr)
			}
		}
		res := lookupsDuring(t, addrs, src, w.mem, 300*time.Millisecond, 700*time.Millisecond, dead.stop)
		for i, r := range res {
			isDead := addrs[i] == dead.grpcAddr
			switch {
			case r.failBefore > 0:
				t.Errorf("node %s: %d lookups failed before the kill (%v)", addrs[i], r.failBefore, r.lastErr)
			case !isDead && (r.failAfter > 0 || r.okAfter == 0):
				t.Errorf("live node %s after a follower's kill: %d lookups answered, %d failed (%v)", addrs[i], r.okAfter, r.failAfter, r.lastErr)
			case isDead && r.failAfter == 0:
				t.Errorf("the killed node %s kept answering: %d lookups", addrs[i], r.okAfter)
			}
			t.Logf("node %s (killed %v): %d answered before, %d answered and %d failed after", addrs[i], isDead, r.okBefore, r.okAfter, r.failAfter)
		}
	})

	t.Run("no quorum", func(t *testing.T) {
		w.t = t
		last := follower(t, nodes)
		for _, n := range nodes {
			if n != last {
				n.stop()
			}
		}
		cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		start := time.Now()
		err := w.add(cctx, last)
		if c := status.Code(err); c != codes.Unavailable {
			t.Fatalf("a write with two of three nodes down: %v, want Unavailable", err)
		}
		if !strings.Contains(err.Error(), "leader") {
			t.Errorf("the error does not say what is wrong: %v", err)
		}
		t.Logf("no quorum: %v after %v", err, time.Since(start).Round(time.Millisecond))
		if got := last.unitCount(t, w.mem); got < w.acked || got > w.acked+w.unknown {
			t.Errorf("a local read on the last node: %d units, want %d (+ up to %d)", got, w.acked, w.unknown)
		}
		// Health: a node that knows no leader is not ready (NOT_SERVING).
		deadline := time.Now().Add(5 * time.Second)
		for last.node.Ready() == nil && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if err := last.node.Ready(); err == nil || !strings.Contains(err.Error(), "no leader") {
			t.Errorf("the last node's readiness with no leader: %v", err)
		}
	})
}

// lookupCounts counts one node's lookups before and after a kill.
type lookupCounts struct {
	okBefore, failBefore, okAfter, failAfter int
	lastErr                                  error
}

// lookupsDuring sends lookups of text in mem to every address in a loop
// from one goroutine each (its own connection, as a translator's tool
// has), calls kill after before, goes on for after, and returns each
// address's counts. A lookup must find text as its best match to count
// as answered.
func lookupsDuring(t *testing.T, addrs []string, text, mem string, before, after time.Duration, kill func()) []lookupCounts {
	t.Helper()
	res := make([]lookupCounts, len(addrs))
	var killed atomic.Bool
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, addr := range addrs {
		conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		mc := tolkv1.NewMemoryServiceClient(conn)
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &res[i]
			for {
				select {
				case <-stop:
					return
				default:
				}
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				resp, err := mc.Lookup(ctx, &tolkv1.LookupRequest{Text: text, Memories: []string{mem}})
				cancel()
				after := killed.Load() // a call in flight at the kill counts as after it
				if err == nil && (len(resp.GetMatches()) == 0 || resp.GetMatches()[0].GetSource() != text) {
					err = fmt.Errorf("best match %v, want %q", resp.GetMatches(), text)
				}
				switch {
				case err != nil && after:
					r.failAfter, r.lastErr = r.failAfter+1, err
					time.Sleep(10 * time.Millisecond) // a dead node fails at once: do not spin
				case err != nil:
					r.failBefore, r.lastErr = r.failBefore+1, err
				case after:
					r.okAfter++
				default:
					r.okBefore++
				}
			}
		}()
	}
	time.Sleep(before)
	killed.Store(true)
	kill()
	time.Sleep(after)
	close(stop)
	wg.Wait()
	return res
}
