//go:build !race

// Package race tells tests whether the race detector is on, so that a test
// whose full size would take minutes under the detector can run a smaller
// sample there; .ci/run also runs those tests at full size without it.
package race

// Enabled reports whether the binary was built with -race.
const Enabled = false
