package cluster

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/raft"
	"go.etcd.io/bbolt"

	"github.com/tolkdev/tolk/access"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/memory"
)

// openFSM opens the stores of a bbolt file in dir and a state machine
// over them.
func openFSM(t *testing.T, path string) (*FSM, func()) {
	t.Helper()
	ctx := context.Background()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	st := Stores{DB: db}
	if st.Memory, err = memory.Open(ctx, db); err != nil {
		t.Fatal(err)
	}
	if st.Glossary, err = glossary.Open(ctx, db); err != nil {
		t.Fatal(err)
	}
	if st.Access, err = access.Open(ctx, db); err != nil {
		t.Fatal(err)
	}
	f, err := NewFSM(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return f, func() { db.Close() }
}

// testLog is a log of every kind of write, with the times and entropy a
// leader would have fixed, as entries 1..n.
func testLog(t *testing.T) []*raft.Log {
	t.Helper()
	at := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	target, user := "The minister spoke.", "ed"
	props := []memory.Prop{}
	cmds := []Command{
		{Op: OpInit, ClusterID: "c1"},
		{Op: OpSetNode, NodeID: "n1", GRPCAddr: "127.0.0.1:1"},
		{Op: OpCreateMemory, NewMemory: &memory.Memory{Name: "news", SourceLang: "nl", TargetLang: "en"}},
		{Op: OpAddUnits, Memory: "news", Policy: memory.KeepBoth, Units: []memory.Unit{
			{Source: "De minister sprak.", Target: "The minister talked.", Props: []memory.Prop{{Type: "domain", Value: "politics"}}},
			{Source: "De president belt.", Target: "The president calls."},
		}},
		{Op: OpAddUnits, Memory: "news", Policy: memory.KeepBoth, Units: []memory.Unit{{Source: "De minister sprak.", Target: "The minister spoke."}}},
		{Op: OpUpdateUnit, Memory: "news", UnitID: 1, UnitUpdate: &memory.UnitUpdate{Target: &target, Props: &props, User: user}},
		{Op: OpRecordUsage, Memory: "news", UnitIDs: []uint64{1, 2}, At: at},
		{Op: OpDeleteUnit, Memory: "news", UnitID: 2},
		{Op: OpDeleteUnit, Memory: "news", UnitID: 99}, // refused alike on every node
		{Op: OpCreateGlossary, NewGlossary: &glossary.Glossary{Name: "desk"}},
		{Op: OpUpsertConcepts, Concepts: []glossary.Concept{{Glossary: "desk", Terms: []glossary.Term{{Lang: "nl", Text: "staatshoofd"}, {Lang: "en", Text: "head of state"}}}}},
		{Op: OpImportBatch, Glossary: "desk", Concepts: []glossary.Concept{{Terms: []glossary.Term{{Lang: "nl", Text: "verdrag"}, {Lang: "en", Text: "treaty"}}}}},
		{Op: OpUpsertConcepts, Concepts: []glossary.Concept{{Terms: []glossary.Term{{Lang: "nl", Text: "gezant"}, {Lang: "en", Text: "envoy"}}}}},
		{Op: OpCreateToken, Token: "admin", Scopes: []access.Scope{access.Admin}, Random: make([]byte, 32)},
		{Op: OpCreateToken, Token: "ci", Scopes: []access.Scope{access.Write}, Random: []byte("0123456789abcdef0123456789abcdef")},
		{Op: OpRevokeToken, Token: "ci"},
	}
	logs := make([]*raft.Log, len(cmds))
	for i := range cmds {
		cmds[i].Time = at.Add(time.Duration(i) * time.Minute)
		b, err := cmds[i].encode()
		if err != nil {
			t.Fatal(err)
		}
		logs[i] = &raft.Log{Index: uint64(i + 1), Term: 1, Type: raft.LogCommand, Data: b}
	}
	return logs
}

// dump hashes every bucket, key, value and sequence of the file.
func dump(t *testing.T, db *bbolt.DB) string {
	t.Helper()
	h := sha256.New()
	var walk func(prefix string, b *bbolt.Bucket) error
	walk = func(prefix string, b *bbolt.Bucket) error {
		fmt.Fprintf(h, "%s seq=%d\n", prefix, b.Sequence())
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				return walk(prefix+"/"+string(k), b.Bucket(k))
			}
			fmt.Fprintf(h, "%s %q=%q\n", prefix, k, v)
			return nil
		})
	}
	err := db.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error { return walk(string(name), b) })
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestFSMDeterministic applies the same log to two fresh files and
// compares every byte they hold; then applies the log again to one of them
// after a restart, as Raft does when it replays its log, and checks that
// nothing changed (no entry applied twice).
func TestFSMDeterministic(t *testing.T) {
	logs := testLog(t)
	dir := t.TempDir()
	var sums []string
	for _, name := range []string{"a.db", "b.db"} {
		f, closeDB := openFSM(t, filepath.Join(dir, name))
		for _, l := range logs {
			r := f.Apply(l).(*Result)
			if r.Err != nil && l.Index != 9 {
				t.Fatalf("entry %d: %v", l.Index, r.Err)
			}
			if l.Index == 9 && r.Err == nil {
				t.Fatal("deleting an unknown unit was not refused")
			}
		}
		if f.Applied() != uint64(len(logs)) {
			t.Errorf("applied %d, want %d", f.Applied(), len(logs))
		}
		sums = append(sums, dump(t, f.st.DB))
		closeDB()
	}
	if sums[0] != sums[1] {
		t.Fatal("the same log applied to two fresh files gave different files")
	}

	f, closeDB := openFSM(t, filepath.Join(dir, "a.db"))
	defer closeDB()
	if got := f.Applied(); got != uint64(len(logs)) {
		t.Fatalf("after a restart the file says %d entries are applied, want %d", got, len(logs))
	}
	for _, l := range logs {
		f.Apply(l)
	}
	if dump(t, f.st.DB) != sums[0] {
		t.Fatal("replaying the log after a restart changed the file: entries were applied twice")
	}
	ms, err := f.st.Memory.Memories(context.Background())
	if err != nil || len(ms) != 1 || ms[0].Units != 2 {
		t.Fatalf("memories after replay: %+v %v, want news with 2 units", ms, err)
	}
}

// TestCommandRoundTrip checks that an encoded command decodes to the same
// write: the units of a batch (in gob) and an update that empties a
// unit's properties, which is not one that leaves them alone.
func TestCommandRoundTrip(t *testing.T) {
	empty := []memory.Prop{}
	in := Command{Op: OpUpdateUnit, Memory: "news", UnitID: 7, UnitUpdate: &memory.UnitUpdate{Props: &empty},
		Units: []memory.Unit{{Source: "a", Target: "b", Props: []memory.Prop{{Type: "domain", Value: "x"}}, UsageCount: 3}}}
	b, err := in.encode()
	if err != nil {
		t.Fatal(err)
	}
	out, err := decodeCommand(b)
	if err != nil {
		t.Fatal(err)
	}
	if out.UnitUpdate == nil || out.UnitUpdate.Props == nil || len(*out.UnitUpdate.Props) != 0 || out.UnitUpdate.Target != nil {
		t.Errorf("update decoded as %+v, want Props set to empty and Target absent", out.UnitUpdate)
	}
	if len(out.Units) != 1 || out.Units[0].Props[0].Value != "x" || out.Units[0].UsageCount != 3 || out.UnitID != 7 {
		t.Errorf("units decoded as %+v", out.Units)
	}
	for _, bad := range [][]byte{nil, {2}, b[:3]} {
		if _, err := decodeCommand(bad); err == nil {
			t.Errorf("decoding %q did not fail", bad)
		}
	}
}
