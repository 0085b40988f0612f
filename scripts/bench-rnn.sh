#!/bin/sh
# make bench, recurrent models: embedlab against PyTorch (Debian's
# python3-torch) on the same model, data, batch size (64) and threads, as the
# ratio of mean epoch time (a training pass plus a validation pass).
# Usage: scripts/bench-rnn.sh THREADS
set -eu
T=${1:-2}
E=build/embedlab
OUT=bench-out
PY=/usr/bin/python3
DB=$OUT/bench-rnn.db
rm -f "$DB" "$DB-wal" "$DB-shm"
EPOCHS=${BENCH_RNN_EPOCHS:-3}
echo "== Recurrent classifiers: vocabulary 500, maxlen 100, batch 64, RMSprop, $T threads, mean of $EPOCHS epochs"
$E data dump --split train --labels --indices --vocab 500 --maxlen 100 >"$OUT/train-500-100.tsv"
printf '%-40s %12s %12s %8s  %s\n' model "embedlab s" "pytorch s" speedup "pytorch's best setting"
blas=""
# The peer at its best: each model is first tried for one epoch under each
# setting a PyTorch user would reach for on a CPU (1 or $T threads; libgomp's
# default spin-waiting or OMP_WAIT_POLICY=PASSIVE, which on a small machine
# can halve an epoch), then timed for $EPOCHS epochs under the fastest one.
peer() { # threads wait-policy epochs options...
    pt=$1 pw=$2 pe=$3
    shift 3
    if [ "$pw" = default ]; then set -- env -u OMP_WAIT_POLICY "$PY" experiments/bench/torch_rnn.py "$@"; else
        set -- env OMP_WAIT_POLICY="$pw" "$PY" experiments/bench/torch_rnn.py "$@"; fi
    "$@" "$OUT/train-500-100.tsv" --threads "$pt" --epochs "$pe"
}
bench() { # name, then the options both understand
    name=$1
    shift
    $E train --db "$DB" --threads "$T" --epochs "$EPOCHS" --patience 0 "$@" >/dev/null 2>"$OUT/rnn.log" ||
        { cat "$OUT/rnn.log"; exit 1; }
    ours=$(sqlite3 "$DB" "SELECT avg(seconds) FROM epochs WHERE run_id = (SELECT max(id) FROM runs)")
    best= setting=
    for pt in $(echo 1 "$T" | tr ' ' '\n' | sort -un); do
        for pw in default PASSIVE; do
            s=$(peer "$pt" "$pw" 1 "$@" | $PY -c "import json,sys; print(json.load(sys.stdin)['epoch_mean'])")
            if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$s setting="$pt $pw"; fi
        done
    done
    set -- $setting "$@"
    pt=$1 pw=$2
    shift 2
    # The peer takes the same flags, minus embedlab-only ones.
    got=$(peer "$pt" "$pw" "$EPOCHS" "$@")
    theirs=$($PY -c "import json,sys; print(json.loads(sys.argv[1])['epoch_mean'])" "$got")
    blas=$($PY -c "import json,sys; d=json.loads(sys.argv[1]); print(d['peer'], 'on', d['blas'])" "$got")
    awk -v n="$name" -v a="$ours" -v b="$theirs" -v s="$pt thr, $pw" \
        'BEGIN { printf "%-40s %12.3f %12.3f %7.1fx  %s\n", n, a, b, b / a, s }'
}
bench "one-hot SimpleRNN(8)" --input onehot --cell rnn --units 8
bench "Embedding(16) + SimpleRNN(8)" --cell rnn --dim 16 --units 8
bench "Embedding(16) + LSTM(8)" --cell lstm --dim 16 --units 8
bench "Embedding(16) + LSTM(8), dropout 0.3" --cell lstm --dim 16 --units 8 --dropout 0.3
bench "Embedding(16) + 2 x LSTM(8), dropout 0.3" --cell lstm --dim 16 --units 8 --layers 2 --dropout 0.3
bench "Embedding(16) + GRU(8)" --cell gru --dim 16 --units 8
EPOCHS=${BENCH_RNN_BIG_EPOCHS:-2}
bench "Embedding(128) + LSTM(128)" --cell lstm --dim 128 --units 128
echo "(peer: $blas; its one-hot input is materialised per batch; its setting: the fastest of threads x"
echo " OMP_WAIT_POLICY over one epoch; embedlab at its defaults, --threads $T)"
echo
