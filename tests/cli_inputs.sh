#!/bin/sh
# Input kinds as data (experiments/run/input_kind.h): a sweep over stored
# embeddings (emb:NAME, emb:NAME:frozen, emb:PATTERN{dim}), every run records
# its kind, and the report and plot label runs from the recorded kind and the
# embedding's trainer, never from the embedding's name.
. "$(dirname "$0")/lib.sh"

reviews "$T/all.tsv"
head -600 "$T/all.tsv" >"$T/train.tsv"
tail -300 "$T/all.tsv" >"$T/test.tsv"
DB="$T/lab.db"
D="--db $DB --data $T/train.tsv --test-data $T/test.tsv"
W2V="--min-count 1 --epochs 2 --threads 1"
SMALL="--cells gru --seeds 1 --vocab 30 --maxlen 14 --epochs 2 --patience 0 --opt adam --lr 0.01 --threads 2 --jobs 1"

run "a stored embedding, trained by word2vec" 0 $E embed train $D --name mine4 --dim 4 $W2V
same "its trainer is recorded" "$(sqlite3 "$DB" "SELECT json_extract(params, '$.trainer') FROM embeddings WHERE name = 'mine4'")" word2vec
run "export it" 0 $E embed export --db "$DB" --embedding mine4 --format text "$T/v.txt"
run "import it under another name" 0 $E embed import --db "$DB" --name ext4 --format text "$T/v.txt"

run "an unknown kind, with the list" 2 $E sweep $D --inputs onehot,glove
has err "unknown input 'glove' (onehot, random, word2vec, word2vec-frozen, emb:NAME, emb:NAME:frozen, sub:NAME, sub:NAME:frozen)"
run "a bad embedding name in a kind" 2 $E sweep $D --inputs 'emb:a/b'
has err "input 'emb:a/b': "
run "a stored embedding that is not there: dry run says so" 0 $E sweep $D $SMALL --inputs emb:nosuch --dry-run
has out "embedding nosuch (its own dim): NOT in the lab database"
run "a stored embedding that is not there: the sweep fails before any run" 1 $E sweep $D $SMALL --inputs emb:nosuch
has err "the embedding nosuch of --inputs emb:nosuch is not in the lab database"
same "no run recorded" "$(sqlite3 "$DB" "SELECT count(*) FROM runs")" 0

run "a sweep over stored and trained kinds" 0 $E sweep $D $SMALL --dims 4 \
    --inputs onehot,emb:mine4,emb:mine4:frozen,emb:ext4,emb:mine{dim},word2vec --embeddings pre{dim} --embed-options "$W2V"
q="SELECT sweep_key || ' ' || json_extract(config, '$.input_kind') || ' ' || coalesce(json_extract(config, '$.embedding'), '-')
   || ' ' || json_extract(config, '$.freeze') FROM runs WHERE sweep_id = (SELECT max(id) FROM sweeps) AND status = 'finished' ORDER BY id"
same "each run records its kind as given" "$(sqlite3 "$DB" "$q" | sort | tr '\n' '|')" \
"cell=gru input=emb:ext4 seed=1 emb:ext4 ext4 0|cell=gru input=emb:mine4 seed=1 emb:mine4 mine4 0|cell=gru input=emb:mine4:frozen seed=1 emb:mine4:frozen mine4 1|cell=gru input=emb:mine{dim} dim=4 seed=1 emb:mine{dim} mine4 0|cell=gru input=onehot seed=1 onehot - 0|cell=gru input=word2vec dim=4 seed=1 word2vec pre4 0|"
same "the sweep's embedding, named pre4, records its trainer" \
    "$(sqlite3 "$DB" "SELECT json_extract(params, '$.trainer') FROM embeddings WHERE name = 'pre4'")" word2vec
run "report" 0 $E report --db "$DB"
has out "| gru | word2vec | "
has out "| gru | mine4 (word2vec) | "
has out "| gru | mine4 (word2vec, frozen) | "
has out "| gru | mine{dim} (word2vec) | "
has out "| gru | ext4 (imported) | "
has out "| gru | one-hot | "
cp "$T/out" "$T/report.md"

# Runs recorded before kinds were: the kind their settings made then (a
# sweep's named embedding was its word2vec one), the same report.
sqlite3 "$DB" "UPDATE runs SET config = json_remove(config, '$.input_kind') WHERE sweep_key LIKE '%input=word2vec%' OR sweep_key LIKE '%onehot%'"
run "report over runs without a recorded kind" 0 $E report --db "$DB"
same "the same report" "$(cat "$T/out")" "$(cat "$T/report.md")"

if command -v gnuplot >/dev/null 2>&1; then
    run "plot sweep" 0 $E plot sweep --db "$DB" --out "$T/p.svg" --format svg
    has_line() { grep -q -- "$1" "$T/p.gp" && ok "plot: $1" || notok "plot: $1 in $(cat "$T/p.gp")"; }
    has_line "dt 3 pt 9 title 'mine4 (word2vec, frozen) gru' noenhanced"
    has_line "dt 1 pt 7 title 'ext4 (imported) gru' noenhanced"
else
    echo "# skip: gnuplot is not installed"
fi

run "train records the kind its settings make" 0 $E train $D --embedding mine4 --freeze --vocab 30 --maxlen 14 --epochs 1
same "recorded" "$(sqlite3 "$DB" "SELECT json_extract(config, '$.input_kind') FROM runs ORDER BY id DESC LIMIT 1")" "emb:mine4:frozen"
exit $bad
