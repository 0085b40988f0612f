#!/bin/sh
# The nearest-word index (db/ann.c) against exact search, on synthetic
# clustered unit vectors (experiments/bench/clustered.h): build time, index
# and vector bytes, recall@10 and ms/query, one thread, warm (in memory).
# Not part of `make bench`; sizes as the issue's: 1000000 300 (4 GB of RAM
# in all) and 3000000 300 (about 11 GB: vectors, queries' truth, index).
# Usage: scripts/bench-ann.sh [N [DIM [CLUSTERS [NOISE [QUERIES]]]]]
#   defaults: 100000 300 N/100 1.5 200
set -eu
N=${1:-100000}
D=${2:-300}
C=${3:-$((N / 100))}
NOISE=${4:-1.5}
Q=${5:-200}
B=${BUILD:-build}
mkdir -p "$B/bench"
# The Makefile's default flags; the index is pure C (no OpenMP, no BLAS).
${CC:-gcc} -std=gnu11 -O3 -march=native -Wall -Wextra -I. experiments/bench/ann_bench.c db/ann.c core/vecmath.c \
    -lm -o "$B/bench/ann_bench"
"$B/bench/ann_bench" "$N" "$D" "$C" "$NOISE" "$Q"
