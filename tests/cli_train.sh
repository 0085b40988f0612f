#!/bin/sh
# Classifier runs from the command line: bad flags, runs in lab.db, predict,
# eval, an embedding from lab.db, and Ctrl-C marking a run interrupted.
. "$(dirname "$0")/lib.sh"
DB=$T/lab.db
sql() { sqlite3 "$DB" "$1"; }

# Planted sentiment: positive reviews use "great"/"loved", negative "awful"/"boring".
awk 'BEGIN { srand(2); split("the a film movie plot actor it was and of scene story", f, " ");
  for (i = 0; i < 1200; i++) { y = int(rand() * 2); line = "";
    for (k = 0; k < 12; k++) line = line f[1 + int(rand() * 12)] " ";
    line = line (y ? (rand() < 0.5 ? "great" : "loved") : (rand() < 0.5 ? "awful" : "boring"));
    for (k = 0; k < 5; k++) line = line " " f[1 + int(rand() * 12)];
    print y "\t" line } }' >"$T/reviews.tsv"
head -800 "$T/reviews.tsv" >"$T/train.tsv"
tail -400 "$T/reviews.tsv" >"$T/test.tsv"
D="--db $DB --data $T/train.tsv --test-data $T/test.tsv --vocab 30 --maxlen 20 --threads 2"

for sub in train predict eval; do run "$sub --help" 0 $E $sub --help; done
run "0 units" 2 $E train $D --units 0
has err "embedlab: error: --units must be a whole number"
run "maxlen 0" 2 $E train $D --maxlen 0
run "unknown cell" 2 $E train $D --cell transformer
has err "unknown cell 'transformer' (known: rnn, lstm, gru)"
run "bad --opt" 2 $E train $D --opt adagrad
run "frozen random embedding" 2 $E train $D --freeze
run "unknown embedding" 1 $E train $D --embedding nosuch
has err "no embedding named 'nosuch'"
n=$((n + 1))
if [ "$(sql "SELECT count(*) FROM runs" 2>/dev/null || echo 0)" = 0 ]; then echo "ok $n - bad flags leave no run behind"; else echo "not ok $n - a run was recorded"; bad=1; fi

run "train an LSTM" 0 $E train $D --cell lstm --dim 8 --units 8 --opt adam --lr 0.01 --epochs 8 --patience 3 --seed 3
has out "Run 1 finished: test accuracy"
has err "parameters; 640 train / 160 validation / 400 test reviews"
n=$((n + 1))
acc=$(sql "SELECT test_acc > 0.9 FROM results WHERE run_id = 1")
if [ "$acc" = 1 ]; then echo "ok $n - it learned the planted words (test accuracy > 0.9)"; else echo "not ok $n - test accuracy $(sql 'SELECT test_acc FROM results')"; bad=1; fi
n=$((n + 1))
if [ "$(sql "SELECT status || ' ' || json_extract(config, '\$.cell') || ' ' || json_extract(config, '\$.units') || ' ' || (SELECT count(*) FROM epochs WHERE run_id = 1) FROM runs WHERE id = 1" | cut -d' ' -f1-3)" = "finished lstm 8" ] &&
   [ "$(sql "SELECT count(*) >= 4 FROM epochs WHERE run_id = 1")" = 1 ]; then echo "ok $n - run, config JSON and epochs recorded"; else echo "not ok $n - run record"; bad=1; fi
# Provenance: the run records the build and the machine; runs names it.
same "the run records its build's commit" "$(sqlite3 "$DB" "SELECT json_extract(provenance, '$.commit') FROM runs WHERE id = 1" | cut -c1-12)" \
    "$($E --version | sed -n 's/.*(commit \([0-9a-f]*\).*/\1/p' | cut -c1-12)"
same "and the BLAS kernel" "$(sqlite3 "$DB" "SELECT json_extract(provenance, '$.blas_kernel') IS NOT NULL AND json_extract(provenance, '$.cpu') IS NOT NULL FROM runs WHERE id = 1")" 1
run "runs" 0 $E runs --db "$DB"
has out "^on: A .*OpenBLAS kernel"
run "predict" 0 $E predict --db "$DB" --run 1 "a great great film, loved it" "boring and awful, awful plot"
n=$((n + 1))
p1=$(sed -n 1p "$T/out" | cut -d' ' -f1)
p2=$(sed -n 2p "$T/out" | cut -d' ' -f1)
if awk -v a="$p1" -v b="$p2" 'BEGIN { exit !(a > 0.8 && b < 0.2) }'; then echo "ok $n - predict: positive $p1, negative $p2"; else echo "not ok $n - predict gave $p1 and $p2"; bad=1; fi
run "eval on the test split" 0 $E eval --db "$DB" --run 1
has out "over 400 reviews"
run "eval on a file" 0 $E eval --db "$DB" --run 1 --data "$T/test.tsv"
has out "accuracy"
run "predict unknown run" 1 $E predict --db "$DB" --run 99 "text"
has err "no classifier run with id 99"

# Bit-identical for any --threads.
run "GRU with 1 thread" 0 $E train $D --cell gru --epochs 2 --patience 0 --dropout 0.2 --recurrent-dropout 0.2 --threads 1 --seed 9
run "GRU with 2 threads" 0 $E train $D --cell gru --epochs 2 --patience 0 --dropout 0.2 --recurrent-dropout 0.2 --threads 2 --seed 9
n=$((n + 1))
if [ "$(sql "SELECT count(DISTINCT hex(params)) FROM models WHERE run_id IN (2, 3)")" = 1 ]; then echo "ok $n - same seed, 1 or 2 threads: bit-identical parameters"; else echo "not ok $n - parameters differ across thread counts"; bad=1; fi

# An embedding from lab.db, frozen; a dimension that does not match.
cut -f2 "$T/train.tsv" >"$T/text.txt"
run "word2vec on the reviews" 0 $E embed train --db "$DB" --corpus "$T/text.txt" --name w2v --dim 8 --min-count 1 --epochs 2
run "train from the embedding, frozen" 0 $E train $D --embedding w2v --freeze --epochs 2 --patience 0
has err "embedding 'w2v': .* vocabulary words found"
n=$((n + 1))
if [ "$(sql "SELECT json_extract(config, '\$.embedding') || json_extract(config, '\$.freeze') || ' ' || (embedding_id IS NOT NULL) FROM runs ORDER BY id DESC LIMIT 1")" = "w2v1 1" ]; then echo "ok $n - the run names its embedding"; else echo "not ok $n - embedding not recorded"; bad=1; fi
run "--dim against the embedding's" 1 $E train $D --embedding w2v --dim 16
has err "--dim 16 does not match embedding 'w2v', which has 8 dimensions"

# Ctrl-C: the run is marked interrupted, its epochs kept.
$E train $D --epochs 100000 --patience 0 --cell lstm --units 32 >"$T/out" 2>"$T/err" &
pid=$!
wait_rows "$DB" "SELECT count(*) FROM epochs e JOIN runs r ON r.id = e.run_id WHERE r.status = 'running'" 1 20
kill -INT $pid
wait $pid
rc=$?
n=$((n + 1))
if [ $rc -eq 130 ] && [ "$(sql "SELECT status FROM runs ORDER BY id DESC LIMIT 1")" = interrupted ] &&
   [ "$(sql "SELECT count(*) >= 1 FROM epochs WHERE run_id = (SELECT max(id) FROM runs)")" = 1 ]; then
    echo "ok $n - Ctrl-C marks the run interrupted and keeps its epochs"; else echo "not ok $n - exit $rc, status $(sql "SELECT status FROM runs ORDER BY id DESC LIMIT 1")"; bad=1; fi

# Bit-identical for any --threads without recurrent dropout too (dL/dU then
# reads h in place, rnn/model.c), bidirectional, with the LSTM's planar cache.
B2="--db $DB --data $T/train.tsv --test-data $T/test.tsv --vocab 30 --maxlen 20 --cell lstm --bidirectional --pool max --dim 8 --units 8 --epochs 2 --patience 0 --dropout 0.2 --seed 4"
run "bidirectional LSTM with 1 thread" 0 $E train $B2 --threads 1
run "bidirectional LSTM with 2 threads" 0 $E train $B2 --threads 2
same "bidirectional LSTM, 1 or 2 threads: bit-identical parameters" \
    "$(sql "SELECT count(DISTINCT hex(params)) FROM models WHERE run_id IN (SELECT id FROM runs ORDER BY id DESC LIMIT 2)")" 1
exit $bad
