package main

import (
	"context"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/tolkdev/tolk/client"
	"github.com/tolkdev/tolk/internal/shareddata"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// soakLookups (part of TestClusterSoak) loads 20,000 units recombined
// from real sentence pairs (tmbench mix) into a single node
// and a three-node cluster, then measures in the same run the lookups/s
// of the single node, of one cluster node taking all the load, and of the
// three cluster nodes sharing it (the same number of clients in each);
// then kills a follower while every node is sent lookups and checks that
// only the lookups sent to it fail.
func soakLookups(t *testing.T, bin string) {
	const units = 20000
	tmx, queries := mixTMX(t, units)
	single := startProcess(t, bin, filepath.Join(t.TempDir(), "single.db"))
	t.Cleanup(func() { single.cmd.Process.Kill(); single.cmd.Wait() })
	nodes := startSoakCluster(t, bin, t.TempDir())
	l := leaderOf(t, nodes, nodes[0])
	for _, addr := range []string{single.addr, l.addr} {
		cl, err := client.New(addr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := importTMX(context.Background(), cl, tmx, "look", 0); err != nil {
			t.Fatal(err)
		}
		cl.Close()
	}
	held := unitCount(t, single.addr, "look") // mix repeats some pairs, which the import merges
	queries = matching(t, single.addr, queries)
	for _, n := range nodes {
		waitCount(t, n, "look", held)
	}
	const clients, dur = 6, 5 * time.Second
	one := lookupRate(t, []string{single.addr}, clients, queries, dur)
	first := lookupRate(t, []string{nodes[0].addr}, clients, queries, dur)
	var addrs []string
	for _, n := range nodes {
		addrs = append(addrs, n.addr)
	}
	three := lookupRate(t, addrs, clients/len(addrs), queries, dur)
	t.Logf("lookups/s (fuzzy, tmbench mix units) with %d clients over %v, %d units: single node %.0f; one of three cluster nodes serving %.0f; three serving %.0f + %.0f + %.0f = %.0f",
		clients, dur, held, one[0], first[0], three[0], three[1], three[2], three[0]+three[1]+three[2])

	var f *clusterProc
	for _, n := range nodes {
		if n != l {
			f = n
		}
	}
	kill := func() {
		f.cmd.Process.Signal(syscall.SIGKILL)
		f.cmd.Wait()
		t.Logf("follower %s ended: %v", f.id, f.cmd.ProcessState) // "signal: killed" unless it had died before
	}
	for i, r := range lookupsAround(t, addrs, queries, 2*time.Second, 3*time.Second, kill) {
		dead := nodes[i] == f
		switch {
		case r.failBefore > 0:
			t.Errorf("node %s: %d lookups failed before the kill (%v, last at %v)", nodes[i].id, r.failBefore, r.lastErr, r.failedAt)
		case !dead && (r.failAfter > 0 || r.okAfter == 0):
			t.Errorf("live node %s after a follower's SIGKILL: %d lookups answered, %d failed (%v)", nodes[i].id, r.okAfter, r.failAfter, r.lastErr)
		case dead && r.failAfter == 0:
			t.Errorf("the killed node %s kept answering: %d lookups", nodes[i].id, r.okAfter)
		}
		t.Logf("follower SIGKILL during lookups: node %s (killed %v): %d answered before, %d answered and %d failed after", nodes[i].id, dead, r.okBefore, r.okAfter, r.failAfter)
	}
}

// mixTMX writes a TMX of n units recombined from the shared corpus's
// sentence pairs by tmbench mix, and returns it with fuzzy queries: the
// sources of every 50th unit with their last word dropped. It skips the
// test when the shared data is not there.
func mixTMX(t *testing.T, n int) (string, []string) {
	t.Helper()
	root, ok := shareddata.Root()
	if !ok {
		t.Skip("shared data (TOLK_DATA) not found: tmbench mix needs its corpus")
	}
	path := filepath.Join(t.TempDir(), "mix.tmx")
	out, err := exec.Command("go", "run", "../../memory/cmd/tmbench", "mix", "-n", strconv.Itoa(n), "-o", path, "-data", root).CombinedOutput()
	if err != nil {
		t.Fatalf("tmbench mix: %v\n%s", err, out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var queries []string
	for i, m := range nlSeg.FindAllSubmatch(data, -1) {
		words := strings.Fields(html.UnescapeString(string(m[1])))
		if i%50 == 0 && len(words) > 3 {
			queries = append(queries, strings.Join(words[:len(words)-1], " "))
		}
	}
	if len(queries) == 0 {
		t.Fatal("no Dutch segments found in the mixed TMX")
	}
	return path, queries
}

// matching returns the queries that find a match on the node at addr.
func matching(t *testing.T, addr string, queries []string) []string {
	t.Helper()
	cl, err := client.New(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	var kept []string
	for _, q := range queries {
		resp, err := cl.Memory.Lookup(context.Background(), &tolkv1.LookupRequest{Text: q, Memories: []string{"look"}})
		if err != nil {
			t.Fatalf("lookup on %s: %v", addr, err)
		}
		if len(resp.GetMatches()) > 0 {
			kept = append(kept, q)
		}
	}
	if len(kept) < len(queries)/2 {
		t.Fatalf("only %d of %d queries find a match", len(kept), len(queries))
	}
	return kept
}

var nlSeg = regexp.MustCompile(`<tuv xml:lang="nl-NL">\s*<seg>([^<]*)</seg>`)

// lookupRate runs perAddr clients against each address for dur, each
// sending lookups of random queries one after another, and returns
// each address's answered lookups per second. A failed lookup or one
// without a match fails the test.
func lookupRate(t *testing.T, addrs []string, perAddr int, queries []string, dur time.Duration) []float64 {
	t.Helper()
	counts := make([]atomic.Int64, len(addrs))
	var wg sync.WaitGroup
	end := time.Now().Add(dur)
	for i, addr := range addrs {
		cl, err := client.New(addr)
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		for range perAddr {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Now().Before(end) {
					resp, err := cl.Memory.Lookup(context.Background(), &tolkv1.LookupRequest{Text: queries[rand.IntN(len(queries))], Memories: []string{"look"}})
					if err != nil || len(resp.GetMatches()) == 0 {
						t.Errorf("lookup on %s: %v %v", addr, resp.GetMatches(), err)
						return
					}
					counts[i].Add(1)
				}
			}()
		}
	}
	wg.Wait()
	rates := make([]float64, len(addrs))
	for i := range counts {
		rates[i] = float64(counts[i].Load()) / dur.Seconds()
	}
	return rates
}

// lookupCounts counts one node's lookups before and after a kill.
type lookupCounts struct {
	okBefore, failBefore, okAfter, failAfter int
	lastErr                                  error
	failedAt                                 time.Time // of the last failure
}

// lookupsAround sends lookups to every address in a loop, one client
// each, calls kill after before, goes on for after, and returns each
// address's counts; a call in flight at the kill counts as after it.
func lookupsAround(t *testing.T, addrs []string, queries []string, before, after time.Duration, kill func()) []lookupCounts {
	t.Helper()
	res := make([]lookupCounts, len(addrs))
	var killed atomic.Bool
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, addr := range addrs {
		cl, err := client.New(addr)
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
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
				resp, err := cl.Memory.Lookup(ctx, &tolkv1.LookupRequest{Text: queries[rand.IntN(len(queries))], Memories: []string{"look"}})
				cancel()
				if err == nil && len(resp.GetMatches()) == 0 {
					err = fmt.Errorf("no match")
				}
				afterKill := killed.Load()
				switch {
				case err != nil && afterKill:
					r.failAfter, r.lastErr = r.failAfter+1, err
					time.Sleep(10 * time.Millisecond) // a dead node fails at once: do not spin
				case err != nil:
					r.failBefore, r.lastErr, r.failedAt = r.failBefore+1, err, time.Now()
				case afterKill:
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
