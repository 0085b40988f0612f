#!/bin/sh
# embedlab ensemble: a soft vote of finished runs from the test predictions
# each stored when it finished. The vote is checked against the same average
# computed from the stored blobs by sqlite3 alone; runs tested on other
# reviews, runs without predictions and damaged rows are refused.
. "$(dirname "$0")/lib.sh"

# tsv FILE N SEED: N reviews whose label a word gives away, noisily.
tsv() {
    awk -v n="$2" -v seed="$3" 'BEGIN { srand(seed);
      split("film movie plot actor scene music story ending", w, " ");
      for (i = 0; i < n; i++) { y = int(rand() * 2); line = "";
        for (k = 0; k < 5; k++) line = line w[1 + int(rand() * 8)] " ";
        if (rand() < 0.8) line = line (y ? "great" : "awful"); else line = line (y ? "awful" : "great");
        print y "\t" line } }' >"$1"
}
tsv "$T/train.tsv" 300 1
tsv "$T/test.tsv" 120 2
tsv "$T/other.tsv" 90 3
DB="$T/lab.db"
opts="--db $DB --data $T/train.tsv --test-data $T/test.tsv --epochs 6 --vocab 50 --maxlen 8 --units 4 --dim 4 --lr 0.01 --opt adam --threads 1"
run "train run 1" 0 $E train $opts --seed 1 --cell gru
run "train run 2" 0 $E train $opts --seed 2 --cell lstm --tokenizer chars
run "train run 3" 0 $E train $opts --seed 3 --pool max
same "each run stored its 120 test predictions" \
    "$(sqlite3 "$DB" "SELECT group_concat(n || ':' || length(probs) || ':' || length(labels), ' ') FROM predictions")" \
    "120:480:120 120:480:120 120:480:120"

same "run_results shows each run's input kind and tokenizer" \
    "$(sqlite3 "$DB" "SELECT group_concat(input_kind || ' ' || tokenizer, ', ') FROM run_results")" \
    "random words, random chars, random words"

# The stored predictions reproduce each run's recorded test accuracy.
run "ensemble of one run" 0 $E ensemble --db "$DB" --runs 1
acc1=$(sqlite3 "$DB" "SELECT printf('%.4f', test_acc) FROM results WHERE run_id = 1")
has out "run 1: test accuracy $acc1"
has out "Ensemble of 1 run on 120 test reviews: loss .*, accuracy $acc1"

# The vote against sqlite3's own reading of the blobs: mean of the three
# float32 probabilities per review, >= 0.5 is positive.
py=/usr/bin/python3
want=$($py - "$DB" <<'PY'
import sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT probs, labels FROM predictions WHERE run_id IN (1, 2, 3) ORDER BY run_id").fetchall()
n = len(rows[0][1])
probs = [struct.unpack('<%df' % n, r[0]) for r in rows]
labels = rows[0][1]
right = sum(((probs[0][i] + probs[1][i] + probs[2][i]) / 3 >= 0.5) == (labels[i] == 1) for i in range(n))
print('%.4f' % (right / n))
PY
)
run "ensemble of three runs (three tokenizers, cells, poolings)" 0 $E ensemble --db "$DB" --runs 1,2,3
has out "Ensemble of 3 runs on 120 test reviews: loss [0-9.]*, accuracy $want"
same "three run lines" "$(grep -c '^run [123]: test accuracy' "$T/out")" 3

# Refusals.
run "a run tested on other reviews" 0 $E train $opts --seed 4 --test-data "$T/other.tsv"
run "ensemble across test sets" 1 $E ensemble --db "$DB" --runs 1,4
has err "embedlab: error: run 4 was tested on other data"
run "a run named twice" 1 $E ensemble --db "$DB" --runs 1,1
has err "run 1 is named twice"
run "a run that does not exist" 1 $E ensemble --db "$DB" --runs 1,99
has err "run 99 is not a finished run"
sqlite3 "$DB" "DELETE FROM predictions WHERE run_id = 3"
run "a run without predictions" 1 $E ensemble --db "$DB" --runs 1,3
has err "run 3 has no stored test predictions"
sqlite3 "$DB" "UPDATE predictions SET probs = substr(probs, 1, 100) WHERE run_id = 2"
run "damaged predictions (short blob)" 1 $E ensemble --db "$DB" --runs 2
has err "run 2: its stored predictions are damaged"
sqlite3 "$DB" "UPDATE predictions SET probs = zeroblob(480), labels = randomblob(120) WHERE run_id = 2"
run "damaged predictions (labels not 0/1)" 1 $E ensemble --db "$DB" --runs 2
has err "run 2: its stored predictions are damaged (label"
run "no --runs" 2 $E ensemble --db "$DB"
has err "--runs LIST is required"
run "bad --runs" 2 $E ensemble --db "$DB" --runs 1,,2
run "--help" 0 $E ensemble --help
has out "Usage: embedlab ensemble --runs"

# Merging carries predictions.
run "merge into a new lab" 0 $E merge "$T/merged.db" "$DB"
same "merged predictions" "$(sqlite3 "$T/merged.db" "SELECT count(*) FROM predictions")" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM predictions")"
exit $bad
