#!/usr/bin/python3
"""Time translate-toolkit's translation memory lookup -- the engine behind
its tmserver -- on the queries tmbench wrote, for a side-by-side figure.

usage: tmdb_lookup.py TMDB_FILE QUERIES_FILE [N]

TMDB_FILE is made by `build_tmdb -s nl -t en -d TMDB_FILE file.tmx`;
QUERIES_FILE by `tmbench lookup ... -queries-out FILE`. Runs ANALYZE first
(without it SQLite's plan makes queries far slower). Needs Debian's
translate-toolkit (python3-translate-toolkit) and its python3.
"""
import sqlite3
import sys
import time

from translate.storage.tmdb import TMDB


def main():
    db, qfile = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    con = sqlite3.connect(db)
    con.execute("ANALYZE")
    con.commit()
    # build_tmdb 3.8 records a TMX's languages as it likes ("en" for
    # both sides here): query with the codes the database holds.
    src = con.execute("SELECT lang FROM sources LIMIT 1").fetchone()[0]
    tgt = con.execute("SELECT lang FROM targets LIMIT 1").fetchone()[0]
    con.close()
    # Same settings as Tolk's default lookup: score >= 70, 5 matches.
    tm = TMDB(db, max_candidates=5, min_similarity=70)
    with open(qfile, encoding="utf-8") as f:
        queries = [line.rstrip("\n") for line in f][:n]
    lat, found = [], 0
    for q in queries:
        t = time.perf_counter()
        r = tm.translate_unit(q, src, tgt)
        lat.append(time.perf_counter() - t)
        found += bool(r)
    lat.sort()
    print(
        f"translate-toolkit tmdb: {len(queries)} queries, {found} with matches: "
        f"p50 {lat[len(lat) // 2] * 1000:.0f} ms, mean {sum(lat) / len(lat) * 1000:.0f} ms, "
        f"max {lat[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
