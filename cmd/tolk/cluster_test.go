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

// TestServeClusterTLS starts two nodes with --tls-cert: the join, the
// forwarding between them and Raft traffic all use TLS with the server's
// certificate, which each node trusts.
func TestServeClusterTLS(t *testing.T) {
	ca := newCA(t, "ca")
	cert, key := ca.issue(t, "member", true)
	tlsArgs := []string{"--addr", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key, "--raft-addr", "127.0.0.1:0"}
	a, err := serveInProcess(t, append(tlsArgs, "--node-id", "a1", "--bootstrap")...)
	if err != nil {
		t.Fatal(err)
	}
	b, err := serveInProcess(t, append(tlsArgs, "--node-id", "b1", "--join", a)...)
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLI(b, "tm", "create", "news", "--ca", ca.path); code != 0 {
		t.Fatalf("a write through the follower: %d %q %q", code, out, errOut)
	}
	code, out, errOut := runCLI(a, "stats", "--ca", ca.path)
	if code != 0 || !strings.Contains(out, "memory news") {
		t.Errorf("the leader after a write through the follower: %d %q %q", code, out, errOut)
	}
	code, out, errOut = runCLI(b, "cluster", "status", "--ca", ca.path)
	if code != 0 || !strings.Contains(out, "a1") || !strings.Contains(out, "b1") {
		t.Errorf("cluster status: %d %q %q", code, out, errOut)
	}
}
