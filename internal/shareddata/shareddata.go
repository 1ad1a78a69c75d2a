// Package shareddata finds the third-party corpora, schemas and seeds that
// tests read from the shared folder beside the repository. It is the one
// place that knows where that folder is: TOLK_DATA, or ../shared/data
// relative to the repository root.
package shareddata

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Root returns the shared data folder and whether it exists. TOLK_DATA wins;
// otherwise it is ../shared/data beside the repository root.
func Root() (string, bool) {
	dir := os.Getenv("TOLK_DATA")
	if dir == "" {
		_, file, _, _ := runtime.Caller(0)
		// file is <repo>/internal/shareddata/shareddata.go
		dir = filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "data")
	}
	fi, err := os.Stat(dir)
	return dir, err == nil && fi.IsDir()
}

// Path returns the path of rel inside the shared data folder, skipping the
// test with a clear message when the folder is not there (CI's .ci/run
// fails in that case, so CI never skips).
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	dir, ok := Root()
	if !ok {
		tb.Skipf("shared data folder %s not found: set TOLK_DATA to the folder holding SOURCES.md to run this test", dir)
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("shared data: %v", err)
	}
	return p
}
