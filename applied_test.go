package tolk

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

func TestPutApplied(t *testing.T) {
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "a.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	index := func() uint64 {
		t.Helper()
		var n uint64
		if err := db.View(func(tx *bbolt.Tx) error { n = AppliedIndex(tx); return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	ctx := context.Background()
	if err := db.Update(func(tx *bbolt.Tx) error { return PutApplied(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
	if err := db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(BucketApplied) != nil {
			return errors.New("a write without Applied created the bucket")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	actx := WithApplied(ctx, Applied{Index: 7})
	if err := db.Update(func(tx *bbolt.Tx) error { return PutApplied(actx, tx) }); err != nil {
		t.Fatal(err)
	}
	if got := index(); got != 7 {
		t.Fatalf("applied index %d, want 7", got)
	}
	boom := errors.New("refused")
	err = db.Update(func(tx *bbolt.Tx) error {
		if err := PutApplied(WithApplied(ctx, Applied{Index: 8}), tx); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || index() != 7 {
		t.Fatalf("a failed transaction moved the applied index to %d (err %v)", index(), err)
	}
}

func TestNowAndRandom(t *testing.T) {
	fixed := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return fixed.Add(time.Hour) }
	ctx := context.Background()
	if got := Now(ctx, clock); !got.Equal(clock()) {
		t.Errorf("Now without Applied = %v, want the clock", got)
	}
	actx := WithApplied(ctx, Applied{Time: fixed, Random: []byte{1, 2, 3, 4}})
	if got := Now(actx, clock); !got.Equal(fixed) {
		t.Errorf("Now with Applied = %v, want %v", got, fixed)
	}
	p := make([]byte, 4)
	if err := ReadRandom(actx, p); err != nil || string(p) != "\x01\x02\x03\x04" {
		t.Errorf("ReadRandom = %v, %v", p, err)
	}
	if err := ReadRandom(actx, make([]byte, 5)); err == nil {
		t.Error("ReadRandom with too few carried bytes did not fail")
	}
}
