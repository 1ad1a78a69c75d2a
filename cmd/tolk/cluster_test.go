package main

import (
	"strings"
	"testing"
)

// TestServeClusterFlags starts `tolk serve` as a one-node cluster in
// process and runs the cluster commands and a leader-consistent read
// against it through the CLI; wrong flag sets are usage errors.
func TestServeClusterFlags(t *testing.T) {
	addr, err := serveInProcess(t, "--addr", "127.0.0.1:0", "--node-id", "n1", "--raft-addr", "127.0.0.1:0", "--bootstrap")
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{addr: addr}
	code, out, errOut := s.run(t, "", "cluster", "status")
	if code != 0 || !strings.Contains(out, "node n1 is Leader") || !strings.Contains(out, "n1           leader") {
		t.Fatalf("cluster status: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := s.run(t, "", "tm", "create", "news"); code != 0 {
		t.Fatalf("tm create through the log: %d %q %q", code, out, errOut)
	}
	code, out, errOut = s.run(t, "", "stats", "--consistency", "leader")
	if code != 0 || !strings.Contains(out, "memory news") {
		t.Errorf("stats --consistency leader: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := s.run(t, "", "stats", "--consistency", "strong"); code != 1 || !strings.Contains(errOut, "local or leader") {
		t.Errorf("an unknown consistency: %d %q", code, errOut)
	}
	if code, _, errOut := s.run(t, "", "cluster", "remove", "n1"); code != 1 || !strings.Contains(errOut, "last voter") {
		t.Errorf("removing the last voter: %d %q", code, errOut)
	}

	for _, args := range [][]string{
		{"--node-id", "n1"},
		{"--node-id", "n1", "--raft-addr", "127.0.0.1:0", "--bootstrap", "--join", "127.0.0.1:1"},
	} {
		if _, err := parseServeFlags(args, &strings.Builder{}); err == nil {
			t.Errorf("serve %v: no usage error", args)
		}
	}
	if _, err := serveInProcess(t, "--addr", "127.0.0.1:0", "--node-id", "n2", "--raft-addr", "127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "--bootstrap") {
		t.Errorf("a first start without --bootstrap or --join: %v", err)
	}
}
