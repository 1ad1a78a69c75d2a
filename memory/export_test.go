package memory

import "context"

// LookupBrute is Lookup by a scan of every unit that uses neither the
// index nor its bounds: the reference for tests and benchmarks.
func (s *Store) LookupBrute(ctx context.Context, q Query) ([]Match, error) {
	return s.lookup(ctx, q, true)
}
