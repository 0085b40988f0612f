#!/bin/sh
# Runs every cmocka test program given and the command-line test scripts
# (tests/cli_*.sh), then closes with one line counting the test cases:
# "summary: N passed, N failed[, N skipped]": a check that cannot run in this
# build (cmocka's skip(), a shell test's "# skip: why" line) is counted as
# skipped, never as passed. Exit status 1 if anything failed.
set -u
passed=0
failed=0
skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "$@" tests/cli_*.sh; do
    [ -f "$t" ] || continue
    echo "== $t"
    case "$t" in *.sh) sh "$t" >"$log" 2>&1 ;; *) "$t" >"$log" 2>&1 ;; esac
    rc=$?
    cat "$log"
    # cmocka: "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)..."; shell tests: "ok"/"not ok" lines.
    p=$(sed -n -e 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n -e 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    k=$(sed -n -e 's/.*\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    k=$((k + $(grep -c '^# skip' "$log")))
    p=$((p + $(grep -c '^ok ' "$log")))
    f=$((f + $(grep -c '^not ok ' "$log")))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAILED: $t exited with status $rc"; fi
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + k))
done
echo
if [ "$skipped" -gt 0 ]; then echo "summary: $passed passed, $failed failed, $skipped skipped"; else
    echo "summary: $passed passed, $failed failed"; fi
[ "$failed" -eq 0 ]
