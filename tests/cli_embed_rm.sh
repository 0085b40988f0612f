#!/bin/sh
# embed rm and what an embedding leaves behind: a learned tokenizer's model
# (lab.db's tokenizers) goes with the last embedding or run that uses it and
# stays while another does; an embedding that a subword-input run's stored
# model is completed from is refused until the run is gone.
. "$(dirname "$0")/lib.sh"
DB=$T/lab.db
sql() { sqlite3 "$DB" "$1"; }

ko "$T/train.tsv" 400 3
head -n 80 "$T/train.tsv" >"$T/test.tsv"
EMB="--db $DB --data $T/train.tsv --dim 8 --min-count 1 --sample 0 --epochs 1 --threads 1"
models() { sql "SELECT count(*) FROM tokenizers"; }

# Two embeddings of one learned model (the same bytes: one row), then rm.
run "an spm embedding" 0 $E embed train $EMB --name p1 --tokenizer spm:unigram:60
run "another of the same model" 0 $E embed train $EMB --name p2 --tokenizer spm:unigram:60
same "one tokenizers row for both" "$(models)" 1
# embed list shows each embedding's tokenizer spec, in a column of its own.
run "embed list" 0 $E embed list --db "$DB"
same "embed list's tokenizer column" "$(awk '{ print $1, $6 }' "$T/out")" "name tokenizer
p1 spm:unigram:60
p2 spm:unigram:60"
run "rm the first" 0 $E embed rm --db "$DB" p1
same "the model stays while p2 uses it" "$(models)" 1
has out "^Removed p1$"
run "rm the second" 0 $E embed rm --db "$DB" p2
has out "Removed p2 and its tokenizer model (spm:unigram:60), which nothing else uses"
same "the model went with the last embedding" "$(models)" 0

# A run that read through the model keeps it.
run "an spm embedding again" 0 $E embed train $EMB --name p3 --tokenizer spm:unigram:60
run "a run over it" 0 $E train --db "$DB" --data "$T/train.tsv" --test-data "$T/test.tsv" --embedding p3 --epochs 1 \
    --vocab 50 --maxlen 8 --units 4 --threads 1
run "rm p3" 0 $E embed rm --db "$DB" p3
has out "^Removed p3$"
same "the run still has its model" "$(sql "SELECT count(*) FROM tokenizers t JOIN runs r ON r.tokenizer_id = t.id")" 1
last=$(sql "SELECT max(id) FROM runs")
run "the run still predicts" 0 $E predict --db "$DB" --run "$last" "배우의 연기는 최고다"

# A words embedding has no model to remove.
run "a words embedding" 0 $E embed train $EMB --name w
run "embed list" 0 $E embed list --db "$DB"
has out "^w  *[0-9]*  *8 sg/ns  *-  *words  "
same "words records no model" "$(sql "SELECT tokenizer || '/' || coalesce(tokenizer_id, 'none') FROM embeddings
    WHERE name = 'w'")" words/none
run "rm w" 0 $E embed rm --db "$DB" w
has out "^Removed w$"

# A subword-input run completes its stored model from its embedding.
run "a subword embedding" 0 $E embed train $EMB --name k --subwords 1-3
run "a subword-input run" 0 $E train --db "$DB" --data "$T/train.tsv" --test-data "$T/test.tsv" --embedding k \
    --epochs 1 --vocab 50 --maxlen 8 --units 4 --threads 1
sub=$(sql "SELECT max(id) FROM runs")
run "rm k while the run needs it" 1 $E embed rm --db "$DB" k
has err "embedlab: error: embedding 'k' is still needed by subword-input run(s) $sub"
has err "Remove those runs first ('embedlab runs rm $sub')"
same "k is still there" "$(sql "SELECT count(*) FROM embeddings WHERE name = 'k'")" 1
run "the run still evaluates" 0 $E eval --db "$DB" --run "$sub"
run "runs rm of that run" 0 $E runs rm --db "$DB" "$sub"
same "its model went with it" "$(sql "SELECT count(*) FROM models WHERE run_id = $sub")" 0
run "rm k once the run is gone" 0 $E embed rm --db "$DB" k
run "rm of an unknown name" 1 $E embed rm --db "$DB" nope
has err "embedlab: error: no embedding named 'nope'"
exit $bad
