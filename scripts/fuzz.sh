#!/bin/sh
# make fuzz: runs every libFuzzer target built in BUILD/fuzz (from
# fuzz/fuzz_NAME.c) for SECONDS each, on a working copy of its seed corpus
# fuzz/corpus/NAME/ (the repository's seeds stay as they are; what the fuzzer
# learns stays in BUILD/fuzz-work/NAME for the next run). A crashing, leaking
# or hanging input is kept in BUILD/fuzz-crashes/ and fails the run: turn it
# into a regression test, then fix it.
# Usage: scripts/fuzz.sh [BUILD] [SECONDS]
set -u
B=${1:-build-fuzz}
S=${2:-60}
work=$B/fuzz-work
crashes=$B/fuzz-crashes
mkdir -p "$work" "$crashes"
passed=0
failed=0
total=0
targets=$(find "$B/fuzz" -maxdepth 1 -type f -name 'fuzz_*' ! -name '*.d' 2>/dev/null | sort)
[ -n "$targets" ] || { echo "embedlab: error: no fuzz targets in $B/fuzz" >&2; exit 1; }
printf '%-12s %12s %9s %8s  %s\n' target executions "exec/s" corpus result
for t in $targets; do
    name=${t##*/fuzz_}
    corpus=$work/$name
    mkdir -p "$corpus"
    [ -d "fuzz/corpus/$name" ] && cp -n "fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null
    dict=
    [ -f "fuzz/$name.dict" ] && dict="-dict=fuzz/$name.dict"
    # -timeout: an input that takes 10 s is a hang; -close_fd_mask=1: the
    # targets' own stdout is noise; their stderr (error messages) stays.
    "$t" -max_total_time="$S" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -close_fd_mask=1 \
        -artifact_prefix="$crashes/$name-" $dict "$corpus" >"$work/$name.log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$name.log")
    size=$(ls "$corpus" | wc -l)
    if [ $rc -eq 0 ]; then
        result=ok
        passed=$((passed + 1))
    else
        result="FAILED (exit $rc): $(grep -m1 -E 'ERROR|runtime error|Test unit written' "$work/$name.log")"
        failed=$((failed + 1))
    fi
    total=$((total + ${execs:-0}))
    printf '%-12s %12s %9s %8s  %s\n' "$name" "${execs:-?}" "${rate:-?}" "$size" "$result"
    [ $rc -eq 0 ] || tail -40 "$work/$name.log" | sed 's/^/#   /'
done
echo "$total executions in all, $S s per target"
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
