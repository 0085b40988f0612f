#!/bin/sh
# A classifier over a subword embedding from the command line (train
# --subwords, --pool, --bidirectional): test reviews made only of word forms never seen in
# training are read through their n-grams, --subwords on/off/auto recorded,
# bad combinations refused, --threads giving the same bits, predict
# refusing such a run plainly.
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
run "--bidirectional with one-hot input" 2 $E train $D --input onehot --bidirectional
has err "embedlab: error: --bidirectional needs --input embed"
same "the pool is recorded" "$(sql "SELECT json_extract(config, '\$.pool') FROM runs ORDER BY id DESC LIMIT 1")" mean

last=$(sql "SELECT max(id) FROM runs")
run "predict refuses a subword run" 1 $E predict --db "$DB" --run "$last" "최고도"
has err "embedlab: error: run $last took subword input (--subwords on), which predict and eval cannot load yet"
exit $bad
