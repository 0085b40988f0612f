#!/bin/sh
# Command-line conventions: --help everywhere, exit statuses, messages.
# Prints "ok N - what" or "not ok N - what" per check (TAP-like).
set -u
E=${EMBEDLAB:-build/embedlab}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
bad=0
check() { # check "what" expected_status command...
    what=$1 want=$2
    shift 2
    n=$((n + 1))
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then echo "ok $n - $what"; else
        echo "not ok $n - $what (exit $got, wanted $want)"; sed 's/^/#   /' "$T/err"; bad=1; fi
}
expect_err() { # the last command's stderr contains $1
    n=$((n + 1))
    if grep -q -- "$1" "$T/err"; then echo "ok $n - stderr says '$1'"; else
        echo "not ok $n - stderr lacks '$1'"; sed 's/^/#   /' "$T/err"; bad=1; fi
}
expect_out() {
    n=$((n + 1))
    if grep -q -- "$1" "$T/out"; then echo "ok $n - stdout says '$1'"; else
        echo "not ok $n - stdout lacks '$1'"; sed 's/^/#   /' "$T/out"; bad=1; fi
}

check "--version" 0 $E --version
expect_out "embedlab 0"
check "--help" 0 $E --help
check "no command is bad usage" 2 $E
check "unknown command" 2 $E frobnicate
expect_err "embedlab: error: unknown command 'frobnicate'"
for sub in "data" "data stats" "data tokenize"; do
    check "$sub --help" 0 $E $sub --help
done
check "unknown data subcommand" 2 $E data nope
check "bad --maxlen" 2 $E data stats --maxlen 0
expect_err "embedlab: error: --maxlen takes a whole number"
check "bad --threads" 2 $E data stats --threads abc
check "unknown option" 2 $E data stats --bogus
check "missing data folder" 1 $E data stats --data "$T/nowhere"
expect_err "embedlab: error: no data at"

printf '1\tA <br />great, GREAT film\n0\tdull dull film\n1\tgreat\n' >"$T/train.tsv"
printf '0\tdull\n' >"$T/test.tsv"
check "stats on a TSV" 0 $E data stats --data "$T/train.tsv" --test-data "$T/test.tsv" --maxlen 2 --vocab 3
expect_out "train/pos .* 2 "
expect_out "Vocabulary ranked on the train split: 4 words"
printf '1\tok\n5\tbad\n' >"$T/bad.tsv"
check "bad label in a TSV" 1 $E data stats --data "$T/bad.tsv"
expect_err "bad.tsv:2: label must be 0 or 1"
check "tokenize" 0 $E data tokenize "I<br />didn't LIKE it... 10/10 '재밌다'"
expect_out "^i didn't like it 10 10 재밌다$"
if command -v gnuplot >/dev/null 2>&1; then
    check "length histogram (png)" 0 $E data stats --data "$T/train.tsv" --plot "$T/len.png"
    n=$((n + 1))
    if [ -s "$T/len.png" ] && [ -s "$T/len.gp" ] && [ -s "$T/len.dat" ]; then echo "ok $n - png, script and data written"; else
        echo "not ok $n - plot files missing"; bad=1; fi
    check "length histogram (svg)" 0 $E data stats --data "$T/train.tsv" --plot "$T/len.svg"
    check "plot name without .png/.svg" 1 $E data stats --data "$T/train.tsv" --plot "$T/len.jpg"
else
    echo "# gnuplot not installed: plot checks not run"
fi
exit $bad
