#!/bin/sh
# Reproduces the textbook study (Keras RNN chapter: IMDB, vocabulary 500,
# maxlen 100, RMSprop 1e-4, batch 64, early stopping with patience 3) with
# 3 seeds per model, then goes past it with a larger vocabulary, longer
# sequences and bigger models. Every run lands in the lab database; the
# table at the end is plain SQL over it (± is the sample standard deviation
# over seeds).
# Usage: experiments/recipes/textbook.sh [LAB_DB] [SEEDS] [textbook|beyond|all]
set -eu
E=build/embedlab
DB=${1:-results/textbook.db}
SEEDS=${2:-1 2 3}
PART=${3:-all}
mkdir -p "$(dirname "$DB")"
T="--db $DB --vocab 500 --maxlen 100 --opt rmsprop --lr 1e-4 --batch 64 --patience 3 --epochs 100"
[ "$PART" = beyond ] || for seed in $SEEDS; do
    $E train $T --seed "$seed" --input onehot --cell rnn --units 8
    $E train $T --seed "$seed" --dim 16 --cell rnn --units 8
    $E train $T --seed "$seed" --dim 16 --cell lstm --units 8
    $E train $T --seed "$seed" --dim 16 --cell lstm --units 8 --dropout 0.3
    $E train $T --seed "$seed" --dim 16 --cell lstm --units 8 --layers 2 --dropout 0.3
    $E train $T --seed "$seed" --dim 16 --cell gru --units 8
done
# Past the textbook: 10,000 words, 400 tokens (the median review has 174,
# the 90th percentile 457), 128-dim embeddings, 64 units, Adam.
B="--db $DB --vocab 10000 --maxlen 400 --opt adam --lr 1e-3 --batch 64 --patience 2 --epochs 15 --clip 5"
[ "$PART" = textbook ] || for seed in $SEEDS; do
    $E train $B --seed "$seed" --dim 128 --cell gru --units 64
    $E train $B --seed "$seed" --dim 128 --cell lstm --units 64
done
sqlite3 -header -column "$DB" "
SELECT printf('%s%s %s%s', CASE input WHEN 'onehot' THEN 'one-hot ' ELSE 'emb(' || dim || ') ' END,
              cell, '(' || units || ')',
              CASE WHEN json_extract(config, '\$.layers') > 1 THEN ' x' || json_extract(config, '\$.layers') ELSE '' END
              || CASE WHEN json_extract(config, '\$.dropout') > 0 THEN ' drop ' || json_extract(config, '\$.dropout') ELSE '' END
              || ' v' || json_extract(config, '\$.vocab') || ' len ' || json_extract(config, '\$.maxlen')) AS model,
       count(*) AS seeds,
       printf('%.3f ± %.3f', avg(val_acc), sqrt(max(sum(val_acc * val_acc) - count(*) * avg(val_acc) * avg(val_acc), 0) / max(count(*) - 1, 1))) AS val_acc,
       printf('%.3f ± %.3f', avg(test_acc), sqrt(max(sum(test_acc * test_acc) - count(*) * avg(test_acc) * avg(test_acc), 0) / max(count(*) - 1, 1))) AS test_acc,
       printf('%.1f', avg(epochs)) AS epochs, printf('%.2f', avg(seconds_per_epoch)) AS s_per_epoch
FROM run_results JOIN runs ON runs.id = run_results.run_id
WHERE run_results.status = 'finished'
GROUP BY model ORDER BY min(run_id);"
