#!/bin/sh
# Runs every cmocka test program given and the command-line test scripts
# (tests/cli_*.sh), then closes with one line counting the test cases:
# "summary: N passed, N failed". Exit status 1 if anything failed.
set -u
passed=0
failed=0
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
    p=$((p + $(grep -c '^ok ' "$log")))
    f=$((f + $(grep -c '^not ok ' "$log")))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "FAILED: $t exited with status $rc"; fi
    passed=$((passed + p))
    failed=$((failed + f))
done
echo
echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
