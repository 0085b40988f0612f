#!/bin/sh
# Command-line conventions: --help everywhere, exit statuses, messages.
# Prints "ok N - what" or "not ok N - what" per check (TAP-like).
. "$(dirname "$0")/lib.sh"

run "--version" 0 $E --version
has out "embedlab 0"
run "--help" 0 $E --help
run "no command is bad usage" 2 $E
run "unknown command" 2 $E frobnicate
has err "embedlab: error: unknown command 'frobnicate'"
for sub in "data" "data stats" "data tokenize"; do
    run "$sub --help" 0 $E $sub --help
done
run "unknown data subcommand" 2 $E data nope
run "bad --maxlen" 2 $E data stats --maxlen 0
has err "embedlab: error: --maxlen must be a whole number"
run "bad --threads" 2 $E data stats --threads abc
run "unknown option" 2 $E data stats --bogus
run "missing data folder" 1 $E data stats --data "$T/nowhere"
has err "embedlab: error: no data at"

printf '1\tA <br />great, GREAT film\n0\tdull dull film\n1\tgreat\n' >"$T/train.tsv"
printf '0\tdull\n' >"$T/test.tsv"
run "stats on a TSV" 0 $E data stats --data "$T/train.tsv" --test-data "$T/test.tsv" --maxlen 2 --vocab 3
has out "train/pos .* 2 "
has out "Vocabulary ranked on the train split: 4 words"
printf '1\tok\n5\tbad\n' >"$T/bad.tsv"
run "bad label in a TSV" 1 $E data stats --data "$T/bad.tsv"
has err "bad.tsv:2: label must be 0 or 1"
run "tokenize" 0 $E data tokenize "I<br />didn't LIKE it... 10/10 '재밌다'"
has out "^i didn't like it 10 10 재밌다$"
if command -v gnuplot >/dev/null 2>&1; then
    run "length histogram (png)" 0 $E data stats --data "$T/train.tsv" --plot "$T/len.png"
    n=$((n + 1))
    if [ -s "$T/len.png" ] && [ -s "$T/len.gp" ] && [ -s "$T/len.dat" ]; then echo "ok $n - png, script and data written"; else
        echo "not ok $n - plot files missing"; bad=1; fi
    run "length histogram (svg)" 0 $E data stats --data "$T/train.tsv" --plot "$T/len.svg"
    run "plot name without .png/.svg" 1 $E data stats --data "$T/train.tsv" --plot "$T/len.jpg"
else
    echo "# skipped: gnuplot is not installed, so the length histogram checks did not run"
fi
# The re-execution that bounds OpenMP's spin keeps the program's name (ps,
# top and OOM messages once showed "exe").
# Read once the re-execution has happened (its environment then holds the
# bound), polling: a fixed delay was too short on a loaded machine.
(sleep 2; echo hi) | env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT $E data tokenize >/dev/null &
pid=$! comm=
for i in $(seq 100); do
    if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx GOMP_SPINCOUNT=10000; then
        comm=$(cat "/proc/$pid/comm" 2>/dev/null)
        break
    fi
    sleep 0.05
done
wait
same "the process is named embedlab in ps" "$comm" embedlab
# Provenance: the build's commit, compiler and the BLAS kernel.
run "--version" 0 $E --version
if head=$(git rev-parse --short=12 HEAD 2>/dev/null); then has out "(commit $head"; fi
has out "BLAS kernel "
has out "OpenBLAS"
# make CFLAGS=... adds to the project's own flags (it once replaced them, so
# an instrumented build failed for want of -std=gnu11, -fopenmp and -I.).
line=$(make -s -n -B BUILD="$T/b" CFLAGS='-O0 -g' "$T/b/obj/core/common.o" 2>/dev/null | grep ' -c core/common.c')
case "$line" in *-std=gnu11*-fopenmp*-I.*-O0\ -g*) ok "make CFLAGS=... keeps the project's flags" ;;
*) notok "make CFLAGS=... compiles with: $line" ;; esac
exit $bad
