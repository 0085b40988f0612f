#!/bin/sh
# make fuzz: runs every libFuzzer target built in BUILD/fuzz (from
# fuzz/fuzz_NAME.c) for SECONDS each, on a working copy of its seed corpus
# fuzz/corpus/NAME/ (the repository's seeds stay as they are; what the fuzzer
# learns stays in BUILD/fuzz-work/NAME for the next run). A crashing, leaking,
# slow or memory-hungry input is kept in BUILD/fuzz-crashes/ and fails the
# run: turn it into a regression test, then fix it.
# make fuzz-long: with RUNS, each target runs RUNS inputs instead (no time
# limit), and a target that ran fewer fails.
# Usage: scripts/fuzz.sh [BUILD] [SECONDS] [RUNS]
#   FUZZ_TIMEOUT (seconds, default 1): one input taking longer is a finding
#   FUZZ_RSS_MB (default 2048): a run, or one allocation, past it is a finding
set -u
B=${1:-build-fuzz}
S=${2:-60}
R=${3:-}
timeout=${FUZZ_TIMEOUT:-1}
rss=${FUZZ_RSS_MB:-2048}
if [ -n "$R" ]; then
    budget="-runs=$R"
else
    budget="-max_total_time=$S"
fi
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
    # -timeout: one input past FUZZ_TIMEOUT s is slow, a finding (issue 18:
    # inputs that ran for minutes passed); -rss_limit_mb (also the largest
    # single allocation): an input that needs more is a finding;
    # -close_fd_mask=1: the targets' own stdout is noise; their stderr
    # (error messages) stays.
    "$t" $budget -timeout="$timeout" -rss_limit_mb="$rss" -print_final_stats=1 -close_fd_mask=1 \
        -artifact_prefix="$crashes/$name-" $dict "$corpus" >"$work/$name.log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$name.log")
    size=$(ls "$corpus" | wc -l)
    if [ $rc -eq 0 ] && [ -n "$R" ] && [ "${execs:-0}" -lt "$R" ]; then
        result="FAILED: ${execs:-0} executions, fewer than $R"
        failed=$((failed + 1))
    elif [ $rc -eq 0 ]; then
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
if [ -n "$R" ]; then
    echo "$total executions in all, $R per target"
else
    echo "$total executions in all, $S s per target"
fi
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
