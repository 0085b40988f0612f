#!/bin/sh
# make bench, section ann: nearest words at scale, one table. For each data
# set, embedlab's SQL nearest() exact and with its index, sqlite-vec 0.1.9's
# vec0 (float brute force; int8 and bit coarse columns re-scored in float as
# its docs show) and FAISS (exact IndexFlatIP; IndexIVFFlat with the usual
# 4 sqrt(n) lists and, up to ANN_FAISS_SAME_MAX rows (default 1,200,000:
# its k-means costs minutes beyond), with embedlab's own list count; each at
# the fewest probes reaching recall@10 0.99): recall@10 against embedlab's
# exact search, ms/query warm, the first query on a fresh connection (the
# load), build time and bytes. Queries run one at a time on one thread; the
# builds (embedlab's index, FAISS' k-means) get ANN_THREADS threads (default
# BENCH_THREADS, else 2). Also the memory-bandwidth bound of exact search,
# and per data set the index and vector bytes, the load time and the peak
# RSS of the import (with the index build) and of one CLI query.
#
# Queries: ANN_QUERIES words of each set (default 200) for embedlab and
# FAISS, ANN_SLOW_QUERIES (default 20) for sqlite-vec, whose scans take
# about 2.5 s a query at 3,000,000 x 300 (20 already pin its recall and
# time); every system also stops after 20 s of warm queries.
#
# Data sets: clustered synthetic unit vectors (experiments/bench/clustered.h,
# N/100 centres, noise ANN_NOISE, default 1.5: clusters that touch) of the
# sizes in ANN_SIZES (default "1000000 3000000", x 300 dims), and with
# ANN_REAL=1 (the default) a real embedding trained here on all IMDB reviews
# with --min-count 1 (dim 300). 3,000,000 x 300 needs about 12 GB at its
# peak (FAISS holds the vectors and an index), the lab.db about 5 GB of disk.
# A small check: ANN_SIZES=20000 ANN_REAL=0 scripts/bench-ann.sh
#
# `scripts/bench-ann.sh micro [N [DIM [CLUSTERS [NOISE [QUERIES]]]]]` runs the
# index alone against exact search in C (experiments/bench/ann_bench.c), for
# tuning: nprobe, recall and ms/query at a few settings (env LISTS,
# PER_LIST, ITERATIONS, THREADS override the build's).
set -eu
cd "$(dirname "$0")/.."
B=${BUILD:-build}
OUT=${ANN_OUT:-bench-out/ann}
E=$B/embedlab
PY=/usr/bin/python3
mkdir -p "$B/bench" "$OUT"
# The Makefile's default flags; the index is pure C (no OpenMP, no BLAS).
cc() { ${CC:-gcc} -std=gnu11 -O3 -march=native -Wall -Wextra -I. "$@" -lm; }

if [ "${1:-}" = micro ]; then
    shift
    N=${1:-100000}
    cc -fopenmp experiments/bench/ann_bench.c db/index/ann.c db/index/ann_build.c core/vecmath.c -o "$B/bench/ann_bench"
    exec "$B/bench/ann_bench" "$N" "${2:-300}" "${3:-$((N / 100))}" "${4:-1.5}" "${5:-200}"
fi

SIZES=${ANN_SIZES:-1000000 3000000}
NOISE=${ANN_NOISE:-1.5}
T=${ANN_THREADS:-${BENCH_THREADS:-2}}
Q=${ANN_QUERIES:-200}
SLOWQ=${ANN_SLOW_QUERIES:-20}
SAME_MAX=${ANN_FAISS_SAME_MAX:-1200000}
scripts/deps.sh python3-faiss python3-numpy >/dev/null
command -v npm >/dev/null 2>&1 || scripts/deps.sh npm >/dev/null
[ -x "$E" ] && [ -f "$B/embedlab_sqlite.so" ] || make --no-print-directory all >/dev/null
cc experiments/bench/clustered_w2v.c core/vecmath.c -o "$B/bench/clustered_w2v"
cc experiments/bench/membw.c -o "$B/bench/membw"
VEC0=$OUT/npm/node_modules/sqlite-vec-linux-x64/vec0.so
if [ ! -f "$VEC0" ]; then
    mkdir -p "$OUT/npm"
    (cd "$OUT/npm" && npm install --silent --no-save --prefix . sqlite-vec@0.1.9 >/dev/null 2>&1) || true
fi
[ -f "$VEC0" ] && VEC0_OPT="--vec0 $VEC0" || VEC0_OPT=""

ROWS=$OUT/rows.jsonl
DB=$OUT/ann.db
rm -f "$ROWS" "$DB" "$DB-wal" "$DB-shm"
bw=$("$B/bench/membw" 1024)
echo "== Nearest words at scale: top-10, one thread, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "memory bandwidth here (one thread, streaming read): $bw GB/s"

# rss FILE CMD...: runs CMD, its peak resident set (MB) into FILE.
rss() {
    rss_out=$1
    shift
    /usr/bin/time -f %M -o "$rss_out.kb" "$@"
    awk '{ printf "%.0f", $1 / 1024 }' "$rss_out.kb" >"$rss_out"
}

# measure LABEL NAME W2V_FILE: the embedding NAME is in $DB (its index
# built when it was imported or trained, peak RSS in $OUT/NAME.rss);
# every system measures it.
measure() {
    $E embed index --db "$DB" --check "$2" >"$OUT/check.txt"
    cat "$OUT/check.txt" >&2
    build=$(sed -n 's/.*built in \([0-9.]*\) s.*/\1/p' "$OUT/$2.log" | tail -1)
    bytes=$(awk '/^Index of/ { for (i = 1; i <= NF; i++) { if ($i == "(index") ix = $(i + 1); if ($i == "vectors") v = $(i + 1) }
        printf "%.0f", (ix + v) * 1e6 }' "$OUT/check.txt")
    lists=$(sed -n 's/^Index of [^:]*: \([0-9]*\) lists.*/\1/p' "$OUT/check.txt")
    n=$(sqlite3 "$DB" "SELECT vocab_size || ' ' || dim FROM embeddings WHERE name = '$2'")
    awk -v bw="$bw" -v nd="$n" -v l="$1" 'BEGIN { split(nd, a, " "); printf "%s: exact search reads %.0f MB per query: at %s GB/s at least %.1f ms\n", l, a[1] * a[2] * 4 / 1e6, bw, a[1] * a[2] * 4 / 1e6 / bw }' >>"$OUT/bounds.txt"
    # One CLI query through the index: what loading it costs in memory.
    word=$(sqlite3 "$DB" "SELECT word FROM vectors v JOIN embeddings e ON e.id = v.embedding_id WHERE e.name = '$2' AND rank = 1")
    rss "$OUT/query.rss" $E nearest --db "$DB" --embedding "$2" "$word" -k 10 --time >/dev/null 2>"$OUT/query.err"
    load=$(sed -n 's/^load: index and unit vectors \([0-9.]*\) ms.*/\1/p' "$OUT/query.err")
    sed -n 's/^Index of [^:]*: \(.*\)/\1/p' "$OUT/check.txt" |
        awk -v l="$1" -v b="$(cat "$OUT/$2.rss")" -v q="$(cat "$OUT/query.rss")" -v ld="$load" \
            '{ printf "%s: %s; peak RSS: import + index build %s MB, one CLI query (index + vectors loaded in %s ms) %s MB\n", l, $0, b, ld, q }' \
            >>"$OUT/memory.txt"
    echo "measuring $1 ..." >&2
    same=""
    [ "${n%% *}" -le "$SAME_MAX" ] && [ -n "$lists" ] && same="--faiss-lists $lists"
    $PY experiments/bench/ann_peers.py "$DB" "$2" "$B/embedlab_sqlite.so" "$3" "$ROWS" $VEC0_OPT --label "$1" \
        ${build:+--index-build "$build"} ${bytes:+--index-bytes "$bytes"} --threads "$T" --queries "$Q" \
        --slow-queries "$SLOWQ" $same --scratch "$OUT"
}

rm -f "$OUT/bounds.txt" "$OUT/memory.txt"
for n in $SIZES; do
    f=$OUT/clustered-$n.bin
    "$B/bench/clustered_w2v" "$n" 300 $((n / 100)) "$NOISE" "$f"
    # The import builds the index (4,000,000 floats or more); a smaller set
    # gets one from embed index.
    rss "$OUT/clustered-$n.rss" $E embed import --db "$DB" --name "clustered-$n" --threads "$T" "$f" \
        >"$OUT/clustered-$n.log"
    grep -q '^Indexed' "$OUT/clustered-$n.log" ||
        rss "$OUT/clustered-$n.rss" $E embed index --db "$DB" --threads "$T" "clustered-$n" >>"$OUT/clustered-$n.log"
    measure "clustered ${n}x300" "clustered-$n" "$f"
    rm -f "$f"
done
if [ "${ANN_REAL:-1}" = 1 ]; then
    name=imdb-all-mc1-d300
    rss "$OUT/$name.rss" $E embed train --db "$DB" --name "$name" --corpus all --min-count 1 --dim 300 \
        --threads "${BENCH_THREADS:-2}" >"$OUT/$name.log" 2>&1
    $E embed export --db "$DB" --embedding "$name" "$OUT/$name.bin" >/dev/null
    words=$(sqlite3 "$DB" "SELECT vocab_size FROM embeddings WHERE name = '$name'")
    measure "IMDB all, mc1 ($words)" "$name" "$OUT/$name.bin"
    rm -f "$OUT/$name.bin"
fi
echo
$PY experiments/bench/ann_peers.py --table "$ROWS"
echo
cat "$OUT/bounds.txt"
echo
cat "$OUT/memory.txt"
echo
echo "(recall@10 against embedlab's exact search over the 'queries' words of each set ($Q; sqlite-vec $SLOWQ:"
echo " its brute force takes seconds a query at 3M, and 20 pin its recall and time), each word excluded from"
echo " its own answer; every system stops after 20 s of warm queries; ms/query warm, one query at a time, one"
echo " thread; 'first query' on a fresh connection or a freshly read index: the load; MB: what the system keeps"
echo " (embedlab: index + unit vectors; sqlite-vec: its database file; FAISS: its index file). Configurations:"
echo " embedlab's index as built (lists, nprobe measured at build for recall@10 0.995, rerank 100), builds on"
echo " $T threads; sqlite-vec vec0 float brute force, int8 / bit coarse columns with 88 candidates re-scored in"
echo " float (its docs' recipe); FAISS IndexFlatIP, IndexIVFFlat trained on 16 rows per list (8 k-means passes)"
echo " at the fewest nprobe (doubling) reaching recall@10 0.99, the list count in its row. Targets: indexed"
echo " <= 3 ms at 1M and <= 8 ms at 3M with recall@10 >= 0.99.)"
