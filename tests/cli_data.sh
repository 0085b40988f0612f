#!/bin/sh
# make data: a bad archive leaves nothing half-made; existing data makes it a no-op.
set -u
S=$(cd "$(dirname "$0")/.." && pwd)/scripts/data.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
bad=0
mkdir -p "$T/fake" "$T/work"
echo "not the IMDB archive" | gzip >"$T/fake/aclImdb.tar.gz"
(cd "$T/work" && EMBEDLAB_SHARED_DATA="$T/fake" sh "$S") >"$T/out" 2>&1
rc=$?
n=$((n + 1))
if [ $rc -ne 0 ] && grep -q "does not match its sha256" "$T/out"; then echo "ok $n - a corrupt archive is refused"; else
    echo "not ok $n - exit $rc"; sed 's/^/#   /' "$T/out"; bad=1; fi
n=$((n + 1))
if [ ! -e "$T/work/data/aclImdb" ] && [ -z "$(ls -A "$T/work/data" 2>/dev/null)" ]; then echo "ok $n - and nothing half-made is left"; else
    echo "not ok $n - leftovers: $(ls -A "$T/work/data")"; bad=1; fi
mkdir -p "$T/work/data/aclImdb/train/pos" "$T/work/data/aclImdb/test/neg"
touch "$T/work/data/aclImdb/marker"
(cd "$T/work" && EMBEDLAB_SHARED_DATA="$T/fake" sh "$S") >"$T/out" 2>&1
rc=$?
n=$((n + 1))
if [ $rc -eq 0 ] && [ ! -s "$T/out" ] && [ -e "$T/work/data/aclImdb/marker" ]; then echo "ok $n - existing data: a no-op"; else
    echo "not ok $n - exit $rc"; bad=1; fi
exit $bad
