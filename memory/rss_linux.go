package memory

import (
	"syscall"

	"go.etcd.io/bbolt"
)

// dropMapped takes the database pages that tx has read through bbolt's
// memory map out of the process's resident set (madvise MADV_DONTNEED on
// the shared, read-only mapping): they stay in the page cache, and a later
// read maps them again. Open calls it after reading every index record,
// which would otherwise count the whole index part of the file as the
// server's memory. The caller holds tx open, which keeps bbolt from
// remapping meanwhile (as does a write transaction, which is the one that
// would remap).
func dropMapped(tx *bbolt.Tx) {
	info := tx.DB().Info()
	// Best effort: an error only leaves the pages resident.
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, info.Data, uintptr(tx.Size()), syscall.MADV_DONTNEED)
}
