// Package snapshot copies a consistent snapshot of a bbolt database into a
// temporary file, so that a backup can be sent to a client as slow as it
// likes without holding a read transaction: bbolt must remap its file to
// grow it, the remap waits for every open read transaction, and every new
// transaction waits behind the remap, so a transaction held across a slow
// network stream would stall every other read and write.
//
// Take holds one read transaction only while it copies the database at
// disk speed. The copy lives in a file unlinked as soon as it is created,
// in the database's own directory: nothing is left behind when the server
// stops or dies, and the disk space is freed when the copy is closed.
package snapshot

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"go.etcd.io/bbolt"
)

// File is a snapshot: read it, then Close it to free its disk space.
type File struct {
	f    *os.File
	Size int64 // bytes in the snapshot
}

// Read reads the snapshot from its start.
func (s *File) Read(p []byte) (int, error) { return s.f.Read(p) }

// Close frees the snapshot.
func (s *File) Close() error { return s.f.Close() }

// Take copies a consistent snapshot of db into an unlinked temporary file
// in db's directory. It stops early when ctx is done.
func Take(ctx context.Context, db *bbolt.DB) (*File, error) {
	f, err := os.CreateTemp(filepath.Dir(db.Path()), ".tolk-snapshot-*")
	if err != nil {
		return nil, fmt.Errorf("creating the snapshot file: %w", err)
	}
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return nil, fmt.Errorf("unlinking the snapshot file: %w", err)
	}
	var size int64
	err = db.View(func(tx *bbolt.Tx) error {
		size = tx.Size()
		_, err := tx.WriteTo(ctxWriter{ctx, f})
		return err
	})
	if ctx.Err() != nil {
		err = ctx.Err() // bbolt's WriteTo does not wrap its writer's error
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("copying the database to a snapshot: %w", err)
	}
	return &File{f: f, Size: size}, nil
}

// ctxWriter writes to w until ctx is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
