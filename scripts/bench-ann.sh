#!/bin/sh
# make bench, section ann: nearest words at scale, one table. For each data
# set, embedlab's SQL nearest() exact and with its index, sqlite-vec 0.1.9's
# vec0 (float brute force; int8 and bit coarse columns re-scored in float as
# its docs show) and FAISS (exact IndexFlatIP; IndexIVFFlat at the fewest
# probes reaching recall@10 0.99): recall@10 against embedlab's exact
# search, ms/query warm, the first query on a fresh connection (the load),
# build time and bytes. One thread each (FAISS: --threads / BENCH_THREADS
# when given as ANN_THREADS). Also the memory-bandwidth bound of exact
# search here.
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
# tuning: nprobe, recall and ms/query at a few settings.
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
    cc -fopenmp experiments/bench/ann_bench.c db/ann.c db/ann_build.c core/vecmath.c -o "$B/bench/ann_bench"
    exec "$B/bench/ann_bench" "$N" "${2:-300}" "${3:-$((N / 100))}" "${4:-1.5}" "${5:-200}"
fi

SIZES=${ANN_SIZES:-1000000 3000000}
NOISE=${ANN_NOISE:-1.5}
T=${ANN_THREADS:-1}
Q=${ANN_QUERIES:-200}
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

# measure LABEL NAME W2V_FILE: the embedding NAME is in $DB (its index
# built when it was imported or trained); every system measures it.
measure() {
    $E embed index --db "$DB" --check "$2" >"$OUT/check.txt"
    cat "$OUT/check.txt" >&2
    build=$(sed -n 's/.*built in \([0-9.]*\) s.*/\1/p' "$OUT/$2.log" | tail -1)
    bytes=$(awk '/^Index of/ { for (i = 1; i <= NF; i++) { if ($i == "(index") ix = $(i + 1); if ($i == "vectors") v = $(i + 1) }
        printf "%.0f", (ix + v) * 1e6 }' "$OUT/check.txt")
    n=$(sqlite3 "$DB" "SELECT vocab_size || ' ' || dim FROM embeddings WHERE name = '$2'")
    awk -v bw="$bw" -v nd="$n" -v l="$1" 'BEGIN { split(nd, a, " "); printf "%s: exact search reads %.0f MB per query: at %s GB/s at least %.1f ms\n", l, a[1] * a[2] * 4 / 1e6, bw, a[1] * a[2] * 4 / 1e6 / bw }' >>"$OUT/bounds.txt"
    echo "measuring $1 ..." >&2
    $PY experiments/bench/ann_peers.py "$DB" "$2" "$B/embedlab_sqlite.so" "$3" "$ROWS" $VEC0_OPT --label "$1" \
        ${build:+--index-build "$build"} ${bytes:+--index-bytes "$bytes"} --threads "$T" --queries "$Q" --scratch "$OUT"
}

rm -f "$OUT/bounds.txt"
for n in $SIZES; do
    f=$OUT/clustered-$n.bin
    "$B/bench/clustered_w2v" "$n" 300 $((n / 100)) "$NOISE" "$f"
    $E embed import --db "$DB" --name "clustered-$n" "$f" >"$OUT/clustered-$n.log"
    grep -q '^Indexed' "$OUT/clustered-$n.log" || $E embed index --db "$DB" "clustered-$n" >>"$OUT/clustered-$n.log"
    measure "clustered ${n}x300" "clustered-$n" "$f"
    rm -f "$f"
done
if [ "${ANN_REAL:-1}" = 1 ]; then
    name=imdb-all-mc1-d300
    $E embed train --db "$DB" --name "$name" --corpus all --min-count 1 --dim 300 --threads "${BENCH_THREADS:-2}" \
        >"$OUT/$name.log" 2>&1
    $E embed export --db "$DB" --embedding "$name" "$OUT/$name.bin" >/dev/null
    words=$(sqlite3 "$DB" "SELECT vocab_size FROM embeddings WHERE name = '$name'")
    measure "IMDB all, mc1 ($words)" "$name" "$OUT/$name.bin"
    rm -f "$OUT/$name.bin"
fi
echo
$PY experiments/bench/ann_peers.py --table "$ROWS"
echo
cat "$OUT/bounds.txt"
echo "(recall@10 against embedlab's exact search over $Q words of each set, each word excluded from its own"
echo " answer; ms/query warm; 'first query' on a fresh connection or a freshly read index: the load; MB: what"
echo " the system keeps (embedlab: index + unit vectors; sqlite-vec: its database file; FAISS: its index file)."
echo " Targets: indexed <= 3 ms at 1M and <= 8 ms at 3M with recall@10 >= 0.99.)"
