#!/bin/sh
# A classifier over a subword embedding from the command line (train
# --subwords, --pool, --bidirectional): test reviews made only of word forms never seen in
# training are read through their n-grams, --subwords on/off/auto recorded,
# bad combinations refused, --threads giving the same bits, eval and
# predict of such a run giving what it reported, unseen words included.
. "$(dirname "$0")/lib.sh"
DB=$T/lab.db
sql() { sqlite3 "$DB" "$1"; }

# Positive reviews use good stems, negative bad ones, each with one of four
# endings and filler words. The test split's forms all end in 도, an ending
# training never sees: to a word vocabulary these forms are unknown words.
awk 'BEGIN { srand(4); split("최고 명작 감동", g, " "); split("별로 졸작 지루", b, " ");
  split("다 이다 임 였다", e, " "); split("영화 정말 배우 그냥 너무 진짜", f, " ");
  for (i = 0; i < 1000; i++) { y = int(rand() * 2); line = "";
    for (k = 0; k < 3; k++) line = line f[1 + int(rand() * 6)] " ";
    w = y ? g[1 + int(rand() * 3)] : b[1 + int(rand() * 3)];
    print y "\t" line w e[1 + int(rand() * 4)] " " f[1 + int(rand() * 6)] }
  for (i = 0; i < 200; i++) { y = int(rand() * 2); line = "";
    for (k = 0; k < 3; k++) line = line f[1 + int(rand() * 6)] " ";
    w = y ? g[1 + int(rand() * 3)] : b[1 + int(rand() * 3)];
    print y "\t" line w "도 " f[1 + int(rand() * 6)] > "/dev/stderr" } }' >"$T/train.tsv" 2>"$T/test.tsv"
cut -f2 "$T/train.tsv" >"$T/text.txt"
EMB="--db $DB --corpus $T/text.txt --dim 16 --min-count 1 --sample 0 --epochs 5 --threads 1"
run "a subword embedding" 0 $E embed train $EMB --name k --subwords 1-3
run "a plain embedding" 0 $E embed train $EMB --name plain
D="--db $DB --data $T/train.tsv --test-data $T/test.tsv --vocab 40 --maxlen 6 --cell gru --units 8 --opt adam --lr 0.01 --epochs 6 --patience 0 --threads 2"
cfg() { sql "SELECT json_extract(config, '\$.subwords') FROM runs ORDER BY id DESC LIMIT 1"; }
acc() { sed -n 's/.*test accuracy \([0-9.]*\).*/\1/p' "$T/out"; }

run "subword input by default" 0 $E train $D --embedding k
has err "embedding 'k' with subwords: [0-9]* of [0-9]* vocabulary words start from it; [0-9]* n-gram rows"
has err "on subword input"
same "the run records subwords on" "$(cfg)" on
a=$(acc)
if awk -v a="$a" 'BEGIN { exit !(a >= 0.9) }'; then ok "unseen forms read through their n-grams: test accuracy $a"; else
    notok "subword input: test accuracy $a on unseen forms"; fi
run "--subwords off" 0 $E train $D --embedding k --subwords off
has err "on embedding input"
same "the run records subwords off" "$(cfg)" off
a=$(acc)
if awk -v a="$a" 'BEGIN { exit !(a < 0.7) }'; then ok "word rows only: unseen forms are unknown ($a)"; else
    notok "word rows only: test accuracy $a on unseen forms"; fi
run "a plain embedding: auto is off" 0 $E train $D --embedding plain
same "recorded off" "$(cfg)" off
run "frozen subword input" 0 $E train $D --embedding k --freeze --epochs 1
has err "; frozen"
run "one-hot input" 0 $E train $D --input onehot --epochs 1
same "one-hot records no subwords" "$(cfg)" ""
run "--subwords on without n-gram rows" 1 $E train $D --embedding plain --subwords on
has err "embedlab: error: --subwords on: embedding 'plain' has no n-gram rows"
run "--subwords on with a random embedding" 2 $E train $D --subwords on
has err "needs --embedding NAME"
run "--subwords maybe" 2 $E train $D --embedding k --subwords maybe
run "--pool avg" 2 $E train $D --pool avg
has err "unknown pool 'avg' (known: last, mean, max)"

# Pooling, and the same bits for any --threads.
for pool in mean max; do
    for th in 1 2; do
        run "--pool $pool, $th thread(s)" 0 $E train $D --embedding k --pool $pool --dropout 0.2 --epochs 2 --threads $th
    done
    same "--pool $pool: the same parameters with 1 and 2 threads" \
        "$(sql "SELECT count(DISTINCT params) FROM models WHERE run_id IN (SELECT id FROM runs ORDER BY id DESC LIMIT 2)")" 1
done
run "--bidirectional, subword input" 0 $E train $D --embedding k --bidirectional --pool mean --epochs 2
same "bidirectional is recorded" "$(sql "SELECT json_extract(config, '\$.bidirectional') FROM runs ORDER BY id DESC LIMIT 1")" 1
same "the pool is recorded" "$(sql "SELECT json_extract(config, '\$.pool') FROM runs ORDER BY id DESC LIMIT 1")" mean
# One-hot input reads both ways too: each direction's W rows side by side in
# the row-sparse block (refused before), bit-identical with 1 or 2 threads.
for th in 1 2; do
    run "--bidirectional with one-hot input, $th thread(s)" 0 $E train $D --input onehot --bidirectional --pool max \
        --dropout 0.2 --epochs 2 --threads $th
done
same "one-hot, bidirectional: the same parameters with 1 and 2 threads" \
    "$(sql "SELECT count(DISTINCT params) FROM models WHERE run_id IN (SELECT id FROM runs ORDER BY id DESC LIMIT 2)")" 1

# A subword-input run used again: eval and predict rebuild its model over
# the tokens they read and give exactly what the run reported. The test
# split gets reviews with words no training review has (a seen stem with an
# unseen ending, unseen syllables, a Latin word): their stored predictions
# are what the model computed as it finished.
printf '1\t영화 정말 최고네 배우\n0\t그냥 꿀꿀도 졸작네\n1\t진짜 zzqx 감동도 영화\n' >>"$T/test.tsv"
EXT=$(cd "$(dirname "$E")" && pwd)/embedlab_sqlite
probs() { sqlite3 "$DB" -cmd ".load $EXT" "SELECT vec_json(probs) FROM predictions WHERE run_id = $1" |
    tr -d '[]' | tr ',' '\n' | awk '{ printf "%.4f\n", $1 }'; }
reuse() { # reuse WHAT RUN: eval and predict against what run RUN stored
    id=$2
    run "$1: eval" 0 $E eval --db "$DB" --run "$id"
    score=$(sql "SELECT printf('loss %.4f, accuracy %.4f over %d reviews', test_loss, test_acc, n) FROM results
                JOIN predictions USING (run_id) WHERE run_id = $id")
    has out "Run $id on the test split: $score"
    run "$1: eval on a file" 0 $E eval --db "$DB" --run "$id" --data "$T/test.tsv"
    has out "Run $id on $T/test.tsv: $score"
    { head -n 2 "$T/test.tsv"; tail -n 3 "$T/test.tsv"; } | cut -f2 >"$T/texts"
    run "$1: predict" 0 $E predict --db "$DB" --run "$id" "$(sed -n 1p "$T/texts")" "$(sed -n 2p "$T/texts")" \
        "$(sed -n 3p "$T/texts")" "$(sed -n 4p "$T/texts")" "$(sed -n 5p "$T/texts")"
    lines=$(wc -l <"$T/test.tsv")
    same "$1: predict gives the stored probabilities, unseen words included" "$(cut -c1-6 "$T/out" | tr '\n' ' ')" \
        "$(probs "$id" | sed -n "1,2p;$((lines - 2)),\$p" | tr '\n' ' ')"
}
run "a subword-input run to use again" 0 $E train $D --embedding k --epochs 3
tuned=$(sql "SELECT max(id) FROM runs")
reuse "fine-tuned" "$tuned"
run "a frozen subword-input run to use again" 0 $E train $D --embedding k --freeze --pool mean --epochs 2
frozen=$(sql "SELECT max(id) FROM runs")
reuse "frozen" "$frozen"
# What they store: the word rows, the rest of the network and only the
# n-gram rows training moved (none when frozen), not the whole table.
same "the stored format" "$(sql "SELECT group_concat(DISTINCT format) FROM models WHERE run_id IN ($tuned, $frozen)")" \
    float32-le+ngram-rows
stored() { sql "SELECT hex(substr(params, 25, 8)) FROM models WHERE run_id = $1"; } # the header's n-gram row count
same "a frozen run stores no n-gram row" "$(stored "$frozen")" 0000000000000000
if [ "$(stored "$tuned")" != 0000000000000000 ]; then ok "a fine-tuned run stores the rows it moved"; else
    notok "a fine-tuned run stores no n-gram row"; fi
same "a frozen run stores less than its whole table" \
    "$(sql "SELECT length(m.params) < 4 * r.params FROM models m JOIN results r USING (run_id) WHERE run_id = $frozen")" 1
run "a subword run's tokenizer for data tokenize" 0 $E data tokenize --db "$DB" --run "$tuned" "최고도 영화"
has out "최고도 영화"
exit $bad
