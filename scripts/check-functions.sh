#!/bin/sh
# Checks that no function in the sources is over MAX lines (default 100),
# counted from the line of its opening brace to the line of its closing one.
# Prints each longer one as FILE:LINE: NAME N lines, longest first, and exits
# 1 if there is one; with --list, prints every function of more than 50 lines
# and exits 0. Comments, strings and character literals are skipped, so their
# braces do not count; a top-level brace after `=`, or of a struct, union,
# enum or extern "C", opens no function.
# Usage: scripts/check-functions.sh [--list] [MAX]   (from the top folder)
set -eu
# Functions being split on another branch (one "FILE NAME" a line); none now.
pending=""
list=0
if [ "${1:-}" = --list ]; then list=1; shift; fi
max=${1:-100}
[ "$list" = 1 ] && limit=50 || limit=$max
out=$(mktemp)
trap 'rm -f "$out" "$out.k"' EXIT
find . -mindepth 1 \( -name '.*' -o -name 'build*' -o -name node_modules \) -prune -o \( -name '*.c' -o -name '*.cc' \) -print |
    sed 's#^\./##' | sort | xargs awk -v limit="$limit" '
    FNR == 1 { depth = 0; incomment = 0; head = ""; infn = 0 }
    {
        # The line without comments, strings and character literals.
        s = $0; out = ""
        while (s != "") {
            if (incomment) {
                i = index(s, "*/"); if (!i) { s = ""; break }
                s = substr(s, i + 2); incomment = 0; continue
            }
            c = substr(s, 1, 1); two = substr(s, 1, 2)
            if (two == "//") break
            if (two == "/*") { incomment = 1; s = substr(s, 3); continue }
            if (c == "\"" || c == "\x27") {
                j = 2
                while (j <= length(s) && substr(s, j, 1) != c) j += substr(s, j, 1) == "\\" ? 2 : 1
                out = out " "; s = substr(s, j + 1); continue
            }
            out = out c; s = substr(s, 2)
        }
        if (out ~ /^[ \t]*#/) next    # preprocessor lines
        for (k = 1; k <= length(out); k++) {
            c = substr(out, k, 1)
            if (c == "{") {
                if (depth == 0 && head ~ /\)[ \t]*(const[ \t]*)?(noexcept[ \t]*)?$/ && head !~ /=/ &&
                    head !~ /(^|[^A-Za-z0-9_])(struct|union|enum)[^A-Za-z0-9_]/) {
                    infn = 1; start = FNR; name = head
                    sub(/[ \t]*\(.*/, "", name); sub(/.*[^A-Za-z0-9_:~]/, "", name)
                }
                depth++
            } else if (c == "}") {
                depth--
                if (depth == 0 && infn) {
                    n = FNR - start + 1; infn = 0
                    if (n > limit) printf "%d %s:%d: %s %d lines\n", n, FILENAME, start, name, n
                }
                if (depth == 0) head = ""
            } else if (c == ";" && depth == 0) head = ""
            else if (depth == 0) head = head c
        }
        if (depth == 0) head = head " "
    }' | sort -rn | cut -d' ' -f2- >"$out"
if [ "$list" = 0 ]; then
    echo "$pending" | while read -r file name; do
        grep -v "^$file:[0-9]*: $name " "$out" >"$out.k" || true
        mv "$out.k" "$out"
    done
fi
cat "$out"
if [ "$list" = 0 ] && [ -s "$out" ]; then
    echo "scripts/check-functions.sh: functions over $max lines: split them into named stages" >&2
    exit 1
fi
