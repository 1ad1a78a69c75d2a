package snapshot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

func openDB(t *testing.T, path string) *bbolt.DB {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// fill writes n keys of 1 KiB into bucket b.
func fill(t *testing.T, db *bbolt.DB, from, n int) {
	t.Helper()
	err := db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("b"))
		if err != nil {
			return err
		}
		for i := from; i < from+n; i++ {
			if err := b.Put(fmt.Appendf(nil, "%08d", i), make([]byte, 1024)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTake copies a database, leaves no file behind, holds no transaction
// while the copy is read (a write that grows the file goes through), and
// the copy opens with what the database held when it was taken.
func TestTake(t *testing.T) {
	dir := t.TempDir()
	db := openDB(t, filepath.Join(dir, "tolk.db"))
	fill(t, db, 0, 2000)
	snap, err := Take(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the directory holds %d files, want only the database", len(ents))
	}
	done := make(chan struct{})
	go func() { fill(t, db, 2000, 8000); close(done) }()
	// Blocked by a transaction the write would wait for ever; a minute
	// leaves room for a machine loaded by other builds.
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("a write that grows the file waited for the unread snapshot")
	}
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	out, err := os.Create(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := io.Copy(out, snap); err != nil || n != snap.Size {
		t.Fatalf("read %d of %d bytes: %v", n, snap.Size, err)
	}
	out.Close()
	keys := 0
	if err := openDB(t, copyPath).View(func(tx *bbolt.Tx) error {
		keys = tx.Bucket([]byte("b")).Stats().KeyN
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if keys != 2000 {
		t.Errorf("the copy holds %d keys, want the 2000 of the moment it was taken", keys)
	}
}

// TestTakeCanceled stops a snapshot whose context is done.
func TestTakeCanceled(t *testing.T) {
	db := openDB(t, filepath.Join(t.TempDir(), "tolk.db"))
	fill(t, db, 0, 100)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Take(ctx, db); !errors.Is(err, context.Canceled) {
		t.Fatalf("Take with a canceled context: %v, want context.Canceled", err)
	}
}
