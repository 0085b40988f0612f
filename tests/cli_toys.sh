#!/bin/sh
# ARCHITECTURE.md's "How to add", proven: the test build of embedlab
# (build/tests/embedlab-toys, tests/toys/) registers a toy cell, a toy
# embedding trainer and a toy tokenizer at start-up and nothing else; each is then offered and
# used by the CLI as the built-in ones are, with no other file touched. The
# real binary knows none of them.
. "$(dirname "$0")/lib.sh"
TOYS=$(dirname "$E")/tests/embedlab-toys
[ -x "$TOYS" ] || TOYS=$(cd "$(dirname "$0")/.." && pwd)/build/tests/embedlab-toys
DB=$T/lab.db
reviews "$T/all.tsv"
head -600 "$T/all.tsv" >"$T/train.tsv"
tail -300 "$T/all.tsv" >"$T/test.tsv"
D="--db $DB --data $T/train.tsv --test-data $T/test.tsv --vocab 20 --maxlen 12 --threads 1"

# A cell: one file (tests/toys/cell_toy.c) and its registration.
run "train --help of the test build" 0 "$TOYS" train --help
has out "--cell rnn|lstm|gru|toy"
run "the real binary has no toy cell" 2 $E train $D --cell toy
has err "unknown cell 'toy' (known: rnn, lstm, gru)"
run "the toy cell trains" 0 "$TOYS" train $D --cell toy --units 4 --epochs 2 --opt adam --lr 0.01
has out "Run 1 finished: test accuracy"
same "its run records the cell" "$(sqlite3 "$DB" "SELECT json_extract(config, '$.cell') FROM runs")" toy
acc=$(sqlite3 "$DB" "SELECT test_acc > 0.6 FROM results")
same "and it learned the planted words (test accuracy above 0.6)" "$acc" 1
run "sweep --help of the test build" 0 "$TOYS" sweep --help
has out "--cells LIST *each point's --cell: rnn, lstm, gru, toy"
run "a sweep offers it as an axis" 0 "$TOYS" sweep $D --cells toy,gru --dims 4 --inputs onehot --seeds 1 \
    --units 2 --epochs 1 --dry-run
has out "toy"

# A trainer: one file (tests/toys/trainer_toy.c) and its registration; its
# options are its own table's, parsed by embed train with no code of its own.
run "embed train --help names both trainers, and the default's options" 0 "$TOYS" embed train --help
has out "--trainer NAME *the trainer: word2vec, toy"
has out "--window N"
run "embed train --trainer toy --help lists the toy's own options" 0 "$TOYS" embed train --trainer toy --help
has out "^toy:$"
has out "--window N *neighbours on each side (default 2)"
has out "--min-count N *ignore rarer words (default 1)"
if grep -q -- "--negative" "$T/out"; then notok "and no word2vec option"; else ok "and no word2vec option"; fi
run "--trainer=toy after the options, as getopt reads it" 0 "$TOYS" embed train --help --trainer=toy
has out "^toy:$"
run "the real binary has no toy trainer" 2 $E embed train --db "$DB" --data "$T/train.tsv" --trainer toy
has err "unknown trainer 'toy' (known: word2vec)"
run "a toy option is checked by its table" 2 "$TOYS" embed train --db "$DB" --data "$T/train.tsv" --trainer toy \
    --window 0
has err "--window must be a whole number from 1 to 100, got '0'"
run "a word2vec option is not the toy's" 2 "$TOYS" embed train --db "$DB" --data "$T/train.tsv" --trainer toy \
    --negative 3
run "the toy trainer trains" 0 "$TOYS" embed train --db "$DB" --data "$T/train.tsv" --trainer toy --dim 8
has out "Trained train-toy-d8-s1: 16 words x 8 dims"
same "its embedding records the trainer" \
    "$(sqlite3 "$DB" "SELECT json_extract(params, '$.trainer') || ' ' || dim FROM embeddings")" "toy 8"
run "nearest words of a toy embedding" 0 $E nearest --db "$DB" --embedding train-toy-d8-s1 great -k 3
same "three neighbours" "$(wc -l <"$T/out")" 3
run "a classifier starts from it" 0 "$TOYS" train $D --embedding train-toy-d8-s1 --cell gru --units 4 --epochs 1

# A tokenizer kind: one file (tests/toys/tok_toy.c) and its registration. Its
# query form is a field of its registry entry, which every embedding made
# with it records, so SQL nearest() in the stock sqlite3 shell (the
# extension links no tokenizer) looks a query up as the kind writes words.
run "the real binary has no toy tokenizer" 2 $E embed train --db "$DB" --data "$T/train.tsv" --tokenizer toy
has err "unknown tokenizer 'toy' (known: words, unicode, chars, spm)"
run "an embedding through the toy tokenizer" 0 "$TOYS" embed train --db "$DB" --data "$T/train.tsv" --trainer toy \
    --dim 8 --tokenizer toy --name tt
same "it records the kind's spec and query form" \
    "$(sqlite3 "$DB" "SELECT tokenizer || ' ' || query_form FROM embeddings WHERE name = 'tt'")" "toy unicode"
EXT=$(cd "$(dirname "$E")" && pwd)/embedlab_sqlite
sq() { sqlite3 "$DB" -cmd ".load $EXT" "$1" 2>&1; }
great=$(sq "SELECT group_concat(word) FROM nearest('tt', 'great', 3)")
same "SQL nearest('tt', 'great', 3): three words" "$(echo "$great" | tr ',' '\n' | grep -c .)" 3
same "SQL nearest of the full-width 'ＧＲＥＡＴ' is great's" \
    "$(sq "SELECT group_concat(word) FROM nearest('tt', 'ＧＲＥＡＴ', 3)")" "$great"
same "and 'Great' too, in mode exact" "$(sq "SELECT group_concat(word) FROM nearest('tt', 'Great', 3, 'exact')")" \
    "$great"
run "nearest ＧＲＥＡＴ in the test build" 0 "$TOYS" nearest --db "$DB" --embedding tt "ＧＲＥＡＴ" -k 3
has err "'ＧＲＥＡＴ' is looked up as 'great' (embedding 'tt' has its words from tokenizer toy)"
same "the CLI answers as SQL" "$(awk '{print $1}' "$T/out" | paste -sd,)" "$great"
run "merge carries the query form (the real binary: it needs no toy)" 0 $E merge "$T/merged.db" "$DB"
same "the merged embedding's query form" \
    "$(sqlite3 "$T/merged.db" "SELECT query_form FROM embeddings WHERE name = 'tt'")" unicode
same "SQL nearest of 'ＧＲＥＡＴ' in the merged lab" \
    "$(sqlite3 "$T/merged.db" -cmd ".load $EXT" "SELECT group_concat(word) FROM nearest('tt', 'ＧＲＥＡＴ', 3)" 2>&1)" "$great"
exit $bad
