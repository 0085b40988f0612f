#!/bin/sh
# The structure checks `make test` runs, on this tree and on planted scratch
# trees: scripts/check-includes.sh against ARCHITECTURE.md's folder table and
# the paths ARCHITECTURE.md and README.md name, scripts/check-functions.sh (no
# function over 100 lines).
. "$(dirname "$0")/lib.sh"
top=$(pwd)

run "this tree's includes point one way, and the paths its documents name exist" 0 scripts/check-includes.sh

# A scratch tree under the same table: one allowed include, three wrong ones.
mkdir -p "$T/tree/core" "$T/tree/embed" "$T/tree/db" "$T/tree/rnn" "$T/tree/stray" "$T/tree/db/sql" "$T/tree/embed/text"
cp ARCHITECTURE.md "$T/tree/"
printf '#include "core/common.h"\n#include "embed/text/text.h"\n' >"$T/tree/db/fine.c"
printf '#include "core/common.h"\n#include "rnn/train.h"\n' >"$T/tree/db/runs.h"
printf '#include "embed/text/text.h"\n' >"$T/tree/core/up.c"
printf '#include "db/runs.h"\n' >"$T/tree/rnn/side.c"
printf '#include "../core/common.h"\n' >"$T/tree/embed/climb.c"
printf '#include "core/common.h"\n' >"$T/tree/stray/x.c"
# The extension's layer: db/sql/ may include the layer's headers only, and a
# file of the layer may not reach outside it even where its folder may.
printf '#include "core/vecmath.h"\n#include "embed/text/tok_norm.h"\n' >"$T/tree/db/sql/fine.c"
printf '#include "core/vecmath.h"\n#include "core/common.h"\n' >"$T/tree/db/sql/ext.c"
printf '#include "embed/text/tok_norm.h"\n#include "core/progress.h"\n' >"$T/tree/embed/text/tok_norm.c"
(cd "$T/tree" && "$top/scripts/check-includes.sh") >"$T/out" 2>"$T/err"
same "wrong includes fail the check" $? 1
has err 'includes point the wrong way'
has out 'db/runs.h:2: db/ -> rnn/ ("rnn/train.h")'
has out 'core/up.c:1: core/ -> embed/'
has out 'rnn/side.c:1: rnn/ -> db/'
has out 'embed/climb.c:1: "../core/common.h" climbs out'
has out 'stray/x.c: folder stray/ is not in'
has out 'db/sql/ext.c:2: db/sql/ -> core/ ("core/common.h")'
has out 'db/sql/ext.c:2: the extension layer includes "core/common.h", which is not in it'
has out 'embed/text/tok_norm.c:2: the extension layer includes "core/progress.h", which is not in it'
if grep -q 'embed/text/tok_norm.c:2: embed/text/ ->' "$T/out"; then notok "core/ from embed/text/ was reported as a wrong folder"; else ok "the layer rule is on top of the folder rule"; fi
if grep -q fine.c "$T/out"; then notok "an allowed include was reported"; else ok "allowed includes pass"; fi

# Paths: a scratch tree that sees this one's files through links, with an
# ARCHITECTURE.md whose last line names three paths that are not there and
# three that are (a pattern, a folder, a placeholder).
mkdir "$T/paths"
for f in *; do [ "$f" = ARCHITECTURE.md ] || ln -s "$top/$f" "$T/paths/$f"; done
{
    cat ARCHITECTURE.md
    # shellcheck disable=SC2016 # the backquotes are Markdown's
    echo 'Gone: `core/nowhere.c`, (db/index/gone.h), `lost_file.c`. Here: `rnn/cell_*.c`, tests/toys/, `fuzz/fuzz_NAME.c`.'
} >"$T/paths/ARCHITECTURE.md"
last=$(awk 'END { print NR }' "$T/paths/ARCHITECTURE.md")
(cd "$T/paths" && "$top/scripts/check-includes.sh") >"$T/out" 2>"$T/err"
same "a path that is not there fails the check" $? 1
has out "^ARCHITECTURE.md:$last: core/nowhere.c does not exist"
has out "^ARCHITECTURE.md:$last: db/index/gone.h does not exist"
has out "^ARCHITECTURE.md:$last: no file is named lost_file.c"
same "and nothing else is reported" "$(awk 'END { print NR }' "$T/out")" 3
has err 'names paths that do not exist'
if grep -q 'wrong way' "$T/err"; then notok "a missing path was reported as an include"; else ok "the includes pass"; fi

run "no function in this tree is over 100 lines" 0 scripts/check-functions.sh
# body N: a function of N lines, brace to brace, with braces in a string, a
# character and comments that must not count.
body() {
    echo "int f$1(void) {"
    echo '    const char *s = "}}"; char c = '"'"'}'"'"'; /* } */ // }'
    i=3
    while [ $i -lt "$1" ]; do echo "    s++;"; i=$((i + 1)); done
    echo "}"
}
mkdir -p "$T/fn/core"
{ body 100; echo 'static const int table[] = {'; body 200 | sed 's/.*/0,/'; echo '};'; body 101; } >"$T/fn/core/f.c"
(cd "$T/fn" && "$top/scripts/check-functions.sh") >"$T/out" 2>"$T/err"
same "a function of 101 lines fails the check" $? 1
has out 'core/f.c:303: f101 101 lines'
if grep -q 'f100\|table' "$T/out"; then notok "100 lines or a table was reported"; else ok "100 lines and a table pass"; fi
exit $bad
