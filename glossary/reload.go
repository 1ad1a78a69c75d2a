package glossary

import (
	"context"
	"fmt"
)

// Reload rebuilds the store's in-memory state (concepts, glossaries, the
// recognizer) from its database, after the database's content was
// replaced underneath it: a cluster node restoring a Raft snapshot
// (package cluster). Writes wait for it. The caller makes no write to the
// database between the replacement and Reload.
func (s *Store) Reload(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	fresh, err := Open(ctx, s.db)
	if err != nil {
		return fmt.Errorf("reloading the glossary store: %w", err)
	}
	s.concepts, s.glossaries, s.nTerms, s.stems = fresh.concepts, fresh.glossaries, fresh.nTerms, fresh.stems
	s.names.Store(fresh.names.Load())
	s.matcher.Store(fresh.matcher.Load())
	return nil
}
