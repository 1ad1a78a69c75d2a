#!/usr/bin/env bash
# Scale benchmark (issue 18), not part of go test: for each size N given
# (default 1000000), write N units of tmbench mix (real corpus pairs
# recombined, not tmgen), import them through the CLI over gRPC into a
# fresh server (units/s wall, server CPU and peak RSS), then open the
# database in a fresh process (open time, RSS after open) and look up
# 2,000 new queries (tmbench mixlookup: p50/p99, CPU per lookup).
#
#   memory/bench/scale.sh 1000000 2000000 10000000
#
# Run from the repository root. TOLK_DATA is the shared data folder
# (default ../shared/data); WORK the scratch folder (default /tmp/tolkscale;
# a 10M run needs ~20 GB there). KEEP=1 keeps the files; an existing
# database of a size is reused (its import is not rerun).
set -euo pipefail
cd "$(dirname "$0")/../.."
export TOLK_DATA="${TOLK_DATA:-../shared/data}"
dir="${WORK:-/tmp/tolkscale}"
mkdir -p "$dir"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -z "${KEEP:-}" ]; then rm -f "$dir"/scale*.db "$dir"/scale*.tmx; fi
}
trap cleanup EXIT
go build -o "$dir/tolk" ./cmd/tolk
go build -o "$dir/tmbench" ./memory/cmd/tmbench
tck=$(getconf CLK_TCK)
for n in "${@:-1000000}"; do
  db="$dir/scale$n.db"
  if [ ! -f "$db" ]; then
    tmx="$dir/scale$n.tmx"
    [ -f "$tmx" ] || "$dir/tmbench" mix -n "$n" -o "$tmx"
    port=$((50200 + RANDOM % 500))
    "$dir/tolk" serve --db "$db" --addr "127.0.0.1:$port" --no-seed 2>"$dir/server.log" &
    server=$!
    for _ in $(seq 100); do grep -q "tolk listening" "$dir/server.log" && break; sleep 0.1; done
    c0=$(awk -v t="$tck" '{print ($14+$15)/t}' "/proc/$server/stat")
    t0=$(date +%s.%N)
    TOLK_ADDR="127.0.0.1:$port" "$dir/tolk" tm import "$tmx" --memory bench --policy keep-both
    t1=$(date +%s.%N)
    c1=$(awk -v t="$tck" '{print ($14+$15)/t}' "/proc/$server/stat")
    hwm=$(awk '/VmHWM/{print $2}' "/proc/$server/status")
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
    awk -v n="$n" -v a="$t0" -v b="$t1" -v c0="$c0" -v c1="$c1" -v h="$hwm" 'BEGIN{
      printf "%d units: CLI import over gRPC %.0f units/s (wall %.1fs), server CPU %.1fs, server peak RSS %.0f MB\n", n, n/(b-a), b-a, c1-c0, h/1024 }'
    [ -n "${KEEP:-}" ] || rm -f "$tmx"
  fi
  "$dir/tmbench" open -db "$db"
  "$dir/tmbench" mixlookup -db "$db" -queries "${QUERIES:-2000}"
done
