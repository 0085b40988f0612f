#!/bin/sh
# experiments/recipes/korean.sh, the Korean recipe, end to end on a small hand-written
# Korean set: its usage and errors, its last line, that TEST never reaches a
# tokenizer or an embedding (a syllable only TEST has is in no vocabulary),
# that BUDGET drops the optional classifiers, and that a rerun into the same
# lab.db resumes: it reuses the embeddings and every finished classifier
# (train --reuse), training only the rest.
. "$(dirname "$0")/lib.sh"
K=$(cd "$(dirname "$0")/.." && pwd)/experiments/recipes/korean.sh
DB=$T/ko.db
sql() { sqlite3 "$DB" "$1"; }

run "no arguments" 2 sh "$K"
has err "usage: experiments/recipes/korean.sh"
run "a missing TRAIN" 1 env EMBEDLAB="$E" sh "$K" "$T/nothing.tsv" "$T/nothing.tsv" "$DB"
has err "embedlab: error: cannot read"

ko "$T/train.tsv" 400 3
ko "$T/test.tsv" 100 4
: >"$T/empty.tsv"
run "an empty TEST fails before any training" 1 env EMBEDLAB="$E" sh "$K" "$T/train.tsv" "$T/empty.tsv" "$T/e.db"
has err "empty.tsv: empty file"
if grep -q "skip-gram" "$T/err"; then notok "nothing trained for an empty TEST"; else ok "nothing trained for an empty TEST"; fi
# 뷁 occurs in TEST alone: the recipe may score it but must not learn from it.
printf '1\t뷁뷁 영화가 최고다!\n0\t뷁 영화는 노잼!\n' >>"$T/test.tsv"

run "the core classifiers (BUDGET 0)" 0 env EMBEDLAB="$E" THREADS=1 SEED=1 BUDGET=0 sh "$K" "$T/train.tsv" "$T/test.tsv" "$DB"
has err "skip-gram with character 1-3-grams"
has err "skipping the bidirectional LSTM over words"
if tail -n 1 "$T/out" | grep -Eq '^test accuracy [01]\.[0-9]{4}$'; then ok "last line is the accuracy"; else
    notok "last line: $(tail -n 1 "$T/out")"; fi
vote=$(sed -n 's/^Ensemble of 3 runs on 102 test reviews: .* accuracy \([0-9.]*\)$/\1/p' "$T/out")
same "the last line is the vote of the three core runs" "$(tail -n 1 "$T/out")" "test accuracy $vote"
same "three runs, each tested on the 102 test reviews" "$(sql "SELECT count(*) FROM predictions WHERE n = 102")" 3
same "three embeddings (words with n-grams, pieces, characters)" "$(sql "SELECT count(*) FROM embeddings")" 3
same "no vocabulary holds the syllable only TEST has" \
    "$(sql "SELECT count(*) FROM vectors WHERE word LIKE '%뷁%'")" 0
same "the words vocabulary came from TRAIN" "$(sql "SELECT count(*) FROM vectors WHERE word = '영화가'")" 1

run "a rerun with the default BUDGET" 0 env EMBEDLAB="$E" THREADS=1 SEED=1 sh "$K" "$T/train.tsv" "$T/test.tsv" "$DB"
if grep -q "skip-gram" "$T/err"; then notok "the rerun trained an embedding again"; else ok "the rerun reuses the embeddings"; fi
if grep -q "skipping" "$T/err"; then notok "the default BUDGET skipped a classifier"; else ok "no classifier skipped"; fi
has out "^Ensemble of 5 runs on 102 test reviews"
same "still three embeddings" "$(sql "SELECT count(*) FROM embeddings")" 3
same "the three finished classifiers reused, the two others trained" \
    "$(grep -c "^embedlab: run [0-9]* reused" "$T/err") $(sql "SELECT count(*) FROM runs")" "3 5"
tail -n 1 "$T/out" >"$T/last"
run "a third run" 0 env EMBEDLAB="$E" THREADS=1 SEED=1 sh "$K" "$T/train.tsv" "$T/test.tsv" "$DB"
same "all five classifiers reused, no run recorded" \
    "$(grep -c "^embedlab: run [0-9]* reused" "$T/err") $(sql "SELECT count(*) FROM runs")" "5 5"
same "the same vote" "$(tail -n 1 "$T/out")" "$(cat "$T/last")"

# Paths with spaces, the binary's too, each stay one argument (they were
# split: "unexpected argument"); a small set, the core classifiers only.
mkdir -p "$T/a folder/bin dir"
ln -s "$E" "$T/a folder/bin dir/embedlab"
head -n 60 "$T/train.tsv" >"$T/a folder/train set.tsv"
head -n 20 "$T/test.tsv" >"$T/a folder/test set.tsv"
run "paths with spaces" 0 env EMBEDLAB="$T/a folder/bin dir/embedlab" THREADS=1 BUDGET=0 sh "$K" \
    "$T/a folder/train set.tsv" "$T/a folder/test set.tsv" "$T/a folder/lab db.db"
has out "^Ensemble of 3 runs on 20 test reviews"
exit $bad
