package access

import "context"

// Reload reads the tokens again from the database, after its content was
// replaced underneath the store: a cluster node restoring a Raft snapshot
// (package cluster).
func (s *Store) Reload(context.Context) error { return s.reload() }
