#!/bin/sh
# Side by side on the same 100,000 generated units and the same queries:
# Tolk's memory (tmbench) and translate-toolkit's TM engine (tmserver's
# TMDB.translate_unit). Run from the repository root with TOLK_DATA set.
# Installs Debian's translate-toolkit (3.8.4) when build_tmdb is missing.
set -eu
command -v build_tmdb >/dev/null || { apt-get update -qq && apt-get install -y -qq translate-toolkit; }
: "${TOLK_DATA:?set TOLK_DATA to the shared data folder}"
N=${N:-100000}
DIR=${DIR:-/tmp/tolk-bench}
mkdir -p "$DIR"
go run ./memory/cmd/tmgen -n "$N" -o "$DIR/tm.tmx"
go run ./memory/cmd/tmbench import -db "$DIR/tolk.db" "$DIR/tm.tmx"
go run ./memory/cmd/tmbench lookup -db "$DIR/tolk.db" -n "$N" -queries 1000 -brute 50 -queries-out "$DIR/queries.txt"
rm -f "$DIR/ttk.db"
time build_tmdb -s nl -t en -d "$DIR/ttk.db" "$DIR/tm.tmx"
/usr/bin/python3 memory/bench/tmdb_lookup.py "$DIR/ttk.db" "$DIR/queries.txt" 20
