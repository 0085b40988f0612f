#!/bin/sh
# Checks that every `#include "PATH"` in the sources points the way
# ARCHITECTURE.md's table "Folders and what they may include" allows (read
# by scripts/arch-table.sh, the table being the definition):
#   - a file in folder F (its directory) may include F's own headers and
#     those of the folders F's row names;
#   - a file of the SQL extension's layer (db/sql/, and the files its row
#     names, with each .c file's header) includes only the layer's headers.
# And that every path ARCHITECTURE.md and README.md name exists, so that they
# stay true of the tree (check_paths below).
# Prints each wrong include or missing path as FILE:LINE: ... and exits 1 if
# there is one.
# Usage: scripts/check-includes.sh   (from the repository's top folder)
set -eu
rules=$(mktemp)
names=$(mktemp)
trap 'rm -f "$rules" "$names"' EXIT
"$(dirname "$0")/arch-table.sh" >"$rules"
if [ "$(grep -vc '^LAYER' "$rules")" -lt 3 ] || ! grep -q '^LAYER ' "$rules"; then
    echo "scripts/check-includes.sh: no folder table (or no extension layer) found in ARCHITECTURE.md" >&2
    exit 1
fi
# Every source file outside the build folders.
find . -mindepth 1 \( -name '.*' -o -name 'build*' -o -name node_modules \) -prune -o \( -name '*.c' -o -name '*.h' -o -name '*.cc' \) -print |
    sed 's#^\./##' | sort |
    awk -v rules="$rules" '
    function dir(path) { sub(/[^\/]*$/, "", path); return path }
    BEGIN {
        while ((getline line < rules) > 0) {
            n = split(line, w, " ")
            if (w[1] == "LAYER") {
                for (i = 2; i <= n; i++) {
                    member[w[i]] = 1
                    h = w[i]; sub(/\.c$/, ".h", h); header[h] = 1; member[h] = 1
                }
                continue
            }
            known[w[1]] = 1
            for (i = 1; i <= n; i++) ok[w[1], w[i]] = 1
        }
    }
    { files[++nf] = $0 }
    END {
        bad = 0
        for (k = 1; k <= nf; k++) {
            file = files[k]; from = dir(file)
            if (!(from in known)) { print file ": folder " from " is not in ARCHITECTURE.md'"'"'s table"; bad = 1; continue }
            inlayer = (file in member) || from == "db/sql/"
            ln = 0
            while ((getline line < file) > 0) {
                ln++
                if (line !~ /^[ \t]*#[ \t]*include[ \t]*"/) continue
                sub(/^[^"]*"/, "", line); sub(/".*/, "", line)
                if (line ~ /\.\.\//) { print file ":" ln ": \"" line "\" climbs out of its folder"; bad = 1; continue }
                if (line !~ /\//) continue    # a generated header in the build folder (buildinfo.h)
                to = dir(line)
                if (!((from, to) in ok) && !(from == "db/sql/" && line in header)) { print file ":" ln ": " from " -> " to " (\"" line "\")"; bad = 1 }
                if (inlayer && !(line in header) && line !~ /^db\/sql\//) {
                    print file ":" ln ": the extension layer includes \"" line "\", which is not in it"; bad = 1
                }
            }
            close(file)
        }
        exit bad
    }' || { echo "scripts/check-includes.sh: includes point the wrong way (ARCHITECTURE.md, \"Folders and what they may include\")" >&2; failed=1; }

# check_paths: every path ARCHITECTURE.md and README.md (when there is one)
# name exists. A path is a word that starts with one of the table's top
# folders or scripts/ (NAME in it is a placeholder, * a pattern some file must
# match); a bare file name such as `ann.c` must be some file's name in the
# tree. A file the text still names after it moved or went is then a failure,
# not a stale pointer.
check_paths() {
    set -- ARCHITECTURE.md
    [ ! -f README.md ] || set -- "$@" README.md
    tops=$(grep -v '^LAYER' "$rules" | sed 's#/.*##' | sort -u | tr '\n' ' ')
    # Names in the source folders only, not in data/ or what commands write.
    # shellcheck disable=SC2086 # $tops is a list of folders
    find -L $tops scripts \( -name '.*' -o -name node_modules \) -prune -o -type f -print 2>/dev/null |
        sed 's#.*/##' | sort -u >"$names"
    awk -v tops="$tops scripts" -v names="$names" '
    BEGIN {
        n = split(tops, t, " ")
        for (i = 1; i <= n; i++) top[t[i]] = 1
        while ((getline line < names) > 0) base[line] = 1
    }
    {
        n = split($0, w, /[^A-Za-z0-9_.\/*-]+/)
        for (i = 1; i <= n; i++) {
            p = w[i]; sub(/\.+$/, "", p)
            if (p == "" || p ~ /NAME/) continue
            if (p ~ /\//) {
                first = p; sub(/\/.*/, "", first)
                if (!(first in top)) continue
                # p holds only [A-Za-z0-9_./*-]: safe for the shell, a * expanded.
                if (!(p in there)) there[p] = system("set -- " p "; test -e \"$1\"") == 0
                if (!there[p]) { print FILENAME ":" FNR ": " p " does not exist"; bad = 1 }
            } else if (p ~ /^[A-Za-z0-9_-]+\.(c|h|cc|sh|js|py)$/ && !(p in base)) {
                print FILENAME ":" FNR ": no file is named " p; bad = 1
            }
        }
    }
    END { exit bad }' "$@"
}
check_paths || { echo "scripts/check-includes.sh: ARCHITECTURE.md or README.md names paths that do not exist" >&2; failed=1; }
exit "${failed:-0}"
