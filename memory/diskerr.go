package memory

import (
	"context"
	"errors"
	"fmt"
	"syscall"

	"github.com/tolkdev/tolk"
	"go.etcd.io/bbolt"
)

// update runs fn in a write transaction; a commit the disk refused comes
// back as diskError says. A replicated write (ctx carries tolk.Applied)
// stores its log index in the same transaction.
func (s *Store) update(ctx context.Context, fn func(*bbolt.Tx) error) error {
	return diskError(s.db.Update(func(tx *bbolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return tolk.PutApplied(ctx, tx)
	}))
}

// diskError says why the disk refused a write, so that the caller can act
// on it: a full disk or quota (ENOSPC, EDQUOT) is ELIMIT, a read-only file
// system or an I/O error (EROFS, EIO) EUNAVAILABLE, each with the cause in
// the message; nothing of the transaction was written. Other errors are
// returned as they are.
func diskError(err error) error {
	var errno syscall.Errno
	if err == nil || !errors.As(err, &errno) {
		return err
	}
	switch errno {
	case syscall.ENOSPC, syscall.EDQUOT:
		return &classified{&tolk.Error{Code: tolk.ELIMIT, Message: fmt.Sprintf("disk full: %v; free space on the database's disk, then send the request again", errno)}, err}
	case syscall.EROFS, syscall.EIO:
		return &classified{&tolk.Error{Code: tolk.EUNAVAILABLE, Message: fmt.Sprintf("the database cannot be written: %v", errno)}, err}
	}
	return err
}

// classified is a *tolk.Error that keeps the error it classifies, so that
// errors.Is(err, syscall.ENOSPC) still holds.
type classified struct {
	e     *tolk.Error
	cause error
}

func (c *classified) Error() string   { return c.e.Error() }
func (c *classified) Unwrap() []error { return []error{c.e, c.cause} }
