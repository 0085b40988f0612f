#!/bin/sh
# Checks that every C and C++ source and header the repository tracks is as
# clang-format (.clang-format) writes it; prints the files that are not and
# the command that fixes them, and exits 1. With --fix, formats them.
# Usage: scripts/check-format.sh [--fix]   (from the top folder)
set -eu
command -v clang-format >/dev/null 2>&1 || { echo "embedlab: error: clang-format is not installed" >&2; exit 1; }
files=$(git ls-files '*.c' '*.h' '*.cc' 2>/dev/null || find . -path ./build\* -prune -o \( -name '*.c' -o -name '*.h' -o -name '*.cc' \) -print)
if [ "${1:-}" = --fix ]; then
    clang-format -i $files
    exit 0
fi
bad=$(for f in $files; do clang-format --dry-run "$f" 2>&1 | grep -q . && echo "$f"; done || true)
[ -z "$bad" ] && exit 0
echo "embedlab: error: not as clang-format writes them:" $bad >&2
echo "  fix with: scripts/check-format.sh --fix" >&2
exit 1
