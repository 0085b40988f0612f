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
