#!/bin/sh
# experiments/recipes/imdb.sh, the IMDB recipe, end to end on a small aclImdb
# tree: its usage and errors, its last line (the vote of its members), that
# the test reviews reach no embedding (a word only the test reviews have is in
# no vocabulary), that BUDGET drops the optional members, and that a rerun
# into the same lab.db resumes, training nothing that finished.
. "$(dirname "$0")/lib.sh"
R=$(cd "$(dirname "$0")/.." && pwd)/experiments/recipes/imdb.sh
DB=$T/imdb.db
sql() { sqlite3 "$DB" "$1"; }

run "two arguments" 2 sh "$R" a b
has err "usage: experiments/recipes/imdb.sh"
run "no aclImdb folder" 1 env EMBEDLAB="$E" DATA="$T/none" sh "$R" "$DB"
has err "embedlab: error: $T/none is not an aclImdb folder"

# 600 train and 300 test reviews as an aclImdb tree; 'zyzzyva' only in the test split.
reviews "$T/all.tsv"
mkdir -p "$T/imdb/train/pos" "$T/imdb/train/neg" "$T/imdb/test/pos" "$T/imdb/test/neg"
awk -v d="$T/imdb" -F'\t' '{ f = d "/" (NR <= 600 ? "train" : "test") "/" ($1 ? "pos" : "neg") "/" NR "_" ($1 ? 8 : 2) ".txt"
  printf "%s%s", $2, (NR > 600 ? " zyzzyva zyzzyva zyzzyva zyzzyva zyzzyva" : "") > f; close(f) }' "$T/all.tsv"

run "the core members (BUDGET 0)" 0 env EMBEDLAB="$E" DATA="$T/imdb" THREADS=1 SEED=1 BUDGET=0 sh "$R" "$DB"
has err "skip-gram vectors from the training reviews"
has err "skipping a second GRU"
vote=$(sed -n 's/^Ensemble of 2 runs on 300 test reviews: .* accuracy \([0-9.]*\)$/\1/p' "$T/out")
same "the last line is the vote of the two core members" "$(tail -n 1 "$T/out")" "test accuracy $vote"
if awk -v v="$vote" 'BEGIN { exit !(v > 0.9) }'; then ok "they learned the planted words (vote > 0.9)"; else
    notok "vote $vote"; fi
same "two bidirectional members, a GRU and an LSTM" \
    "$(sql "SELECT group_concat(json_extract(config, '$.cell') || json_extract(config, '$.bidirectional'), ' ')
            FROM (SELECT config FROM runs ORDER BY id)")" "gru1 lstm1"
same "one embedding" "$(sql "SELECT count(*) FROM embeddings")" 1
same "no vocabulary holds the word only the test reviews have" "$(sql "SELECT count(*) FROM vectors WHERE word = 'zyzzyva'")" 0

run "a rerun with the default BUDGET" 0 env EMBEDLAB="$E" DATA="$T/imdb" THREADS=1 SEED=1 sh "$R" "$DB"
same "the two finished members reused, the two others trained" "$(sql "SELECT count(*) FROM runs")" 4
has out "^Ensemble of 4 runs on 300 test reviews"
run "a third run" 0 env EMBEDLAB="$E" DATA="$T/imdb" THREADS=1 SEED=1 sh "$R" "$DB"
same "all four members reused, no run recorded" "$(sql "SELECT count(*) FROM runs")" 4

# experiments/recipes/imdb_inputs.sh, the one-hot comparison at the recipe's
# architecture, on the same tree at one small dim, two seeds, one epoch: every
# input kind runs, the report sets each against one-hot, and a rerun resumes.
I=$(dirname "$R")/imdb_inputs.sh
IDB=$T/inputs/lab.db
mkdir -p "$T/inputs"
run "imdb_inputs.sh, two arguments" 2 sh "$I" a b
run "imdb_inputs.sh" 0 env EMBEDLAB="$E" DATA="$T/imdb" THREADS=2 DIMS=8 SEEDS=1,2 EPOCHS=1 sh "$I" "$IDB"
same "one-hot, random, word2vec and frozen word2vec, two seeds each: 8 finished runs" \
    "$(sqlite3 "$IDB" "SELECT count(*) FROM runs WHERE status = 'finished'")" 8
same "every run bidirectional, masked, max-pooled, 30,000 words, 400 tokens" \
    "$(sqlite3 "$IDB" "SELECT count(*) FROM runs WHERE json_extract(config, '$.bidirectional') = 1
        AND json_extract(config, '$.mask') = 1 AND json_extract(config, '$.pool') = 'max'
        AND json_extract(config, '$.vocab') = 30000 AND json_extract(config, '$.maxlen') = 400")" 8
has out "^## Each input against one-hot"
for kind in "random" "word2vec" "word2vec (frozen)"; do
    has out "^| gru | $kind | 8 | [+-][0-9.]* ± [0-9.]* | [0-9]* ([0-9.]*x) |"
done
[ -s "$T/inputs/imdb-inputs.png" ] && ok "its plot is drawn" || notok "no plot at $T/inputs/imdb-inputs.png"
run "imdb_inputs.sh again" 0 env EMBEDLAB="$E" DATA="$T/imdb" THREADS=2 DIMS=8 SEEDS=1,2 EPOCHS=1 sh "$I" "$IDB"
same "a rerun trains nothing" "$(sqlite3 "$IDB" "SELECT count(*) FROM runs")" 8
exit $bad
