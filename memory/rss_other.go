//go:build !linux

package memory

import "go.etcd.io/bbolt"

// dropMapped does nothing outside Linux (see rss_linux.go).
func dropMapped(*bbolt.Tx) {}
