#!/usr/bin/env bash
# Load test: a tolk server on loopback with a 100,000-unit memory, 16
# concurrent Lookup callers for 5 minutes, and a 5,000-unit TMX import every
# 30 seconds. Prints throughput, latency percentiles, errors and the
# server's RSS. Run from the repository root; TOLK_DATA is the shared data
# folder (default ../shared/data). DURATION overrides the 5 minutes,
# IMPORT_EVERY the 30 s (0: lookups only).
set -euo pipefail
cd "$(dirname "$0")/.."
export TOLK_DATA="${TOLK_DATA:-../shared/data}"
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$dir"' EXIT
go build -o "$dir/tolk" ./cmd/tolk
go build -o "$dir/loadtest" ./loadtest
"$dir/tolk" serve --db "$dir/load.db" --addr 127.0.0.1:50099 --http-addr "" --metrics-addr 127.0.0.1:9199 --no-seed 2>"$dir/server.log" &
server=$!
for _ in $(seq 50); do grep -q "tolk listening" "$dir/server.log" && break; sleep 0.1; done
"$dir/loadtest" -addr 127.0.0.1:50099 -metrics http://127.0.0.1:9199/metrics \
  -prepare 100000 -duration "${DURATION:-5m}" -concurrency 16 -import-every "${IMPORT_EVERY:-30s}"
