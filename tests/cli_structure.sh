#!/bin/sh
# The structure checks `make test` runs: scripts/check-includes.sh against
# ARCHITECTURE.md's folder table, on this tree and on a planted scratch tree.
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
exit $bad
