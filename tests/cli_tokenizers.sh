#!/bin/sh
# --tokenizer on the commands that read reviews: train, eval and predict on
# a small hand-written Korean LABEL<TAB>TEXT set with each kind; what a run
# and an embedding record (spec, and a learned model in lab.db's tokenizers);
# a learned model read back in a new process tokenizes alike.
. "$(dirname "$0")/lib.sh"

# ko FILE N SEED: N Korean reviews, hand-written words, a fixed seed.
ko() {
    awk -v n="$2" -v seed="$3" 'BEGIN { srand(seed);
      split("영화가 영화는 영화를 배우의 연기는 감독이 음악도 스토리가 장면이 결말은", w, " ");
      split("최고다 최고입니다 재밌다 감동적이다 좋았다 ㅋㅋㅋㅋ 추천합니다", p, " ");
      split("별로다 지루하다 최악이다 실망했다 ㅠㅠ 아깝다 노잼", q, " ");
      for (i = 0; i < n; i++) { y = int(rand() * 2); line = "";
        for (k = 0; k < 4; k++) line = line w[1 + int(rand() * 10)] " ";
        line = line (y ? p[1 + int(rand() * 7)] : q[1 + int(rand() * 7)]) "!";
        print y "\t" line } }' >"$1"
}
ko "$T/train.tsv" 400 3
ko "$T/test.tsv" 100 4
DB="$T/lab.db"
opts="--db $DB --data $T/train.tsv --test-data $T/test.tsv --epochs 1 --vocab 200 --maxlen 20 --units 8 --dim 8 --lr 0.01 --opt adam --threads 1"

for tok in unicode chars spm:unigram:60; do
    run "train --tokenizer $tok" 0 $E train $opts --tokenizer $tok
    # eval must give the very loss training measured: the same tokens, from the stored tokenizer
    score=$(sed -n 's/.*test accuracy \([0-9.]*\), test loss \([0-9.]*\) .*/loss \2, accuracy \1/p' "$T/out")
    run_id=$(sed -n 's/^Run \([0-9]*\) finished.*/\1/p' "$T/out")
    same "$tok recorded in runs.config" "$(sqlite3 "$DB" "SELECT json_extract(config, '$.tokenizer') FROM runs WHERE id = $run_id")" "$tok"
    run "eval of the $tok run (a new process)" 0 $E eval --db "$DB" --run "$run_id"
    has out "$score over 100 reviews"
    run "eval of the $tok run on a file" 0 $E eval --db "$DB" --run "$run_id" --data "$T/test.tsv"
    has out "$score over 100 reviews"
    run "predict with the $tok run" 0 $E predict --db "$DB" --run "$run_id" "배우의 연기는 최고다!" "결말은 지루하다"
    same "$tok predict lines" "$(wc -l <"$T/out")" 2
done
same "one spm model stored" "$(sqlite3 "$DB" "SELECT count(*), spec, length(model) > 0 FROM tokenizers")" "1|spm:unigram:60|1"
same "the spm run points to it" "$(sqlite3 "$DB" "SELECT tokenizer_id FROM runs WHERE json_extract(config, '$.tokenizer') LIKE 'spm%'")" 1
same "fixed kinds need no model" "$(sqlite3 "$DB" "SELECT count(*) FROM runs WHERE tokenizer_id IS NULL")" 2

# words stays the default, recorded as such.
run "train, default tokenizer" 0 $E train $opts
same "words by default" "$(sqlite3 "$DB" "SELECT json_extract(config, '$.tokenizer') FROM runs ORDER BY id DESC LIMIT 1")" words

run "unknown tokenizer" 2 $E train $opts --tokenizer wordz
has err "unknown tokenizer 'wordz' (known: words, unicode, chars, spm)"
exit $bad
