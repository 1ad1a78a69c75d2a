#!/usr/bin/env bash
# Import path ratio: the same TMX imported in-process (tmbench import) and
# through the CLI over gRPC (tolk tm import → ImportTmxStream), reporting
# each one's CPU time and peak RSS and the ratios gRPC / in-process, in one
# run. The server's CPU and peak RSS are read from /proc before it stops;
# they include its start (a fresh database, no seed: ~20 MB, ~0.1 s).
#
#   memory/bench/importpath.sh [N]        # N units (default 100000) of tmbench mix
#   TMX=file.tmx memory/bench/importpath.sh
#
# Run from the repository root; TOLK_DATA is the shared data folder (default
# ../shared/data); WORK the scratch folder (default a fresh one in /tmp).
set -euo pipefail
cd "$(dirname "$0")/../.."
export TOLK_DATA="${TOLK_DATA:-../shared/data}"
n="${1:-100000}"
dir="${WORK:-$(mktemp -d)}"
mkdir -p "$dir"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -f "$dir/inproc.db" "$dir/grpc.db" "$dir/server.log"
}
trap cleanup EXIT
go build -o "$dir/tolk" ./cmd/tolk
go build -o "$dir/tmbench" ./memory/cmd/tmbench
tmx="${TMX:-$dir/mix$n.tmx}"
[ -f "$tmx" ] || "$dir/tmbench" mix -n "$n" -o "$tmx"

# In-process: prints "... (CPU Xs); peak RSS N kB; ..."
in=$("$dir/tmbench" import -db "$dir/inproc.db" "$tmx")
echo "in-process: $in"
in_cpu=$(sed -E 's/.*\(CPU ([0-9.]+)s\).*/\1/' <<<"$in")
in_rss=$(sed -E 's/.*peak RSS ([0-9]+) kB.*/\1/' <<<"$in")

port=$((50200 + RANDOM % 500))
"$dir/tolk" serve --db "$dir/grpc.db" --addr "127.0.0.1:$port" --no-seed ${PPROF:+--metrics-addr 127.0.0.1:$((port+1)) --pprof} 2>"$dir/server.log" &
server=$!
for _ in $(seq 100); do grep -q "tolk listening" "$dir/server.log" && break; sleep 0.1; done
tck=$(getconf CLK_TCK)
cpu() { awk -v t="$tck" '{print ($14+$15)/t}' "/proc/$server/stat"; }
start_cpu=$(cpu)
t0=$(date +%s.%N)
if [ -n "${PPROF:-}" ]; then
  (sleep "${PPROF_AFTER:-10}"; curl -s -o "$dir/cpu.pprof" "http://127.0.0.1:$((port+1))/debug/pprof/profile?seconds=${PPROF_SECONDS:-15}"
   curl -s -o "$dir/heap.pprof" "http://127.0.0.1:$((port+1))/debug/pprof/heap") &
fi
TOLK_ADDR="127.0.0.1:$port" "$dir/tolk" tm import "$tmx" --memory bench --policy keep-both
t1=$(date +%s.%N)
grep -E 'VmHWM|RssAnon|RssFile' "/proc/$server/status" | tr -s ' \t\n' ' '; echo
g_cpu=$(awk -v a="$(cpu)" -v b="$start_cpu" 'BEGIN{printf "%.2f", a-b}')
g_rss=$(awk '/VmHWM/{print $2}' "/proc/$server/status")
kill "$server"; wait "$server" 2>/dev/null || true; server=""
awk -v ic="$in_cpu" -v ir="$in_rss" -v gc="$g_cpu" -v gr="$g_rss" -v w="$(awk -v a="$t1" -v b="$t0" 'BEGIN{print a-b}')" 'BEGIN{
  printf "gRPC server: CPU %.2fs, peak RSS %d kB, wall %.2fs\n", gc, gr, w
  printf "ratio gRPC/in-process: CPU %.2f, peak RSS %.2f\n", gc/ic, gr/ir }'
