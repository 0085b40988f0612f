#!/bin/sh
# make fuzz: runs every libFuzzer target built in BUILD/fuzz (from
# fuzz/fuzz_NAME.c) for SECONDS each, on a working copy of its seed corpus
# fuzz/corpus/NAME/ (the repository's seeds stay as they are; what the fuzzer
# learns stays in BUILD/fuzz-work/NAME for the next run). A crashing, leaking,
# slow or memory-hungry input is kept in BUILD/fuzz-crashes/ and fails the
# run: turn it into a regression test, then fix it.
# make fuzz-long: with RUNS, each target runs RUNS inputs instead (no time
# limit), and a target that ran fewer fails.
# The run ends with a table of every target run: its executions and exec/s
# as libFuzzer counted them (stat:: lines of BUILD/fuzz-work/NAME.log).
# Usage: scripts/fuzz.sh [BUILD] [SECONDS] [RUNS]
#        scripts/fuzz.sh BUILD table    the table again, from the last logs
#   FUZZ_TARGETS (names, say "sql labdb"): only these targets, in that order
#   FUZZ_TIMEOUT (seconds, default 1): one input taking longer is a finding
#   FUZZ_RSS_MB (default 2048): a run, or one allocation, past it is a finding
#   FUZZ_JOBS (default 1): how many targets run at once. libFuzzer runs one
#     input at a time on one thread, so on N cores N targets at once take
#     about 1/N of the time; each keeps its own log, result and corpus.
set -u
B=${1:-build-fuzz}
S=${2:-60}
R=${3:-}
timeout=${FUZZ_TIMEOUT:-1}
rss=${FUZZ_RSS_MB:-2048}
jobs=${FUZZ_JOBS:-1}
case $jobs in
'' | *[!0-9]* | 0*)
    echo "embedlab: error: FUZZ_JOBS must be a whole number from 1, got '$jobs'" >&2
    exit 2
    ;;
esac
work=$B/fuzz-work
# One OpenMP thread a target (each also asks for one itself): FUZZ_JOBS
# targets share the cores, and threads beyond one a target would fight over
# them, so that a fast input runs past FUZZ_TIMEOUT (fuzz_ann's did).
export OMP_NUM_THREADS=1
crashes=$B/fuzz-crashes

# The stat:: value KEY of target NAME's last log; for a run still going or
# killed (no stat:: lines yet), the same number from its last status line
# ("#EXECUTIONS ... exec/s: RATE ...").
stat_of() {
    v=$(sed -n "s/^stat::$2: *//p" "$work/$1.log" 2>/dev/null | tail -1)
    if [ -z "$v" ] && [ "$2" = number_of_executed_units ]; then
        v=$(grep -a '^#[0-9]' "$work/$1.log" 2>/dev/null | tail -1 | sed 's/^#\([0-9]*\).*/\1/')
    elif [ -z "$v" ]; then
        v=$(grep -a '^#[0-9].*exec/s: ' "$work/$1.log" 2>/dev/null | tail -1 | sed 's/.*exec\/s: \([0-9]*\).*/\1/')
    fi
    echo "$v"
}

# The table's rows: NAME EXECUTIONS EXEC/S CORPUS RESULT, from the logs and
# $work/NAME.result (what the run made of it).
table() {
    printf '%-12s %12s %9s %8s  %s\n' target executions "exec/s" corpus result
    all=0
    for name in "$@"; do
        execs=$(stat_of "$name" number_of_executed_units)
        printf '%-12s %12s %9s %8s  %s\n' "$name" "${execs:-?}" "$(stat_of "$name" average_exec_per_sec)" \
            "$(ls "$work/$name" 2>/dev/null | wc -l)" "$(cat "$work/$name.result" 2>/dev/null)"
        all=$((all + ${execs:-0}))
    done
    echo "$all executions in all"
}

if [ "$S" = table ]; then
    names=$(ls "$work"/*.log 2>/dev/null | sed 's|.*/||; s|\.log$||')
    [ -n "$names" ] || { echo "embedlab: error: no fuzz logs in $work" >&2; exit 1; }
    table $names
    exit 0
fi

if [ -n "$R" ]; then
    budget="-runs=$R"
else
    budget="-max_total_time=$S"
fi
mkdir -p "$work" "$crashes"
if [ -n "${FUZZ_TARGETS:-}" ]; then
    targets=
    for name in $FUZZ_TARGETS; do
        [ -x "$B/fuzz/fuzz_$name" ] || { echo "embedlab: error: no fuzz target $B/fuzz/fuzz_$name" >&2; exit 1; }
        targets="$targets $B/fuzz/fuzz_$name"
    done
else
    targets=$(find "$B/fuzz" -maxdepth 1 -type f -name 'fuzz_*' ! -name '*.d' 2>/dev/null | sort)
fi
[ -n "$targets" ] || { echo "embedlab: error: no fuzz targets in $B/fuzz" >&2; exit 1; }
# Runs target binary $1 (name $2) for the budget: its log is $work/NAME.log,
# and what the run made of it goes to $work/NAME.result, written last (the
# parallel loop below waits for it), with a line saying so when it failed.
run_one() {
    t=$1
    name=$2
    corpus=$work/$name
    mkdir -p "$corpus"
    [ -d "fuzz/corpus/$name" ] && cp -n "fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null
    dict=
    [ -f "fuzz/$name.dict" ] && dict="-dict=fuzz/$name.dict"
    echo "fuzz: $name ($budget)"
    # -timeout: one input past FUZZ_TIMEOUT s is slow, a finding (issue 18:
    # inputs that ran for minutes passed); -rss_limit_mb (also the largest
    # single allocation): an input that needs more is a finding;
    # -close_fd_mask=1: the targets' own stdout is noise; their stderr
    # (error messages) stays.
    "$t" $budget -timeout="$timeout" -rss_limit_mb="$rss" -print_final_stats=1 -close_fd_mask=1 \
        -artifact_prefix="$crashes/$name-" $dict "$corpus" >"$work/$name.log" 2>&1
    rc=$?
    execs=$(stat_of "$name" number_of_executed_units)
    if [ $rc -eq 0 ] && [ -n "$R" ] && [ "${execs:-0}" -lt "$R" ]; then
        result="FAILED: ${execs:-0} executions, fewer than $R"
    elif [ $rc -eq 0 ]; then
        result=ok
    else
        # The finding's kind (SUMMARY: libFuzzer: timeout, AddressSanitizer: ...)
        # when libFuzzer says it, else the first line about it.
        why=$(grep -a -m1 '^SUMMARY:' "$work/$name.log" ||
            grep -a -m1 -E 'ERROR|runtime error|Test unit written' "$work/$name.log")
        result="FAILED (exit $rc): $why"
        # The limit is wall-clock time: on a loaded machine a fast input can run
        # past it. The input run again alone says which it was.
        unit=$(sed -n "s/.*Test unit written to \(.*timeout-.*\)$/\1/p" "$work/$name.log" | tail -1)
        [ -n "$unit" ] && result="$result; alone: $("$t" "$unit" 2>&1 | grep -a -o 'in [0-9]* ms' | tail -1)"
    fi
    if [ "$result" != ok ]; then
        # One printf: with FUZZ_JOBS > 1 another target's lines may come between.
        printf 'fuzz: %s: %s\n%s\n' "$name" "$result" "$(tail -40 "$work/$name.log" | sed 's/^/#   /')"
    fi
    echo "$result" >"$work/$name.result.part"
    mv "$work/$name.result.part" "$work/$name.result"
}

names=
for t in $targets; do
    name=${t##*/fuzz_}
    names="$names $name"
    rm -f "$work/$name.result"
done
if [ "$jobs" -eq 1 ]; then
    for t in $targets; do
        run_one "$t" "${t##*/fuzz_}"
    done
else
    # Up to FUZZ_JOBS targets at once: a new one starts when one of those
    # running has written its result. Ctrl-C or a kill stops them all (each
    # background run_one and the fuzzer it waits for).
    pids=
    trap 'for p in $pids; do pkill -TERM -P "$p"; kill "$p"; done 2>/dev/null; exit 130' INT TERM
    started=0
    for t in $targets; do
        while :; do
            done_now=0
            for name in $names; do
                [ -f "$work/$name.result" ] && done_now=$((done_now + 1))
            done
            [ $((started - done_now)) -lt "$jobs" ] && break
            sleep 1
        done
        run_one "$t" "${t##*/fuzz_}" &
        pids="$pids $!"
        started=$((started + 1))
    done
    wait
    trap - INT TERM
fi
passed=0
failed=0
for name in $names; do
    if [ "$(cat "$work/$name.result" 2>/dev/null)" = ok ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done
echo
table $names
if [ -n "$R" ]; then
    echo "$R executions asked of each target"
else
    echo "$S s per target"
fi
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
