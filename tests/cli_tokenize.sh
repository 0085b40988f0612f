#!/bin/sh
# embedlab data tokenize --tokenizer: each kind on Korean and malformed
# input, spm trained from --data, and bad usage.
. "$(dirname "$0")/lib.sh"
ko='영화가 정말 최고다!!!! ㅋㅋㅋㅋㅋ 10점 만점에 10점'
run "words by default" 0 $E data tokenize "$ko"
same "words tokens" "$(cat $T/out)" "영화가 정말 최고다 ㅋㅋㅋㅋㅋ 10점 만점에 10점"
run "unicode" 0 $E data tokenize --tokenizer unicode "$ko" "ＡＢＣ１２３ I<br />LOVED it 😀👍"
same "unicode tokens" "$(cat $T/out)" "영화가 정말 최고다 !!! ㅋㅋㅋ 10점 만점에 10점
abc123 i loved it 😀 👍"
run "chars" 0 $E data tokenize --tokenizer chars "최고다!!!! ㅋㅋㅋㅋ"
same "chars tokens" "$(cat $T/out)" "최 고 다 ! ! ! ㅋ ㅋ ㅋ"
printf 'ok\377\376 좋다\n\200\n' >"$T/bad.txt"
run "malformed stdin" 0 sh -c "$E data tokenize --tokenizer unicode <'$T/bad.txt'"
same "malformed tokens" "$(cat $T/out)" "ok 좋다"
same "one line per input line, empty ones too" "$(wc -l <$T/out)" 2
has err "3 invalid UTF-8 sequences in the input"
run "words counts them too" 0 sh -c "$E data tokenize <'$T/bad.txt'"
has err "3 invalid UTF-8 sequences in the input"
run "a text starting with a dash" 0 $E data tokenize --tokenizer unicode -- --tokenizer -5
same "dash tokens" "$(cat $T/out)" "-- tokenizer
- 5"
run "options end at the first text" 0 $E data tokenize "a b" --tokenizer chars
same "what follows a text is text" "$(cat $T/out)" "a b
tokenizer
chars"
run "--run takes a run id (bad usage)" 2 $E data tokenize --run x a
has err "--run must be a whole number from 1"
run "--help from the option table" 0 $E data tokenize --help
has out "^  --embedding NAME"
same "--help: --data is tokenize's own, not the common one" "$(grep -c -- '^  --data' $T/out)" 1

# spm learns from --data (LABEL<TAB>TEXT), on the texts only.
i=0
while [ $i -lt 300 ]; do
    printf '%d\t영화가 정말 재밌다 배우의 연기는 최고다 ㅋㅋㅋ\n1\t감독이 별로다 음악도 지루하다 ㅠㅠ\n' $((i % 2))
    i=$((i + 1))
done >"$T/train.tsv"
run "spm trains on --data" 0 $E data tokenize --tokenizer spm:bpe:60 --data "$T/train.tsv" "영화가 정말 최고다"
same "spm pieces" "$(cat $T/out)" "▁영 화가 ▁정말 ▁최 고다"
run "spm twice, same pieces" 0 $E data tokenize --tokenizer spm:bpe:60 --data "$T/train.tsv" "영화가 정말 최고다"
same "spm again" "$(cat $T/out)" "▁영 화가 ▁정말 ▁최 고다"

run "spm without --data" 2 $E data tokenize --tokenizer spm x
has err "give them with --data FILE"
run "--data without spm" 2 $E data tokenize --data "$T/train.tsv" x
run "unknown tokenizer" 2 $E data tokenize --tokenizer wordz x
has err "known: words, unicode, chars, spm"
run "bad spm options" 2 $E data tokenize --tokenizer spm:bpe:3 x
run "unknown option" 2 $E data tokenize --tokenise unicode x
: >"$T/empty.tsv"
run "spm on no text" 1 $E data tokenize --tokenizer spm --data "$T/empty.tsv" x
has err "no text with a token to train on"
run "spm on a missing file" 1 $E data tokenize --tokenizer spm --data "$T/missing.tsv" x
exit $bad
