#!/bin/sh
# Reads ARCHITECTURE.md's table "Folders and what they may include", the one
# definition of the folders and their include arrows, and prints it for the
# scripts that enforce it:
#   FOLDER ALLOWED...   one line per folder, e.g. "embed/data/ core/ embed/text/"
#   LAYER FILE...       the extension's layer: the files the db/sql/ row names
# Usage: scripts/arch-table.sh            (both kinds of line)
#        scripts/arch-table.sh --layer-c  (the layer's .c files, one line: what
#                                          the Makefile links into the .so)
set -eu
[ -f ARCHITECTURE.md ] || cd "$(dirname "$0")/.."
table=$(awk '
    /^## Folders and what they may include/ { intable = 1; next }
    intable && /^## / { exit }
    intable && /^\| `[a-z\/]+\/`/ {
        split($0, col, "|")
        match(col[2], /`[a-z\/]+\//); f = substr(col[2], RSTART + 1, RLENGTH - 1)
        allowed = ""
        if (col[4] ~ /extension layer/) {
            rest = col[4]; layer = ""
            while (match(rest, /`[a-z_\/]+\.[ch]`/)) { layer = layer " " substr(rest, RSTART + 1, RLENGTH - 2); rest = substr(rest, RSTART + RLENGTH) }
            print "LAYER" layer
            print f
            next
        }
        if (col[4] ~ /all of the above/) allowed = above
        rest = col[4]
        { while (match(rest, /`[a-z\/]+\/`/)) { allowed = allowed " " substr(rest, RSTART + 1, RLENGTH - 2); rest = substr(rest, RSTART + RLENGTH) } }
        print f allowed
        above = above " " f
    }' ARCHITECTURE.md)
case "${1:-}" in
--layer-c) printf '%s\n' "$table" | awk '$1 == "LAYER" { s = ""; for (i = 2; i <= NF; i++) if ($i ~ /\.c$/) s = s (s ? " " : "") $i; print s }' ;;
*) printf '%s\n' "$table" ;;
esac
