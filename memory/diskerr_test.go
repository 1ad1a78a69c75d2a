package memory

import (
	"errors"
	"io/fs"
	"strings"
	"syscall"
	"testing"

	"github.com/tolkdev/tolk"
)

// TestDiskError classifies the errors a commit can meet as bbolt returns
// them (an *fs.PathError from the write): each says its cause and keeps it.
func TestDiskError(t *testing.T) {
	for _, tc := range []struct {
		errno syscall.Errno
		code  tolk.Code
		msg   string
	}{
		{syscall.ENOSPC, tolk.ELIMIT, "disk full: no space left on device"},
		{syscall.EDQUOT, tolk.ELIMIT, "disk full: disk quota exceeded"},
		{syscall.EROFS, tolk.EUNAVAILABLE, "cannot be written: read-only file system"},
		{syscall.EIO, tolk.EUNAVAILABLE, "cannot be written: input/output error"},
		{syscall.EBADF, tolk.EINTERNAL, "bad file descriptor"},
	} {
		err := diskError(&fs.PathError{Op: "write", Path: "tolk.db", Err: tc.errno})
		if tolk.ErrorCode(err) != tc.code || !strings.Contains(err.Error(), tc.msg) || !errors.Is(err, tc.errno) {
			t.Errorf("%v: %v (code %q), want code %q saying %q", tc.errno, err, tolk.ErrorCode(err), tc.code, tc.msg)
		}
	}
	if diskError(nil) != nil {
		t.Error("diskError(nil) is not nil")
	}
}
