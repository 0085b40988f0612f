#!/bin/sh
# make bench, sweeps: the same small grid on the real data with --jobs 1 and
# --jobs 2 (each job then gets its share of the threads), wall time ratio.
# Usage: scripts/bench-sweep.sh THREADS
set -eu
T=${1:-2}
E=build/embedlab
OUT=bench-out
echo "== Sweep --jobs scaling: 8 configurations (dims 16,32 x rnn,lstm x random x seeds 1,2), 3 epochs, $T threads"
GRID="--dims 16,32 --cells rnn,lstm --inputs random --seeds 1,2 --vocab 500 --maxlen 100 --epochs 3 --patience 0 --threads $T"
secs() {
    rm -f "$OUT/sweep-$1.db" "$OUT/sweep-$1.db-wal" "$OUT/sweep-$1.db-shm"
    s=$(date +%s.%N)
    $E sweep --db "$OUT/sweep-$1.db" $GRID --jobs "$1" >/dev/null 2>"$OUT/sweep-$1.log" || { cat "$OUT/sweep-$1.log"; exit 1; }
    awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'
}
one=$(secs 1)
two=$(secs 2)
same=$(for j in 1 2; do sqlite3 "$OUT/sweep-$j.db" "SELECT sweep_key, test_acc FROM runs JOIN results ON run_id = id ORDER BY sweep_key"; done | sort | uniq -u | wc -l)
awk -v a="$one" -v b="$two" 'BEGIN { printf "--jobs 1: %.1f s   --jobs 2: %.1f s   speedup %.2fx (target 1.8x)\n", a, b, a / b }'
echo "(same results with 1 and 2 jobs: $([ "$same" = 0 ] && echo yes || echo NO))"
echo
