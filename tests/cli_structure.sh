#!/bin/sh
# The structure checks `make test` runs, on this tree and on planted scratch
# trees: scripts/check-includes.sh against ARCHITECTURE.md's folder table,
# scripts/check-functions.sh (no function over 100 lines).
. "$(dirname "$0")/lib.sh"
top=$(pwd)

run "this tree's includes point one way" 0 scripts/check-includes.sh

# A scratch tree under the same table: one allowed include, three wrong ones.
mkdir -p "$T/tree/core" "$T/tree/embed" "$T/tree/db" "$T/tree/rnn" "$T/tree/stray"
cp ARCHITECTURE.md "$T/tree/"
printf '#include "core/common.h"\n#include "embed/text.h"\n' >"$T/tree/db/fine.c"
printf '#include "core/common.h"\n#include "rnn/train.h"\n' >"$T/tree/db/runs.h"
printf '#include "embed/text.h"\n' >"$T/tree/core/up.c"
printf '#include "db/runs.h"\n' >"$T/tree/rnn/side.c"
printf '#include "../core/common.h"\n' >"$T/tree/embed/climb.c"
printf '#include "core/common.h"\n' >"$T/tree/stray/x.c"
(cd "$T/tree" && "$top/scripts/check-includes.sh") >"$T/out" 2>"$T/err"
same "wrong includes fail the check" $? 1
has out 'db/runs.h:2: db/ -> rnn/ ("rnn/train.h")'
has out 'core/up.c:1: core/ -> embed/'
has out 'rnn/side.c:1: rnn/ -> db/'
has out 'embed/climb.c:1: "../core/common.h" climbs out'
has out 'stray/x.c: folder stray/ is not in'
if grep -q fine.c "$T/out"; then notok "an allowed include was reported"; else ok "allowed includes pass"; fi

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
