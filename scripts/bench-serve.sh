#!/bin/sh
# make bench, section serve (BENCH=serve): embedlab serve at scale, on
# clustered synthetic unit vectors (experiments/bench/clustered.h, N/100
# centres, noise 1.5) in a scratch lab.db under bench-out/serve/:
#   - /api/nearest at SERVE_N x 300 (default 1,000,000): the import builds
#     the index; then the first answer (the server loads the index and unit
#     vectors) and SERVE_QUERIES more (default 50, each another word), by curl
#   - the projector at 20,000 x 300: /api/project (PCA, first answer with the
#     load and a second), /api/knn (the neighbour graph, first
#     answer with the load and a second) by curl, and the UMAP layout in
#     headless Chromium (tests/browser/lab.test.js, when chromium and
#     puppeteer-core are installed)
# A quick check: SERVE_N=100000 scripts/bench-serve.sh
# Usage: scripts/bench-serve.sh [THREADS]   (the import's; default 2)
set -eu
cd "$(dirname "$0")/.."
B=${BUILD:-build}
E=$B/embedlab
OUT=${SERVE_OUT:-bench-out/serve}
N=${SERVE_N:-1000000}
Q=${SERVE_QUERIES:-50}
T=${1:-${BENCH_THREADS:-2}}
mkdir -p "$B/bench" "$OUT"
[ -x "$E" ] || make --no-print-directory all >/dev/null
${CC:-gcc} -std=gnu11 -O3 -march=native -Wall -Wextra -I. experiments/bench/clustered_w2v.c core/vecmath.c \
    -o "$B/bench/clustered_w2v" -lm
DB=$OUT/serve.db
rm -f "$DB" "$DB-wal" "$DB-shm"
echo "== embedlab serve at scale, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"

# make NAME N: N clustered words x 300 imported as NAME (indexed when large).
make_emb() {
    "$B/bench/clustered_w2v" "$2" 300 $(($2 / 100)) 1.5 "$OUT/$1.bin"
    start=$(date +%s.%N)
    $E embed import --db "$DB" --name "$1" --threads "$T" "$OUT/$1.bin" >"$OUT/$1.log"
    grep -q '^Indexed' "$OUT/$1.log" || [ "$2" -lt 100000 ] || $E embed index --db "$DB" --threads "$T" "$1" >>"$OUT/$1.log"
    echo "$1: $2 x 300 imported$(grep -q '^Indexed' "$OUT/$1.log" && echo ' and indexed') in $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
    rm -f "$OUT/$1.bin"
}
make_emb big "$N"
make_emb proj 20000

PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000))
URL=http://127.0.0.1:$PORT
$E serve --db "$DB" --port $PORT >"$OUT/serve.out" 2>"$OUT/serve.err" &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for i in $(seq 1 100); do curl -s -o /dev/null "$URL/api/status" && break; sleep 0.1; done
ms() { curl -s -o "$OUT/body" -w '%{time_total}' "$1" | awk '{ printf "%.1f", $1 * 1000 }'; }

first=$(ms "$URL/api/nearest?embedding=big&word=w1&k=10")
echo "nearest at $N x 300: first answer $first ms (the index and unit vectors loaded), index $(jq -r .index "$OUT/body")"
: >"$OUT/nearest.ms"
for i in $(seq 1 "$Q"); do ms "$URL/api/nearest?embedding=big&word=w$((i * 7919 % N))&k=10" >>"$OUT/nearest.ms"; echo >>"$OUT/nearest.ms"; done
sort -n "$OUT/nearest.ms" | awk '{ a[NR] = $1; s += $1 } END { printf "nearest at scale: %d more answers (another word each): median %.1f ms, mean %.1f ms, max %.1f ms\n", NR, a[int((NR + 1) / 2)], s / NR, a[NR] }'

p1=$(ms "$URL/api/project?embedding=proj&n=20000")
p2=$(ms "$URL/api/project?embedding=proj&n=20000")
echo "projector PCA, 20,000 x 300, computed on the server: first answer $p1 ms (with the load), again $p2 ms ($(wc -c <"$OUT/body") bytes)"
k1=$(ms "$URL/api/knn?embedding=proj&n=20000&k=15")
k2=$(ms "$URL/api/knn?embedding=proj&n=20000&k=15")
echo "projector graph, 20,000 x 300, k 15: first answer $k1 ms (with the load), again $k2 ms ($(wc -c <"$OUT/body") bytes)"
if [ -x /usr/bin/chromium ] && [ -d tests/browser/node_modules/puppeteer-core ]; then
    echo '{"layout": {"name": "proj", "n": 20000}}' >"$OUT/layout.json"
    node tests/browser/lab.test.js "$URL" "$OUT" "$OUT/layout.json" | grep '^#\|^not ok'
else
    echo "(the layout in Chromium not measured: chromium or puppeteer-core missing, scripts/browser-deps.sh)"
fi
