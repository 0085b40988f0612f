#!/bin/sh
# make sanitize: the whole test suite (scripts/run-tests.sh) against the
# AddressSanitizer + UndefinedBehaviorSanitizer build in BUILD (default
# build-san). Every sanitizer report goes to a log file, and any log at all
# fails the run: a report in a command whose failure a test expects (exit 1)
# must not pass unseen. Leak checking is on.
# Usage: scripts/sanitize.sh [BUILD]
set -u
B=${1:-build-san}
logs=$(mktemp -d)
shim=$(mktemp -d)
trap 'rm -rf "$logs" "$shim"' EXIT
export ASAN_OPTIONS="log_path=$logs/asan:exitcode=86:detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="log_path=$logs/ubsan:print_stacktrace=1:halt_on_error=1:exitcode=87"
export LSAN_OPTIONS="suppressions=$(pwd)/scripts/lsan.supp:print_suppressions=0"
export EMBEDLAB="$B/embedlab" EMBEDLAB_EXT="$B/embedlab_sqlite"
# The stock sqlite3 shell is not instrumented: it can load the instrumented
# extension only with the ASan runtime loaded first. A shim first on PATH
# preloads it for every sqlite3 the tests run.
asan=$(gcc -print-file-name=libasan.so)
real=$(command -v sqlite3)
printf '#!/bin/sh\nLD_PRELOAD=%s exec %s "$@"\n' "$asan" "$real" >"$shim/sqlite3"
chmod +x "$shim/sqlite3"
PATH="$shim:$PATH"
scripts/run-tests.sh $(find "$B/tests" -maxdepth 1 -type f -name 'test_*' ! -name '*.d' | sort)
rc=$?
if [ -n "$(ls "$logs")" ]; then
    echo
    echo "sanitizer reports:"
    for f in "$logs"/*; do echo "== $f"; head -60 "$f"; done
    echo "sanitize: FAILED: $(ls "$logs" | wc -l) sanitizer report(s)"
    exit 1
fi
[ $rc -eq 0 ] && echo "sanitize: the whole suite passed under ASan+UBSan with no sanitizer report"
exit $rc
