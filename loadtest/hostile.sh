#!/usr/bin/env bash
# Hostile-input long run (issue 15): starts a tolk server on loopback with
# the default limits and the seed database, then runs the attacks of
# loadtest/hostile one after the other: 4 TranslateStream documents of
# 64 MiB at a time, then 2,000 idle ImportTmx streams. Each attack runs in
# one process and the lookups (and health checks) in another, both with
# the same quiet period first, so that the attack's client work does not
# slow the lookups' client. Prints, per attack, the server's peak RSS above
# idle, lookup p50/p99 quiet and during the attack, and the health checks
# that answered SERVING. DURATION overrides the 90 s per attack.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$dir"' EXIT
go build -o "$dir/tolk" ./cmd/tolk
go build -o "$dir/hostile" ./loadtest/hostile
"$dir/tolk" serve --db "$dir/hostile.db" --addr 127.0.0.1:50098 --http-addr "" --drain 0 2>"$dir/server.log" &
server=$!
for _ in $(seq 100); do grep -q "tolk listening" "$dir/server.log" && break; sleep 0.1; done
for attack in streams idle; do
  "$dir/hostile" -addr 127.0.0.1:50098 -pid "$server" -attack "$attack" -lookups 0 -duration "${DURATION:-90s}" &
  attacker=$!
  "$dir/hostile" -addr 127.0.0.1:50098 -pid "$server" -attack none -duration "${DURATION:-90s}"
  wait "$attacker"
done
