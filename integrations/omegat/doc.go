// Package omegat holds the Go tests of the Tolk plugin for OmegaT 3.6, a
// Java client of the gRPC API built by build.sh from proto/tolk/v1 (see the
// README's "OmegaT" section). There is no Go code to import here.
package omegat
