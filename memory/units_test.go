package memory

import (
	"context"
	"testing"
)

// TestUpdateUnitKeepsIndexAndReopen updates one of two translations of a
// source to the other's target: the "multiple translations" penalty, which
// the index decides from target hashes, must go, and the change must
// survive a reopen of the store (the index records on disk).
func TestUpdateUnitKeepsIndexAndReopen(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	s := openStore(t, db)
	newMemory(t, s, "m")
	res := add(t, s, "m", KeepBoth,
		Unit{Source: "De kat zit op de mat.", Target: "The cat sits on the mat."},
		Unit{Source: "De kat zit op de mat.", Target: "The cat is on the mat."})
	penalised := func(s *Store) bool {
		t.Helper()
		ms, err := s.Lookup(ctx, Query{Text: "De kat zit op de mat.", Memories: []string{"m"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 2 {
			t.Fatalf("%d matches, want 2", len(ms))
		}
		for _, p := range ms[0].Breakdown.Penalties {
			if p.Reason == "multiple translations" {
				return true
			}
		}
		return false
	}
	if !penalised(s) {
		t.Fatal("two translations of one source are not penalised")
	}
	target := "The cat sits on the mat."
	u, err := s.UpdateUnit(ctx, "m", res.IDs[1], UnitUpdate{Target: &target, User: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Target != target || u.ChangedBy != "anna" || u.Source != "De kat zit op de mat." {
		t.Fatalf("updated unit %+v", u)
	}
	if penalised(s) {
		t.Error("after the update both units have one target, yet the penalty stays")
	}
	if penalised(openStore(t, db)) {
		t.Error("after a reopen the penalty is back: the index record on disk was not updated")
	}
	empty := " "
	if _, err := s.UpdateUnit(ctx, "m", res.IDs[0], UnitUpdate{Target: &empty}); err == nil {
		t.Error("a blank target was accepted")
	}
	if got, _ := s.Unit(ctx, "m", res.IDs[0]); got.Target != target {
		t.Errorf("a refused update changed the target to %q", got.Target)
	}
}
