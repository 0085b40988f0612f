#!/bin/sh
# make bench, sweeps: the same small grid on the real data on one core, with
# --jobs 1 (each run on all threads) and --jobs 2 (each job its share).
# Usage: scripts/bench-sweep.sh THREADS
set -eu
T=${1:-2}
E=build/embedlab
OUT=bench-out
echo "== Sweep --jobs scaling: 8 configurations (dims 16,32 x rnn,lstm x random x seeds 1,2), 5 epochs, $T threads"
GRID="--dims 16,32 --cells rnn,lstm --inputs random --seeds 1,2 --vocab 500 --maxlen 100 --epochs 5 --patience 0 --threads $T"
secs() { # jobs [extra options]
    j=$1
    shift
    rm -f "$OUT/sweep-$j.db" "$OUT/sweep-$j.db-wal" "$OUT/sweep-$j.db-shm"
    s=$(date +%s.%N)
    $E sweep --db "$OUT/sweep-$j.db" $GRID --jobs "$j" "$@" >/dev/null 2>"$OUT/sweep-$j.log" || { cat "$OUT/sweep-$j.log"; exit 1; }
    awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'
}
single=$(secs 1 --threads 1)
one=$(secs 1)
two=$(secs 2)
same=$(for j in 1 2; do sqlite3 "$OUT/sweep-$j.db" "SELECT sweep_key, test_acc FROM runs JOIN results ON run_id = id ORDER BY sweep_key"; done | sort | uniq -u | wc -l)
awk -v s="$single" -v a="$one" -v b="$two" -v t="$T" 'BEGIN {
    printf "--jobs 1 --threads 1: %5.1f s   (one core)\n", s
    printf "--jobs 1 --threads %d: %5.1f s   (each run on all %d threads)   %.2fx faster than one core\n", t, a, t, s / a
    printf "--jobs 2 --threads %d: %5.1f s   (two runs at once, 1 thread each)  %.2fx faster than one core, %.2fx faster than --jobs 1\n", t, b, s / b, a / b }'
echo "(same results with 1 and 2 jobs: $([ "$same" = 0 ] && echo yes || echo NO); a run already uses both cores, so"
echo " --jobs 2 gains over --jobs 1 only what the run's own parallel overhead costs)"
echo
