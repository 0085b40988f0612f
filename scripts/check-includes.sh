#!/bin/sh
# Checks that every `#include "FOLDER/..."` in the sources points the way
# ARCHITECTURE.md's table "Folders and what they may include" allows: a file
# in folder F may include its own folder and the folders F's row names in its
# last column ("all of the above": every row above it; "nothing of ours":
# none). The table is the definition; this script only reads it. Prints each
# wrong include as FILE:LINE: F -> G and exits 1 if there is one.
# Usage: scripts/check-includes.sh   (from the repository's top folder)
set -eu
rules=$(mktemp)
trap 'rm -f "$rules"' EXIT
# One line per folder: "folder allowed allowed ...".
awk '
    /^## Folders and what they may include/ { intable = 1; next }
    intable && /^## / { exit }
    intable && /^\| `[a-z]+\/`/ {
        n = split($0, col, "|")
        match(col[2], /`[a-z]+\//); f = substr(col[2], RSTART + 1, RLENGTH - 2)
        allowed = ""
        if (col[4] ~ /all of the above/) allowed = above
        else { rest = col[4]
            while (match(rest, /`[a-z]+\//)) { allowed = allowed " " substr(rest, RSTART + 1, RLENGTH - 2); rest = substr(rest, RSTART + RLENGTH) } }
        print f allowed
        above = above " " f
    }' ARCHITECTURE.md >"$rules"
if [ "$(wc -l <"$rules")" -lt 3 ]; then
    echo "scripts/check-includes.sh: no folder table found in ARCHITECTURE.md" >&2
    exit 1
fi
# Every source file outside the build folders, as FOLDER/...
find . -mindepth 1 \( -name '.*' -o -name 'build*' \) -prune -o \( -name '*.c' -o -name '*.h' -o -name '*.cc' \) -print |
    sed 's#^\./##' | sort |
    awk -v rules="$rules" '
    BEGIN { while ((getline line < rules) > 0) { n = split(line, w, " "); known[w[1]] = 1
                for (i = 1; i <= n; i++) ok[w[1], w[i]] = 1 } }
    { files[++nf] = $0 }
    END {
        bad = 0
        for (k = 1; k <= nf; k++) {
            file = files[k]; split(file, p, "/"); from = p[1]
            if (!(from in known)) { print file ": folder " from "/ is not in ARCHITECTURE.md'"'"'s table"; bad = 1; continue }
            ln = 0
            while ((getline line < file) > 0) {
                ln++
                if (line !~ /^[ \t]*#[ \t]*include[ \t]*"/) continue
                sub(/^[^"]*"/, "", line); sub(/".*/, "", line)
                if (line ~ /\.\.\//) { print file ":" ln ": \"" line "\" climbs out of its folder"; bad = 1; continue }
                if (line !~ /\//) continue    # a generated header in the build folder (buildinfo.h)
                split(line, q, "/"); to = q[1]
                if (!((from, to) in ok)) { print file ":" ln ": " from "/ -> " to "/ (\"" line "\")"; bad = 1 }
            }
            close(file)
        }
        exit bad
    }' || { echo "scripts/check-includes.sh: includes point the wrong way (ARCHITECTURE.md, \"Folders and what they may include\")" >&2; exit 1; }
