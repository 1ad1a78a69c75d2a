package memory

import (
	"context"
	"fmt"
)

// Reload rebuilds the store's in-memory state (the memories' names and
// the index) from its database, after the database's content was replaced
// underneath it: a cluster node restoring a Raft snapshot (package
// cluster). Writes wait for it; a lookup running meanwhile sees the old or
// the new index, never a mix. The caller makes no write to the database
// between the replacement and Reload.
func (s *Store) Reload(ctx context.Context) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	fresh, err := Open(ctx, s.db)
	if err != nil {
		return fmt.Errorf("reloading the memory store: %w", err)
	}
	s.mu.Lock()
	s.names, s.nos = fresh.names, fresh.nos
	s.mu.Unlock()
	s.ix.mu.Lock()
	defer s.ix.mu.Unlock()
	f := fresh.ix
	s.ix.docs, s.ix.post, s.ix.tpost, s.ix.exact, s.ix.bits = f.docs, f.post, f.tpost, f.exact, f.bits
	s.ix.live, s.ix.sortedN, s.ix.parts = f.live, f.sortedN, f.parts
	return nil
}
