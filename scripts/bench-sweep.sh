#!/bin/sh
# make bench, sweeps: the same small grid on the real data on one core, with
# --jobs 1 (each run on all threads) and --jobs 2 (each job its share).
# Usage: scripts/bench-sweep.sh THREADS
set -eu
T=${1:-2}
E=build/embedlab
OUT=bench-out
echo "== Sweep --jobs scaling: 8 configurations (dims 16,32 x rnn,lstm x random x seeds 1,2), 5 epochs, $T threads, best of 3"
GRID="--dims 16,32 --cells rnn,lstm --inputs random --seeds 1,2 --vocab 500 --maxlen 100 --epochs 5 --patience 0 --threads $T"
secs() { # jobs [extra options]
    j=$1
    shift
    rm -f "$OUT/sweep-$j.db" "$OUT/sweep-$j.db-wal" "$OUT/sweep-$j.db-shm"
    s=$(date +%s.%N)
    $E sweep --db "$OUT/sweep-$j.db" $GRID --jobs "$j" "$@" >/dev/null 2>"$OUT/sweep-$j.log" || { cat "$OUT/sweep-$j.log"; exit 1; }
    awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'
}
# Best of three, interleaved, so that a passing load hits all three alike.
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
single= one= two=
for rep in 1 2 3; do
    single=$(min "$single" "$(secs 1 --threads 1)")
    one=$(min "$one" "$(secs 1)")
    two=$(min "$two" "$(secs 2)")
done
same=$(for j in 1 2; do sqlite3 "$OUT/sweep-$j.db" "SELECT sweep_key, test_acc FROM runs JOIN results ON run_id = id ORDER BY sweep_key"; done | sort | uniq -u | wc -l)
awk -v s="$single" -v a="$one" -v b="$two" -v t="$T" 'BEGIN {
    printf "--jobs 1 --threads 1: %5.1f s   one run at a time on one core\n", s
    printf "--jobs 1 --threads %d: %5.1f s   one run at a time on %d threads: %.2fx one core\n", t, a, t, s / a
    printf "--jobs 2 --threads %d: %5.1f s   two runs at once, a thread each:  %.2fx one core (%.0f%% of 2x), %.2fx --jobs 1\n", t, b, s / b, 50 * s / b, a / b
    printf "(--jobs 2 over --jobs 1 cannot pass 2 / %.2f = %.2fx: a run on its own already uses both cores)\n", s / a, 2 * a / s }'
echo "(same results with 1 and 2 jobs: $([ "$same" = 0 ] && echo yes || echo NO); --jobs auto, the default, is --jobs 2 here)"
echo
